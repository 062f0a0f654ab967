package import NIOCore
import NIOPosix
import NoProofCodec
import NoProofProtocol

extension NoProofClient {
    /// Connects over an already-connected stream socket — one end of a `socketpair`, whose other
    /// end a server serves (`NoProofServer.serve(connectedSocket:)`) — then, as `connect`, exchanges
    /// prefaces, waits for the server's SETTINGS and authenticates if a credential is configured.
    /// The connection owns the descriptor and closes it. `configuration`'s host and port only name
    /// the server in messages (and TLS's server name).
    package static func connect(
        connectedSocket socket: NIOBSDSocket.Handle, _ configuration: Configuration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NoProofClient {
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: ServerSettings.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try addHandlers(to: channel, configuration: configuration, ready: ready)
                    }
                }
                .withConnectedSocket(socket)
                .get()
        } catch {
            ready.fail(error)
            throw RPCError(.unavailable, "cannot use the connected socket to the server (\(error))")
        }
        return try await start(on: channel, eventLoop: eventLoop, ready: ready, configuration: configuration)
    }
}
