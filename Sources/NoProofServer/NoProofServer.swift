package import Logging
package import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
package import NoProofProtocol
import ServiceLifecycle

/// The RPC server as a `Service`: `run()` listens until graceful shutdown (SIGTERM/SIGINT via a
/// ServiceGroup, or `beginGracefulShutdown()`), then sends GOAWAY on every connection, lets
/// calls in progress finish within the grace period, and returns once all connections closed.
package final class NoProofServer: Service, Sendable {
    let configuration: ServerConfiguration
    let registry: RPCRegistry
    let group: any EventLoopGroup
    let logger: Logger
    let authenticator: any Authenticator
    private let bound: EventLoopPromise<SocketAddress>
    private let shutdownRequested: EventLoopPromise<Void>
    /// Connection and call counters.
    package let statistics: ServerStatistics
    /// The authenticated connections by credential (revoking a credential closes its sessions).
    package let sessions: LiveSessions
    /// Connection caps, memory quota and authentication throttle (shared by listeners given the same).
    package let guards: ConnectionGuards

    /// `registry` holds the domain methods; the built-in ones are added here.
    package init(
        configuration: ServerConfiguration, registry: RPCRegistry, authenticator: any Authenticator,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        statistics: ServerStatistics = ServerStatistics(), sessions: LiveSessions = LiveSessions(),
        guards: ConnectionGuards? = nil
    ) {
        self.statistics = statistics
        self.sessions = sessions
        self.authenticator = authenticator
        let guards = guards ?? ConnectionGuards(configuration: configuration)
        self.guards = guards
        var registry = registry
        BuiltinServices.register(in: &registry, configuration: configuration, authenticator: authenticator, throttle: guards.throttle)
        if let observer = configuration.callObserver { registry.observe(with: observer) }
        self.configuration = configuration
        self.registry = registry
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: SocketAddress.self)
        self.shutdownRequested = group.next().makePromise(of: Void.self)
    }

    deinit {
        // A server that never ran (one that only served connected sockets) completes its promises
        // here, or NIO reports them leaked; after `run()` these are no-ops.
        bound.fail(RPCError(.unavailable, "the server was never started"))
        shutdownRequested.succeed(())
    }

    /// The methods this server answers.
    package var methods: MethodTable { registry.methods }

    /// The address the server listens on, once it does (the port is real when 0 was asked).
    package func listeningAddress() async throws -> SocketAddress {
        try await bound.futureResult.get()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    package func beginGracefulShutdown() {
        shutdownRequested.succeed(())
    }

    package func run() async throws {
        let quiesce = ConnectionQuiescer()
        let configuration = self.configuration
        let registry = self.registry
        let logger = self.logger
        let statistics = self.statistics
        let sessions = self.sessions
        let authenticator = self.authenticator
        let guards = self.guards
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                // Accept in bursts: thousands of clients connecting at once must not overflow the backlog.
                .serverChannelOption(.maxMessagesPerRead, value: 256)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Out of file descriptors (EMFILE, ENFILE) or memory, accept fails: say so
                        // (rate-limited) and back off for a second instead of spinning. The
                        // future-based bind does not add NIO's AcceptBackoffHandler by itself.
                        try channel.pipeline.syncOperations.addHandler(
                            AcceptBackoffHandler(shouldForwardIOErrorCaught: false) { error in
                                guards.acceptLog.warning(
                                    logger, "accept failed: cannot take new connections; backing off 1 s",
                                    metadata: [
                                        "error": "\(error)", "hint": "out of file descriptors? raise `ulimit -n` or lower --max-connections",
                                    ])
                                return .seconds(1)
                            })
                        try channel.pipeline.syncOperations.addHandler(quiesce.makeListenerHandler())
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.maxMessagesPerRead, value: Self.maxMessagesPerRead)
                .childChannelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.addConnectionHandlers(
                            to: channel, configuration: configuration, registry: registry, authenticator: authenticator, logger: logger,
                            statistics: statistics, sessions: sessions, guards: guards)
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            let failure = RPCError(.unavailable, "cannot listen on \(configuration.host):\(configuration.port): \(error)")
            bound.fail(failure)
            throw failure
        }
        let address = channel.localAddress!
        bound.succeed(address)
        let security = configuration.tls.map { $0.requiresClientCertificate ? "mutual TLS" : "TLS" } ?? "plain TCP"
        logger.info("listening", metadata: ["address": "\(address)", "transport": "\(security)", "methods": "\(registry.methods.all.count)"])

        let allClosed = channel.eventLoop.makePromise(of: Void.self)
        let shutdownRequested = self.shutdownRequested
        shutdownRequested.futureResult.whenSuccess {
            logger.info("graceful shutdown: no new connections; draining open ones")
            quiesce.initiateShutdown(listener: channel, promise: allClosed)
        }
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await allClosed.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
                allClosed.succeed(())
            }
        } onGracefulShutdown: {
            shutdownRequested.succeed(())
        }
        logger.info("stopped")
    }

    /// Sets up one connection's pipeline, an accepted one or a connected socket's: TLS when
    /// configured, then the call handler and its management handler.
    static func addConnectionHandlers(
        to channel: any Channel, configuration: ServerConfiguration, registry: RPCRegistry, authenticator: any Authenticator,
        logger: Logger, statistics: ServerStatistics, sessions: LiveSessions, guards: ConnectionGuards
    ) throws {
        // TLS first: the frame decoder only ever sees decrypted bytes.
        if let tls = configuration.tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
            try channel.pipeline.syncOperations.addHandler(
                TLSSessionHandler(authenticator: tls.requiresClientCertificate ? authenticator : nil, logger: logger)
            )
        }
        try ServerConnectionHandler.addConnectionHandlers(
            to: channel.pipeline.syncOperations, configuration: configuration, registry: registry, logger: logger,
            statistics: statistics, sessions: sessions, guards: guards
        )
    }
}
