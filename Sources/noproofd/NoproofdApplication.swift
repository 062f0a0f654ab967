import Logging
import NoProofPostgres
import NoProofServer
import ServiceLifecycle

/// noproofd's services as one application, like hummingbird's `Application`: the listeners
/// (and whatever else must run as long as they do) exposed to swift-service-lifecycle, run in a
/// `ServiceGroup` that begins a graceful shutdown on SIGTERM or SIGINT. Services listed first
/// are shut down last: background work given here outlives the listeners' draining.
struct NoproofdApplication {
    /// Runs until the group shuts down; ended (cancelled) at the graceful shutdown's end.
    struct BackgroundService: Service {
        let body: @Sendable () async -> Void

        func run() async {
            await cancelWhenGracefulShutdown { await body() }
        }
    }

    var listeners: [NoProofServer]
    var background: [BackgroundService] = []
    /// Other services that run as long as the listeners (the metrics endpoint), shut down after them.
    var endpoints: [ServiceGroupConfiguration.ServiceConfiguration] = []
    /// Services that call the listeners (the web page): started after them, shut down first.
    var clients: [ServiceGroupConfiguration.ServiceConfiguration] = []
    let logger: Logger

    /// Services whose failure ends the application gracefully (the PostgreSQL serving lock's watch).
    var watches: [ServiceGroupConfiguration.ServiceConfiguration] = []
    /// Everything the ServiceGroup runs, in start order (shut down in reverse).
    var services: [any Service] { background + listeners }

    /// Adds work that runs as long as the application does.
    mutating func runInBackground(_ body: @escaping @Sendable () async -> Void) {
        background.append(BackgroundService(body: body))
    }

    /// Ends the application gracefully, with an error, if `lock` is lost while it runs.
    mutating func watch(_ lock: PostgresSessionLock, logger: Logger) {
        watches.append(.init(service: InstanceLockWatch(lock: lock, logger: logger), failureTerminationBehavior: .gracefullyShutdownGroup))
    }

    func run() async throws {
        let group = ServiceGroup(
            configuration: .init(
                // Background work ending by itself is no reason to stop serving.
                services: background.map { .init(service: $0, successTerminationBehavior: .ignore) }
                    + watches + endpoints + listeners.map { .init(service: $0) } + clients,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
