package import NIOCore
import NIOPosix
import Logging

extension NoProofServer {
    /// Reads per event-loop wake-up on a connection, accepted or connected.
    static let maxMessagesPerRead: UInt = 16
    /// A connection's write buffer: writability turns off above 1 MiB queued, on again below 256 KiB.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1024 * 1024)

    /// Serves one already-connected stream socket — one end of a `socketpair(AF_UNIX, SOCK_STREAM)`,
    /// the tests' in-process transport — with the pipeline of an accepted TCP connection (TLS when
    /// configured, the call handler, its management handler), without a listener and without
    /// `run()`. The returned channel owns the descriptor and closes it; the connection closes when
    /// the peer does, when its clocks run out, or, gracefully, on `ChannelShouldQuiesceEvent` (what
    /// the listener's quiescer sends each connection): `beginGracefulShutdown()` does not reach it.
    package func serve(connectedSocket socket: NIOBSDSocket.Handle) async throws -> any Channel {
        let configuration = self.configuration
        let registry = self.registry
        let authenticator = self.authenticator
        let logger = self.logger
        let statistics = self.statistics
        let sessions = self.sessions
        let guards = self.guards
        logger.debug("serving a connected socket")
        // The options of an accepted connection but TCP_NODELAY, which a Unix socket does not have.
        return try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.maxMessagesPerRead, value: Self.maxMessagesPerRead)
            .channelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.addConnectionHandlers(
                        to: channel, configuration: configuration, registry: registry, authenticator: authenticator, logger: logger,
                        statistics: statistics, sessions: sessions, guards: guards)
                }
            }
            .withConnectedSocket(socket)
            .get()
    }
}
