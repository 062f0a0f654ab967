import NoProofServer

/// Runs `server`, waits until it listens, and calls `body` with its port; then shuts the server
/// down gracefully (also when `body` throws) and waits for it to stop.
package func withRunningServer(
    _ server: NoProofServer,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (Int) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let port = try await server.listeningAddress().port!
        do {
            try await body(port)
        } catch {
            server.beginGracefulShutdown()
            throw error
        }
        server.beginGracefulShutdown()
        try await group.waitForAll()
    }
}
