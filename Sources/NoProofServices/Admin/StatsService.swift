package import Foundation
import NoProofCodec
package import NoProofLibrary
package import NoProofMessages
package import NoProofProtocol
package import NoProofServer
package import NoProofAuditChain

/// `/noproof.v1.Admin/GetStats`: traffic, CPU, cache hit ratio, audit volume, and where lookups'
/// time goes (the per-stage breakdown, `StageLatencies`).
package struct StatsService: Sendable {
    package static let getStats = AdminMethods.getStats

    let statistics: ServerStatistics
    let library: LicenceLibrary
    let audit: any AuditTrail
    let startedAt: Date

    package init(statistics: ServerStatistics, library: LicenceLibrary, audit: any AuditTrail, startedAt: Date = Date()) {
        self.statistics = statistics
        self.library = library
        self.audit = audit
        self.startedAt = startedAt
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(Self.getStats, APIGetStatsRequest.self, APIGetStatsResponse.self) { _, context in
            _ = try context.requireUnit()
            return try await snapshot()
        }
    }

    package func snapshot() async throws -> APIGetStatsResponse {
        let cache = library.cache.statistics
        let head = try await audit.head()
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
        return APIGetStatsResponse(
            uptimeSeconds: UInt64(max(0, Date().timeIntervalSince(startedAt))), processCpuSeconds: cpu,
            connectionsOpen: UInt64(max(0, statistics.connectionsOpen)), connectionsTotal: statistics.connectionsTotal,
            callsTotal: statistics.callsTotal, callsFailed: statistics.callsFailed,
            cache: APICacheStats(
                hits: cache.hits, misses: cache.misses, hitRatio: cache.hitRatio, holders: UInt64(cache.holders),
                licences: UInt64(cache.licences), capacity: UInt64(cache.capacity), evictions: cache.evictions),
            auditRecords: UInt64(try await audit.count()),
            auditHeadSequence: UInt64(max(0, head.sequence)), auditHeadHash: head.hash,
            callsInProgress: UInt64(max(0, statistics.callsInProgress)), callsShed: statistics.callsShed,
            maxPendingAnswerBytes: UInt64(max(0, statistics.maxPendingAnswerBytes)),
            connectionsClosedNotReading: statistics.connectionsClosedForNotReading,
            connectionsRefused: statistics.connectionsRefused,
            connectionsClosedMemoryQuota: statistics.connectionsClosedForMemoryQuota,
            connectionsClosedUnauthenticated: statistics.connectionsClosedUnauthenticated,
            stages: statistics.stages.summaries().map {
                APIStageLatency(
                    name: $0.stage.name, count: $0.count, p50Micros: $0.p50, p90Micros: $0.p90, p99Micros: $0.p99,
                    p999Micros: $0.p999, maxMicros: $0.max, perBatch: $0.stage.isPerBatch)
            }
        )
    }
}
