import ArgumentParser
import Logging
import NoProofAudit
import NoProofMetrics
import NoProofPostgres
import NoProofServer
import NoProofServices
import ServiceLifecycle

/// The metrics of one noproofd (`--metrics-port`, `--metrics-host`; docs/METRICS.md): the
/// series fed by the server statistics, the licence cache, the audit log, the access gate and the
/// verification store, and the endpoint serving them.
struct DaemonMetrics {
    let metrics: NoProofMetrics
    /// Install as `ServerConfiguration.callObserver` on every listener.
    let calls: CallMetrics
    let endpoint: MetricsEndpoint

    /// nil when `port` is nil or 0 (metrics off). A host other than loopback needs `host` given.
    init?(port: Int?, host: String?, statistics: ServerStatistics, storage: DaemonStorage, gate: AccessGate, logger: Logger) throws {
        guard let port, port != 0 else { return nil }
        guard (1...65_535).contains(port) else { throw ValidationError("--metrics-port must be between 1 and 65535 (0: no metrics)") }
        metrics = NoProofMetrics()
        calls = CallMetrics(metrics: metrics)
        metrics.collect(statistics: statistics)
        metrics.collect(cache: storage.licences.cache)
        if let log = storage.audit as? AuditLog {
            metrics.observe(audit: log)
        } else if let trail = storage.audit as? PostgresAuditTrail {
            metrics.observeAuditBatches(trail.observeBatches)
        }
        metrics.collect(refusals: gate.refusals)
        metrics.collect(verifications: storage.verification)
        do {
            endpoint = try MetricsEndpoint(
                configuration: .init(host: host ?? "127.0.0.1", port: port, allowNonLoopback: host != nil),
                metrics: metrics, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The endpoint as a service of noproofd's ServiceGroup (none without metrics).
    static func services(_ metrics: DaemonMetrics?) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        metrics.map { [.init(service: $0.endpoint)] } ?? []
    }

    /// The log handler of `--log-format` (text: swift-log's stream handler; json: one object per
    /// line), behind the masking handler so that personal data never reach either.
    static func logHandler(label: String, level: Logger.Level, format: String) -> any LogHandler {
        if format == "json" {
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return MaskingLogHandler(wrapping: handler)
        }
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return MaskingLogHandler(wrapping: handler)
    }
}
