package import NoProofServer
import NIOCore

/// Runs `server`, waits until it listens, and calls `body` with its port; then shuts the server
/// down gracefully (also when `body` throws) and waits for it to stop. Returns what `body` returns.
package func withRunningServer<T: Sendable>(
    _ server: NoProofServer,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (Int) async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let port = try await server.listeningAddress().port!
        let result: T
        do {
            result = try await body(port)
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
        server.beginGracefulShutdown()
        try await group.waitForAll()
        return result
    }
}
