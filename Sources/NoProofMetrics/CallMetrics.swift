package import NoProofProtocol
import NoProofServer
import Prometheus

/// The server's `CallObserver`: `noproof_calls_total{method,status}` and
/// `noproof_call_duration_seconds{method}`. Each method's OK counter and histogram are resolved
/// once, when the server wraps the method; an OK call then costs one atomic add and the
/// histogram's lock. Other statuses look their counter up in the registry. Calls refused before
/// their implementation ran are counted in `noproof_calls_total` too (method `unknown` when the
/// server did not resolve one), with no duration.
package final class CallMetrics: CallObserver {
    static let callsName = "noproof_calls_total"
    static let callsHelp =
        "Calls by method path and status code name: those whose method implementation ended and those refused before it ran (method unknown when none was resolved)."
    /// The `method` label of a refused call that named no method the server knows (unknown method,
    /// malformed CALL header): a client's arbitrary path would make unbounded label values.
    static let unknownMethod = "unknown"
    static let durationName = "noproof_call_duration_seconds"
    static let durationHelp = "Time from a call's method implementation starting to its answer or error, by method path."

    private let metrics: NoProofMetrics

    package init(metrics: NoProofMetrics) {
        self.metrics = metrics
    }

    package func callEnded(methodPath: String, status: StatusCode, duration: Duration) {
        histogram(methodPath).record(duration)
        calls(methodPath, status).increment()
    }

    package func recorder(forMethod path: String) -> @Sendable (StatusCode, Duration) -> Void {
        let histogram = histogram(path)
        let ok = calls(path, .ok)
        return { [self] status, duration in
            histogram.record(duration)
            if status == .ok { ok.increment() } else { calls(path, status).increment() }
        }
    }

    package func callRefused(methodPath: String?, status: StatusCode) {
        calls(methodPath ?? Self.unknownMethod, status).increment()
    }

    private func calls(_ path: String, _ status: StatusCode) -> Counter {
        metrics.counter(Self.callsName, Self.callsHelp, labels: [("method", path), ("status", status.name)])
    }

    private func histogram(_ path: String) -> DurationHistogram {
        metrics.registry.makeDurationHistogram(
            descriptor: NoProofMetrics.descriptor(Self.durationName, Self.durationHelp),
            labels: [("method", path)], buckets: NoProofMetrics.durationBuckets)
    }
}
