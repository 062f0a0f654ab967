package import NoProofDomain

/// A unit store several noproofd instances share (PostgreSQL): every change that must end open
/// sessions — a credential revoked, a staff member or a unit deactivated — is numbered in commit
/// order, so each instance can end the sessions it holds for changes made through any instance
/// (`ClusterSessionWatch` in NoProofServices).
package protocol SessionChangeFeed: Sendable {
    /// The newest change number, and the changes after `sequence` in order (none for nil: only
    /// the newest number, to start watching from).
    func sessionChanges(after sequence: Int64?) async throws(NoProofError) -> SessionChanges
}

/// What `SessionChangeFeed.sessionChanges(after:)` found.
package struct SessionChanges: Sendable, Equatable {
    /// The newest change number (0 before the first).
    package var latest: Int64
    /// The changes after the asked-for number, oldest first.
    package var changes: [SessionChange]
    /// False when changes after the asked-for number were already trimmed from the store.
    package var complete: Bool

    package init(latest: Int64, changes: [SessionChange], complete: Bool = true) {
        self.latest = latest
        self.changes = changes
        self.complete = complete
    }
}

/// One change that ends sessions.
package struct SessionChange: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case credentialRevoked = "credential"
        case staffDeactivated = "staff"
        case unitDeactivated = "unit"
    }

    /// Its number in commit order.
    package var sequence: Int64
    package var kind: Kind
    /// The unit concerned.
    package var unitCode: String
    /// The credential id, the staff id, or the unit code.
    package var subject: String
    /// The credentials whose sessions end: the revoked one; the staff member's own staff
    /// credentials; every credential of the unit.
    package var credentialIDs: [String]

    package init(sequence: Int64, kind: Kind, unitCode: String, subject: String, credentialIDs: [String]) {
        self.sequence = sequence
        self.kind = kind
        self.unitCode = unitCode
        self.subject = subject
        self.credentialIDs = credentialIDs
    }

    /// The closing message of the sessions a staff or unit deactivation ends (a revoked
    /// credential's sessions get `Credential.sessionEndMessage`).
    package var deactivationMessage: String {
        switch kind {
        case .credentialRevoked:
            "credential \(subject) was revoked; this session is closed — ask the task force office (工作专班办公室) for a new credential"
        case .staffDeactivated:
            "staff member \(subject) of unit \(unitCode) was deactivated; this session is closed — ask the unit's supervisor (督办员)"
        case .unitDeactivated:
            "unit \(unitCode) was deactivated; this session is closed — ask the task force office (工作专班办公室)"
        }
    }
}
