import Foundation
import Logging
import NoProofClient
import Synchronization
import NoProofCodec

/// The sessions of the web page, in memory only (a restart signs everyone out). A session ends
/// when it was not used for `idleLifetime`, at the latest `maxLifetime` after sign-in, at logout,
/// or when its RPC connection closes; its connection is closed then.
final class WebSessions: Sendable {
    private let sessions = Mutex<[String: WebSession]>([:])
    let idleLifetime: TimeInterval
    let maxLifetime: TimeInterval
    private let now: @Sendable () -> Date

    init(idleLifetime: TimeInterval = 30 * 60, maxLifetime: TimeInterval = 8 * 3600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.idleLifetime = idleLifetime
        self.maxLifetime = maxLifetime
        self.now = now
    }

    /// A new random token: 32 bytes from the system's generator, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// Opens a session over an authenticated connection.
    func open(credentialID: String, client: NoProofClient) -> WebSession {
        let at = now()
        let viewer = WebViewer(
            credentialID: credentialID, unitCode: client.session?.unitCode ?? "", unitName: client.session?.unitName ?? "",
            csrfToken: Self.randomToken(), signedInAt: at)
        let session = WebSession(token: Self.randomToken(), viewer: viewer, lastSeen: at, client: client)
        let expired = sessions.withLock { all -> [WebSession] in
            all[session.token] = session
            return removeExpired(&all, at: at)
        }
        close(expired)
        return session
    }

    /// The live session of `token`, marked as used now; nil (and the session ended) once expired.
    func session(_ token: String?) -> WebSession? {
        guard let token, !token.isEmpty else { return nil }
        let at = now()
        let (found, expired) = sessions.withLock { all -> (WebSession?, [WebSession]) in
            let expired = removeExpired(&all, at: at)
            guard var session = all[token] else { return (nil, expired) }
            session.lastSeen = at
            all[token] = session
            return (session, expired)
        }
        close(expired)
        return found
    }

    /// Ends the session of `token` (logout, or its connection closed).
    func end(_ token: String) {
        let removed = sessions.withLock { $0.removeValue(forKey: token) }
        close(removed.map { [$0] } ?? [])
    }

    /// How many sessions are open (tests).
    var count: Int { sessions.withLock { $0.count } }

    /// Ends every session (shutdown).
    func endAll() async {
        let all = sessions.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for session in all { await session.client.close() }
    }

    private func removeExpired(_ all: inout [String: WebSession], at: Date) -> [WebSession] {
        let expired = all.values.filter { at.timeIntervalSince($0.lastSeen) > idleLifetime || at.timeIntervalSince($0.viewer.signedInAt) > maxLifetime }
        for session in expired { all.removeValue(forKey: session.token) }
        return expired
    }

    private func close(_ ended: [WebSession]) {
        for session in ended {
            let client = session.client
            Task { await client.close() }
        }
    }
}
