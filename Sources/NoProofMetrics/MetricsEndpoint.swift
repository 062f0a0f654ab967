package import Logging
package import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import NoProofProtocol

/// The metrics listener as a `Service`: a tiny HTTP/1.1 server answering `GET /metrics` with the
/// Prometheus text exposition (`text/plain; version=0.0.4`) and 404 to anything else; each
/// connection is closed after its answer. It binds to a loopback address unless a non-loopback
/// host was asked for explicitly (`allowNonLoopback`): the series name methods and counts that
/// operators may not want on the network.
package final class MetricsEndpoint: Service, Sendable {
    package struct Configuration: Sendable {
        package var host: String = "127.0.0.1"
        /// 0 picks a free port (tests); see `listeningAddress()`.
        package var port: Int
        /// True when the operator named the host (`--metrics-host`): then any address may be bound.
        package var allowNonLoopback: Bool = false

        package init(host: String = "127.0.0.1", port: Int, allowNonLoopback: Bool = false) {
            self.host = host
            self.port = port
            self.allowNonLoopback = allowNonLoopback
        }
    }

    package struct NotLoopback: Error, CustomStringConvertible {
        package var host: String
        package var description: String {
            "refusing to serve metrics on \(host), which is not a loopback address; name it with --metrics-host to do so"
        }
    }

    private let configuration: Configuration
    private let metrics: NoProofMetrics
    private let group: any EventLoopGroup
    private let logger: Logger
    private let bound: EventLoopPromise<SocketAddress>

    /// Throws `NotLoopback` for a non-loopback host not explicitly allowed.
    package init(
        configuration: Configuration, metrics: NoProofMetrics,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) throws {
        guard configuration.allowNonLoopback || LoopbackHost.contains(configuration.host) else {
            throw NotLoopback(host: configuration.host)
        }
        self.configuration = configuration
        self.metrics = metrics
        self.group = group
        self.logger = logger
        self.bound = group.next().makePromise(of: SocketAddress.self)
    }

    /// An endpoint never run still completes its address promise (a no-op once it listened).
    deinit {
        bound.fail(CancellationError())
    }

    /// The address listened on, once it is (the real port when 0 was asked).
    package func listeningAddress() async throws -> SocketAddress {
        try await bound.futureResult.get()
    }

    package func run() async throws {
        let metrics = self.metrics
        let logger = self.logger
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics, logger: logger))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            bound.fail(error)
            throw error
        }
        let address = channel.localAddress!
        bound.succeed(address)
        logger.info("metrics endpoint listening", metadata: ["address": "\(address)", "path": "/metrics"])
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await channel.closeFuture.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
        logger.info("metrics endpoint stopped")
    }
}
