import Foundation
package import Logging
package import NoProofDomain
package import NoProofServer
package import NoProofUnitStore
import NoProofUnits

/// Ends, on this instance, the open sessions that a change made through any instance of a cluster
/// ends (issue 18): every `interval` it reads the shared unit store's `SessionChangeFeed` after the
/// last change it handled, and for each one closes the sessions of the credentials concerned
/// (`LiveSessions.revoke`, GOAWAY) — a revoked credential's with the message the revoking instance
/// uses (`Credential.sessionEndMessage`), a deactivated staff member's or unit's with
/// `SessionChange.deactivationMessage` — then reloads the access gate after a staff or unit change,
/// so the member or unit is refused here too. It watches from the newest change when it starts:
/// sessions authenticated later were checked against the store. So a session ends on every
/// instance at most about one `interval` (plus a query) after the change commits. If the feed was
/// trimmed past what this instance read (it fell more than the feed's length behind), it closes
/// every open session instead, since it cannot tell which ones the missed changes ended.
package final class ClusterSessionWatch: Sendable {
    private let feed: any SessionChangeFeed
    private let store: any UnitStore
    private let sessions: LiveSessions
    private let gate: AccessGate?
    private let logger: Logger

    package init(feed: any SessionChangeFeed, store: any UnitStore, sessions: LiveSessions, gate: AccessGate?, logger: Logger) {
        self.feed = feed
        self.store = store
        self.sessions = sessions
        self.gate = gate
        self.logger = logger
    }

    /// What sessions closed after a gap in the feed are told.
    package static let gapMessage =
        "this server instance missed changes to credentials, staff or units made on another instance, so every session on it was closed; reconnect and authenticate again"

    /// The newest change number: where to start watching.
    package func start() async throws(NoProofError) -> Int64 {
        try await feed.sessionChanges(after: nil).latest
    }

    /// Ends the sessions of the changes after `sequence`; returns the number to pass next time and
    /// how many sessions were closed.
    package func poll(after sequence: Int64) async throws(NoProofError) -> (next: Int64, closed: Int) {
        let found = try await feed.sessionChanges(after: sequence)
        var closed = 0
        if !found.complete {
            // Changes this instance never read were trimmed: it cannot tell whose sessions they
            // ended, so it ends them all (fail closed); each reconnects and authenticates afresh,
            // and a revoked or deactivated credential is refused then.
            closed += sessions.endAll(message: Self.gapMessage)
            logger.error(
                "session changes were trimmed before this instance read them: every open session was closed to re-authenticate",
                metadata: ["after": "\(sequence)", "latest": "\(found.latest)", "sessions_closed": "\(closed)"])
        }
        var reload = false
        for change in found.changes {
            for id in change.credentialIDs {
                let message: String
                if change.kind == .credentialRevoked, let credential = try await store.credential(id: id), credential.revokedAt != nil {
                    message = credential.sessionEndMessage
                } else {
                    message = change.deactivationMessage
                }
                closed += sessions.revoke(credentialID: id, message: message)
            }
            if change.kind != .credentialRevoked { reload = true }
            logger.debug(
                "session change applied",
                metadata: ["sequence": "\(change.sequence)", "kind": "\(change.kind.rawValue)", "subject": "\(change.subject)"])
        }
        if reload, let gate {
            do {
                try await gate.refresh(publishingDue: false)
            } catch {
                logger.warning("access gate not reloaded after a staff or unit change", metadata: ["error": "\(error)"])
            }
        }
        return (max(found.latest, sequence), closed)
    }

    /// Polls every `interval` until the task is cancelled; failures are logged and retried.
    package func run(every interval: Duration) async {
        var sequence: Int64?
        while !Task.isCancelled {
            do {
                if let known = sequence {
                    let (next, closed) = try await poll(after: known)
                    sequence = next
                    if closed > 0 { logger.info("sessions closed after a change on the cluster", metadata: ["sessions_closed": "\(closed)"]) }
                } else {
                    sequence = try await start()
                }
            } catch {
                logger.warning("session changes not read", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
