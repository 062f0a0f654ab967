package import Prometheus
import Synchronization

/// The server's Prometheus series (docs/METRICS.md): one collector registry, the instruments the
/// hot paths touch (calls, audit batches), and scrape-time collectors that copy the figures kept
/// elsewhere (server statistics, licence cache, refusals, verification requests) into their series
/// just before each exposition.
package final class NoProofMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()

    private enum Collector: Sendable {
        case sync(@Sendable () -> Void)
        case async(@Sendable () async -> Void)
    }

    private let collectors = Mutex<[Collector]>([])
    /// Families written by hand after the registry's (series kept outside it, such as the stage
    /// histograms read from `StageLatencies` at scrape time).
    private let texts = Mutex<[@Sendable () -> String]>([])
    /// One scrape at a time applies the counters it copies (reset, then the current value).
    private let scrapeLock = Mutex(())

    package init() {}

    /// Runs `update` before each exposition (under the scrape lock: it may set counters).
    package func addCollector(_ update: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(.sync(update)) }
    }

    /// Runs `update` before each exposition, before the synchronous collectors (gauges only: it
    /// runs outside the scrape lock).
    package func addAsyncCollector(_ update: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(.async(update)) }
    }

    /// Appends `family` (complete exposition lines: HELP, TYPE, samples) to each exposition, after
    /// the registry's series; its name must not be one of the registry's.
    package func addTextCollector(_ family: @escaping @Sendable () -> String) {
        texts.withLock { $0.append(family) }
    }

    /// The text exposition (format 0.0.4) of every series, their scrape-time values refreshed.
    package func exposition() async -> [UInt8] {
        let all = collectors.withLock { $0 }
        let families = texts.withLock { $0 }
        for case .async(let update) in all { await update() }
        var buffer = scrapeLock.withLock { _ in
            for case .sync(let update) in all { update() }
            return registry.emitToBuffer()
        }
        for family in families { buffer.append(contentsOf: family().utf8) }
        return buffer
    }

    // MARK: Instruments

    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func counter(_ name: String, _ help: String, labels: [(String, String)] = []) -> Counter {
        labels.isEmpty
            ? registry.makeCounter(descriptor: Self.descriptor(name, help))
            : registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
        labels.isEmpty
            ? registry.makeGauge(descriptor: Self.descriptor(name, help))
            : registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// Sets a counter kept elsewhere to its current total (call under the scrape lock only).
    static func set(_ counter: Counter, to value: UInt64) {
        counter.reset()
        if value > 0 { counter.increment(by: Int64(clamping: value)) }
    }

    /// Latency buckets: 100 µs to 10 s.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
}
