import Histogram
import Synchronization

/// Where a lookup's time goes (issue 19): one HdrHistogram per stage of the pipeline, in
/// microseconds, aggregated server-wide since start. Shown by `noproof stats` (GetStats) and the
/// metrics endpoint (`noproof_call_stage_duration_seconds{stage}`); docs/PERFORMANCE.md.
///
/// Cheap on the hot path: the per-call stages are recorded once per event-loop wake-up for all the
/// answers it wrote (`record(calls:)`), the per-batch stages once per proof-issuer batch
/// (`recordBatch`); either takes the one lock once, never per field or per stage. Reading (stats,
/// scrapes) copies the histograms under the lock and computes outside it.
package final class StageLatencies: Sendable {
    /// The stages, in pipeline order. Each is the time between two hand-offs (`CallStamps.Mark`).
    package enum Stage: Int, CaseIterable, Sendable {
        /// Frame read → request decoded (CALL header and request message).
        case decode
        /// Decoded → admitted (authentication, the proof issuer's overload check, the cited item,
        /// the holder id, the access gate and its rate limits).
        case admit
        /// Admitted → licences in hand (on a shared store after the freshness check; the cache, or
        /// the store on a miss).
        case lookup
        /// Looked up → queued in the proof issuer (minimising and encoding the proof body).
        case enqueue
        /// Queued → the writer takes the batch (waiting for the batch before it).
        case batchWait
        /// One batch: the Ed25519 signature over its Merkle root (per batch).
        case seal
        /// One batch: writing its audit records and the durable commit (synchronous=FULL; per batch).
        case fsync
        /// Committed → answer written to the channel (delivery queue, mailbox, event loop).
        case answer
        /// Frame read → answer written: the whole call.
        case total

        /// The name in GetStats and the metrics' `stage` label.
        package var name: String {
            switch self {
            case .decode: "decode"
            case .admit: "admit"
            case .lookup: "lookup"
            case .enqueue: "enqueue"
            case .batchWait: "batch_wait"
            case .seal: "seal"
            case .fsync: "fsync"
            case .answer: "answer"
            case .total: "total"
            }
        }

        /// Recorded once per proof-issuer batch (not per call).
        package var isPerBatch: Bool { self == .seal || self == .fsync }
    }

    /// One stage's figures, in microseconds.
    package struct Summary: Sendable, Equatable {
        package var stage: Stage
        package var count: UInt64
        package var p50: UInt64
        package var p90: UInt64
        package var p99: UInt64
        package var p999: UInt64
        package var max: UInt64
        /// The sum of the recorded values (exact, not from the histogram's buckets).
        package var sum: UInt64
    }

    /// The largest value kept apart: 60 s (longer ones are recorded as 60 s).
    package static let highestMicros: UInt64 = 60_000_000

    private struct State {
        var histograms = Stage.allCases.map { _ in
            Histogram<UInt64>(highestTrackableValue: StageLatencies.highestMicros, numberOfSignificantValueDigits: .three)
        }
        var sums = [UInt64](repeating: 0, count: Stage.allCases.count)

        mutating func record(_ stage: Stage, nanos: UInt64) {
            let micros = Swift.min(nanos / 1000, StageLatencies.highestMicros)
            _ = histograms[stage.rawValue].record(micros)
            sums[stage.rawValue] &+= micros
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Records the per-call stages of the calls whose stamps are complete (the others — refused,
    /// failed, cancelled before their answer — are left out), under one lock.
    package func record(calls: some Sequence<CallStamps>) {
        var durations: [(Stage, UInt64)] = []
        for stamps in calls where stamps.isComplete {
            func between(_ from: CallStamps.Mark, _ to: CallStamps.Mark) -> UInt64 {
                let (start, end) = (stamps.at(from), stamps.at(to))
                return end > start ? end - start : 0
            }
            durations.append((.decode, between(.received, .decoded)))
            durations.append((.admit, between(.decoded, .admitted)))
            durations.append((.lookup, between(.admitted, .lookedUp)))
            durations.append((.enqueue, between(.lookedUp, .queued)))
            durations.append((.batchWait, between(.queued, .batchStarted)))
            durations.append((.answer, between(.fsynced, .answered)))
            durations.append((.total, between(.received, .answered)))
        }
        if durations.isEmpty { return }
        record(durations)
    }

    /// Records one proof-issuer batch's sealing and durable audit write.
    package func recordBatch(sealNanos: UInt64, fsyncNanos: UInt64) {
        record([(.seal, sealNanos), (.fsync, fsyncNanos)])
    }

    /// Records stage durations (nanoseconds), under one lock.
    package func record(_ durations: [(Stage, UInt64)]) {
        state.withLock { state in
            for (stage, nanos) in durations { state.record(stage, nanos: nanos) }
        }
    }

    /// Every stage's figures, in pipeline order.
    package func summaries() -> [Summary] {
        let (histograms, sums) = state.withLock { ($0.histograms, $0.sums) }
        return Stage.allCases.map { Self.summary($0, histograms[$0.rawValue], sum: sums[$0.rawValue]) }
    }

    /// Every stage's figures and its cumulative counts at or below each bound (microseconds,
    /// ascending): the buckets of a Prometheus histogram, to the histogram's precision (three
    /// significant digits: a value within 0.1 % above a bound may count in its bucket).
    package func cumulativeCounts(atOrBelow bounds: [UInt64]) -> [(summary: Summary, counts: [UInt64])] {
        let (histograms, sums) = state.withLock { ($0.histograms, $0.sums) }
        return Stage.allCases.map { stage in
            let histogram = histograms[stage.rawValue]
            let counts = bounds.map { histogram.totalCount == 0 ? 0 : histogram.count(within: 0...$0) }
            return (Self.summary(stage, histogram, sum: sums[stage.rawValue]), counts)
        }
    }

    private static func summary(_ stage: Stage, _ histogram: Histogram<UInt64>, sum: UInt64) -> Summary {
        guard histogram.totalCount > 0 else { return Summary(stage: stage, count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, sum: 0) }
        return Summary(
            stage: stage, count: histogram.totalCount,
            p50: histogram.valueAtPercentile(50), p90: histogram.valueAtPercentile(90),
            p99: histogram.valueAtPercentile(99), p999: histogram.valueAtPercentile(99.9),
            max: histogram.maxRecorded, sum: sum)
    }
}
