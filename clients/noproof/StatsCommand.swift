import Foundation
import ArgumentParser
import NoProofClient
import NoProofCodec
import NoProofMessages

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Server statistics: connections, calls, CPU, licence cache hit ratio, audit records and chain head, and where lookups' time goes (per stage)."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let stats = try await connection.withClient { client in try await client.stats() }
        let cache = stats.cache ?? APICacheStats()
        let hex = stats.auditHeadHash.map { String(format: "%02x", $0) }.joined()
        if connection.json {
            struct Output: Encodable {
                var uptimeSeconds: UInt64; var processCpuSeconds: Double; var connectionsOpen, connectionsTotal, callsTotal, callsFailed: UInt64
                var cacheHits, cacheMisses: UInt64; var cacheHitRatio: Double; var cacheHolders, cacheLicences, cacheCapacity, cacheEvictions: UInt64
                var auditRecords: UInt64; var auditHeadSequence: UInt64; var auditHeadHash: String
                var callsInProgress, callsShed, maxPendingAnswerBytes, connectionsClosedNotReading: UInt64
                var connectionsRefused, connectionsClosedMemoryQuota, connectionsClosedUnauthenticated: UInt64
                var stages: [Stage]
            }
            struct Stage: Encodable {
                var name: String; var perBatch: Bool; var count, p50Micros, p90Micros, p99Micros, p999Micros, maxMicros: UInt64
            }
            try printJSON(
                Output(
                    uptimeSeconds: stats.uptimeSeconds, processCpuSeconds: stats.processCpuSeconds,
                    connectionsOpen: stats.connectionsOpen, connectionsTotal: stats.connectionsTotal,
                    callsTotal: stats.callsTotal, callsFailed: stats.callsFailed, cacheHits: cache.hits,
                    cacheMisses: cache.misses, cacheHitRatio: cache.hitRatio, cacheHolders: cache.holders,
                    cacheLicences: cache.licences, cacheCapacity: cache.capacity, cacheEvictions: cache.evictions,
                    auditRecords: stats.auditRecords, auditHeadSequence: stats.auditHeadSequence,
                    auditHeadHash: hex, callsInProgress: stats.callsInProgress, callsShed: stats.callsShed,
                    maxPendingAnswerBytes: stats.maxPendingAnswerBytes, connectionsClosedNotReading: stats.connectionsClosedNotReading,
                    connectionsRefused: stats.connectionsRefused, connectionsClosedMemoryQuota: stats.connectionsClosedMemoryQuota,
                    connectionsClosedUnauthenticated: stats.connectionsClosedUnauthenticated,
                    stages: stats.stages.map {
                        Stage(
                            name: $0.name, perBatch: $0.perBatch, count: $0.count, p50Micros: $0.p50Micros, p90Micros: $0.p90Micros,
                            p99Micros: $0.p99Micros, p999Micros: $0.p999Micros, maxMicros: $0.maxMicros)
                    }))
            return
        }
        print("uptime        \(stats.uptimeSeconds) s, CPU \(String(format: "%.1f", stats.processCpuSeconds)) s")
        print(
            "connections   \(stats.connectionsOpen) open, \(stats.connectionsTotal) since start; refused by a cap \(stats.connectionsRefused), "
                + "closed: memory quota \(stats.connectionsClosedMemoryQuota), not authenticating in time \(stats.connectionsClosedUnauthenticated), "
                + "not reading \(stats.connectionsClosedNotReading)")
        print("calls         \(stats.callsTotal) (\(stats.callsFailed) not OK), \(stats.callsInProgress) in progress, \(stats.callsShed) shed")
        print(
            "licence cache \(cache.licences) of \(cache.capacity) licences, \(cache.holders) holders; "
                + "hit ratio \(String(format: "%.1f", cache.hitRatio * 100))% (\(cache.hits) hits, \(cache.misses) misses), \(cache.evictions) evictions")
        print("audit records \(stats.auditRecords); chain head \(stats.auditHeadSequence):\(hex)")
        if !stats.stages.isEmpty { print(Self.stageTable(stats.stages)) }
    }

    /// Where lookups' time goes: one row per stage, in pipeline order, in microseconds.
    static func stageTable(_ stages: [APIStageLatency]) -> String {
        var lines = [
            "lookup stages (µs; seal and fsync per batch, the others per call)",
            "  " + "stage".padding(toLength: 11, withPad: " ", startingAt: 0)
                + ["count", "p50", "p90", "p99", "p99.9", "max"].map { $0.leftPadded(to: 10) }.joined(separator: " "),
        ]
        for stage in stages {
            let cells = [stage.count, stage.p50Micros, stage.p90Micros, stage.p99Micros, stage.p999Micros, stage.maxMicros]
                .map { String($0).leftPadded(to: 10) }
            lines.append("  " + (stage.name + (stage.perBatch ? "*" : "")).padding(toLength: 11, withPad: " ", startingAt: 0) + cells.joined(separator: " "))
        }
        lines.append("  * per batch: count is the number of proof-issuer batches")
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
