import NoProofProtocol
import Synchronization

/// The connections authenticated right now, by credential, so that revoking a credential
/// reaches the sessions already open with it: each is sent GOAWAY (UNAUTHENTICATED, with the
/// revocation's message) and closed, its open calls cancelled. A credential revoked while one
/// of its connections was still authenticating is refused when that connection registers.
package final class LiveSessions: Sendable {
    private struct State {
        var sessions: [String: [ObjectIdentifier: ConnectionSession]] = [:]
        /// Credentials revoked while this process runs, with the message their sessions get.
        var revoked: [String: String] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// How many authenticated connections use `credentialID`.
    package func count(credentialID: String) -> Int {
        state.withLock { $0.sessions[credentialID]?.count ?? 0 }
    }

    /// Revokes every open session of `credentialID`; returns how many were told to close.
    @discardableResult
    package func revoke(credentialID: String, message: String) -> Int {
        let sessions = state.withLock { state -> [ConnectionSession] in
            state.revoked[credentialID] = message
            return Array((state.sessions.removeValue(forKey: credentialID) ?? [:]).values)
        }
        for session in sessions { session.revoke(message) }
        return sessions.count
    }

    /// Ends every open session (GOAWAY with `message`) without refusing their credentials later:
    /// each reconnects and authenticates afresh against the store. For when this process can no
    /// longer tell which sessions a change elsewhere ended (`ClusterSessionWatch` after a gap in its
    /// feed); returns how many were told to close.
    @discardableResult
    package func endAll(message: String) -> Int {
        let sessions = state.withLock { state -> [ConnectionSession] in
            defer { state.sessions.removeAll() }
            return state.sessions.values.flatMap { Array($0.values) }
        }
        for session in sessions { session.revoke(message) }
        return sessions.count
    }

    /// Records an authenticated session; the revocation message if its credential was revoked meanwhile.
    func register(_ session: ConnectionSession, credentialID: String) -> String? {
        state.withLock { state in
            if let message = state.revoked[credentialID] { return message }
            state.sessions[credentialID, default: [:]][ObjectIdentifier(session)] = session
            return nil
        }
    }

    func unregister(_ session: ConnectionSession, credentialID: String) {
        state.withLock { state in
            state.sessions[credentialID]?.removeValue(forKey: ObjectIdentifier(session))
            if state.sessions[credentialID]?.isEmpty == true { state.sessions.removeValue(forKey: credentialID) }
        }
    }
}
