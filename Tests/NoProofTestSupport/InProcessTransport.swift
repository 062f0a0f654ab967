import NIOCore
package import NoProofClient
import NoProofDomain
package import NoProofServer
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Clients of one server without a TCP port: each `connect` makes a `socketpair(AF_UNIX,
/// SOCK_STREAM)`, the server serves one end with its real connection pipeline (the call handler
/// and its management handler) and a `NoProofClient` takes the other. `shutDown()` ends the
/// connections as the server's graceful shutdown does and waits until every one has closed.
package final class InProcessTransport: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: any Channel] = [:]
        var shuttingDown = false
    }

    private let server: NoProofServer
    private let state = Mutex(State())

    package init(server: NoProofServer) {
        self.server = server
    }

    /// Connections the server side still has open.
    package var openConnections: Int { state.withLock { $0.connections.count } }

    /// A client connected to the server (authenticated when `configuration` has a credential).
    package func connect(_ configuration: NoProofClient.Configuration = .init()) async throws -> NoProofClient {
        var ends: [Int32] = [-1, -1]
        #if canImport(Glibc)
            let streamType = Int32(SOCK_STREAM.rawValue)
        #else
            let streamType = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, streamType, 0, &ends) == 0 else {
            throw NoProofError(.unavailable, "socketpair failed (errno \(errno)); too many open files? raise `ulimit -n`")
        }
        let serverSide: any Channel
        do {
            serverSide = try await server.serve(connectedSocket: ends[0])
        } catch {
            _ = close(ends[1])
            throw error
        }
        track(serverSide)
        return try await NoProofClient.connect(connectedSocket: ends[1], configuration)
    }

    /// Sends every open connection `ChannelShouldQuiesceEvent` (GOAWAY, calls in progress finish
    /// within the grace period, then the connection closes) and waits until all have closed; a
    /// connection made after this is closed at once.
    package func shutDown() async {
        let open = state.withLock { state -> [any Channel] in
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        for channel in open {
            try? await channel.closeFuture.get()
        }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let refused = state.withLock { state -> Bool in
            guard !state.shuttingDown else { return true }
            state.connections[id] = channel
            return false
        }
        if refused {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.state.withLock { $0.connections.removeValue(forKey: id) }
        }
    }
}

/// Calls `body` with an in-process transport to `server` (no port, no `run()`); then shuts every
/// connection down gracefully (also when `body` throws) and waits until all have closed.
package func withInProcessServer<T: Sendable>(
    _ server: NoProofServer,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (InProcessTransport) async throws -> T
) async throws -> T {
    let transport = InProcessTransport(server: server)
    let result: T
    do {
        result = try await body(transport)
    } catch {
        await transport.shutDown()
        throw error
    }
    await transport.shutDown()
    return result
}
