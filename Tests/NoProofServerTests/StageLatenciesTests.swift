import Testing
@testable import NoProofServer

/// The per-stage latency recorder alone: known durations in, the right stage and quantiles out.
@Suite("Stage latencies")
struct StageLatenciesTests {
    typealias Stage = StageLatencies.Stage

    static func summary(_ stages: StageLatencies, _ stage: Stage) -> StageLatencies.Summary {
        stages.summaries()[stage.rawValue]
    }

    /// Stamps from `start` (nanoseconds): each hand-off after `received` comes `gaps[i]` microseconds after the one before.
    static func stamps(start: UInt64 = 1_000_000, gaps: [UInt64]) -> CallStamps {
        let stamps = CallStamps(received: start)
        var at = start
        for (mark, gap) in zip(CallStamps.Mark.allCases.dropFirst(), gaps) {
            at += gap * 1000
            stamps.mark(mark, at: at)
        }
        return stamps
    }

    @Test func stagesAreListedInPipelineOrderWithTheirNames() {
        let summaries = StageLatencies().summaries()
        #expect(summaries.map(\.stage.name) == ["decode", "admit", "lookup", "enqueue", "batch_wait", "seal", "fsync", "answer", "total"])
        #expect(summaries.allSatisfy { $0.count == 0 && $0.max == 0 && $0.p50 == 0 })
        #expect(Stage.allCases.filter(\.isPerBatch) == [.seal, .fsync])
    }

    @Test func quantilesOfKnownValues() {
        let stages = StageLatencies()
        // 1 µs ... 1000 µs into decode, in nanoseconds (the fraction of a microsecond is dropped).
        stages.record((1...1000).map { (Stage.decode, UInt64($0) * 1000 + 999) })
        let decode = Self.summary(stages, .decode)
        #expect(decode.count == 1000)
        #expect(decode.p50 == 500)
        #expect(decode.p90 == 900)
        #expect(decode.p99 == 990)
        #expect(decode.p999 == 999)
        #expect(decode.max == 1000)
        #expect(decode.sum == 500_500)
        // Nothing landed anywhere else.
        #expect(stages.summaries().filter { $0.stage != .decode }.allSatisfy { $0.count == 0 })
    }

    @Test func aCallsStampsLandInTheirStages() {
        let stages = StageLatencies()
        // decoded +3, admitted +5, lookedUp +7, queued +11, batchStarted +13, sealed +17, fsynced +19, answered +23 (µs).
        stages.record(calls: [Self.stamps(gaps: [3, 5, 7, 11, 13, 17, 19, 23])])
        let expected: [Stage: UInt64] = [
            .decode: 3, .admit: 5, .lookup: 7, .enqueue: 11, .batchWait: 13, .answer: 23,
            .total: 3 + 5 + 7 + 11 + 13 + 17 + 19 + 23,
        ]
        for stage in Stage.allCases {
            let summary = Self.summary(stages, stage)
            if let value = expected[stage] {
                #expect(summary.count == 1, "\(stage.name)")
                #expect(summary.max == value, "\(stage.name)")
                #expect(summary.p50 == value, "\(stage.name)")
            } else {
                // Seal and fsync are the batch's, recorded by the issuer once per batch, not per call.
                #expect(summary.count == 0, "\(stage.name)")
            }
        }
    }

    @Test func incompleteCallsAreLeftOut() {
        let stages = StageLatencies()
        let refused = CallStamps(received: 1_000)
        refused.mark(.decoded, at: 2_000)
        let failedWrite = Self.stamps(gaps: [1, 1, 1, 1, 1, 1])  // never fsynced nor answered
        stages.record(calls: [refused, failedWrite, Self.stamps(gaps: [1, 1, 1, 1, 1, 1, 1, 1])])
        #expect(Self.summary(stages, .decode).count == 1)
        #expect(Self.summary(stages, .total).count == 1)
        #expect(Self.summary(stages, .total).max == 8)
    }

    @Test func batchesRecordSealAndFsyncOnce() {
        let stages = StageLatencies()
        stages.recordBatch(sealNanos: 40_000, fsyncNanos: 2_000_000)
        stages.recordBatch(sealNanos: 60_000, fsyncNanos: 4_000_000)
        let seal = Self.summary(stages, .seal)
        let fsync = Self.summary(stages, .fsync)
        #expect(seal.count == 2)
        #expect(seal.p50 == 40)
        #expect(seal.max == 60)
        #expect(fsync.count == 2)
        #expect(fsync.sum == 6_000)
        #expect(fsync.max >= 3_996 && fsync.max <= 4_004)  // to 3 significant digits
        #expect(Self.summary(stages, .decode).count == 0)
    }

    @Test func longValuesAreClampedToTheHighestTracked() {
        let stages = StageLatencies()
        stages.record([(.fsync, 3_600 * 1_000_000_000)])
        let fsync = Self.summary(stages, .fsync)
        #expect(fsync.count == 1)
        #expect(fsync.max == StageLatencies.highestMicros)
    }

    @Test func cumulativeCountsAreBuckets() {
        let stages = StageLatencies()
        stages.record([50, 100, 200, 900, 5_000].map { (Stage.lookup, UInt64($0) * 1000) })
        let bounds: [UInt64] = [100, 250, 1_000, 10_000]
        let lookup = stages.cumulativeCounts(atOrBelow: bounds)[Stage.lookup.rawValue]
        #expect(lookup.summary.stage == .lookup)
        #expect(lookup.summary.count == 5)
        #expect(lookup.counts == [2, 3, 4, 5])
        #expect(stages.cumulativeCounts(atOrBelow: bounds)[Stage.decode.rawValue].counts == [0, 0, 0, 0])
    }
}
