package import Foundation
package import NoProofLibrary
package import NoProofServer
package import NoProofServices
package import NoProofAudit
package import NoProofVerification
import Prometheus
import NoProofSQLite

extension NoProofMetrics {
    /// Connections and calls from the server statistics, copied at scrape time (no hot-path cost).
    /// With them, the per-stage latency breakdown (`collect(stages:)`).
    package func collect(statistics: ServerStatistics) {
        collect(stages: statistics.stages)
        let open = gauge("noproof_connections_open", "Connections open now.")
        let stateHelp = "Connections open now, by state: authenticated, or not (yet)."
        let authenticated = gauge("noproof_connections_by_state", stateHelp, labels: [("state", "authenticated")])
        let notAuthenticated = gauge("noproof_connections_by_state", stateHelp, labels: [("state", "unauthenticated")])
        let total = counter("noproof_connections_opened_total", "Connections accepted since start.")
        let refused = counter("noproof_connections_refused_total", "Connections refused at once by the connection caps.")
        let closedHelp = "Connections the server closed on a limit, by reason."
        let notReading = counter("noproof_connections_closed_total", closedHelp, labels: [("reason", "not_reading")])
        let memory = counter("noproof_connections_closed_total", closedHelp, labels: [("reason", "memory_quota")])
        let unauthenticated = counter("noproof_connections_closed_total", closedHelp, labels: [("reason", "unauthenticated")])
        let inProgress = gauge("noproof_calls_in_progress", "Unary and callback calls running now (counted only with a maxCallsInProgress limit).")
        let shed = counter("noproof_calls_shed_total", "Calls refused with UNAVAILABLE because maxCallsInProgress was reached.")
        let pending = gauge("noproof_pending_answer_bytes_max", "The most answer bytes any one connection has had waiting for its peer to read.")
        addCollector {
            let (all, signedIn) = (statistics.connectionsOpen, statistics.connectionsAuthenticated)
            open.set(Double(all))
            authenticated.set(Double(signedIn))
            notAuthenticated.set(Double(max(0, all - signedIn)))
            Self.set(total, to: statistics.connectionsTotal)
            Self.set(refused, to: statistics.connectionsRefused)
            Self.set(notReading, to: statistics.connectionsClosedForNotReading)
            Self.set(memory, to: statistics.connectionsClosedForMemoryQuota)
            Self.set(unauthenticated, to: statistics.connectionsClosedUnauthenticated)
            inProgress.set(Double(statistics.callsInProgress))
            Self.set(shed, to: statistics.callsShed)
            pending.set(Double(statistics.maxPendingAnswerBytes))
        }
    }

    /// The per-stage latency breakdown of lookups, `noproof_call_stage_duration_seconds{stage}`: a
    /// histogram with the buckets of `noproof_call_duration_seconds`, written at scrape time from
    /// the server's HdrHistograms (`StageLatencies`): no cost on the call path beyond theirs.
    package func collect(stages: StageLatencies) {
        let bounds = Self.durationBuckets.map { UInt64($0.components.seconds) * 1_000_000 + UInt64($0.components.attoseconds / 1_000_000_000_000) }
        addTextCollector { Self.stageExposition(stages.cumulativeCounts(atOrBelow: bounds), bounds: bounds) }
    }

    static let stageName = "noproof_call_stage_duration_seconds"

    /// The histogram family's exposition lines, one series per stage in pipeline order.
    static func stageExposition(_ stages: [(summary: StageLatencies.Summary, counts: [UInt64])], bounds: [UInt64]) -> String {
        var text = "# HELP \(stageName) Time lookups spent in each stage of the pipeline (seal and fsync: per proof-issuer batch).\n"
        text += "# TYPE \(stageName) histogram\n"
        for (summary, counts) in stages {
            let stage = summary.stage.name
            for (bound, count) in zip(bounds, counts) {
                text += "\(stageName)_bucket{stage=\"\(stage)\",le=\"\(Double(bound) / 1_000_000)\"} \(count)\n"
            }
            text += "\(stageName)_bucket{stage=\"\(stage)\",le=\"+Inf\"} \(summary.count)\n"
            text += "\(stageName)_sum{stage=\"\(stage)\"} \(Double(summary.sum) / 1_000_000)\n"
            text += "\(stageName)_count{stage=\"\(stage)\"} \(summary.count)\n"
        }
        return text
    }

    /// The licence cache's size and hits, copied at scrape time.
    package func collect(cache: LicenceCache) {
        let holders = gauge("noproof_licence_cache_holders", "Holders in the in-memory licence index.")
        let licences = gauge("noproof_licence_cache_licences", "Licences in the in-memory licence index.")
        let capacity = gauge("noproof_licence_cache_capacity", "Most licences the index keeps.")
        let hits = counter("noproof_licence_cache_hits_total", "Lookups answered from the index.")
        let misses = counter("noproof_licence_cache_misses_total", "Lookups that had to read the store.")
        let evictions = counter("noproof_licence_cache_evictions_total", "Holders evicted from the index to stay within its capacity.")
        let ratio = gauge("noproof_licence_cache_hit_ratio", "hits / (hits + misses) since start (0 before the first lookup).")
        addCollector {
            let figures = cache.statistics
            holders.set(Double(figures.holders))
            licences.set(Double(figures.licences))
            capacity.set(Double(figures.capacity))
            Self.set(hits, to: figures.hits)
            Self.set(misses, to: figures.misses)
            Self.set(evictions, to: figures.evictions)
            ratio.set(figures.hitRatio)
        }
    }

    /// Each committed audit batch of audit.sqlite: its size and its write-and-fsync time (observed
    /// per batch), and its background WAL checkpoints.
    package func observe(audit: AuditLog) {
        observeAuditBatches(audit.observeBatches)
        observeCheckpoints(of: audit)
    }

    /// Each committed audit batch of any trail that reports them (`observe` registers the
    /// observer: `AuditLog.observeBatches`, `PostgresAuditTrail.observeBatches`): its size and the
    /// time its transaction took to be durable.
    package func observeAuditBatches(_ observe: (@escaping @Sendable (_ records: Int, _ duration: Duration) -> Void) -> Void) {
        let size = registry.makeValueHistogram(
            descriptor: Self.descriptor("noproof_audit_batch_records", "Records per committed audit transaction."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096])
        let commit = registry.makeDurationHistogram(
            descriptor: Self.descriptor("noproof_audit_commit_duration_seconds", "Time to write and fsync one audit transaction."),
            buckets: Self.durationBuckets)
        observe { records, duration in
            size.record(Double(records))
            commit.record(duration)
        }
    }

    private func observeCheckpoints(of audit: AuditLog) {
        let checkpoint = registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "noproof_audit_checkpoint_duration_seconds", "Time of one background WAL checkpoint of the audit trail (off the commit path)."),
            buckets: Self.durationBuckets)
        let frames = registry.makeValueHistogram(
            descriptor: Self.descriptor("noproof_audit_checkpoint_frames", "WAL frames (pages) copied by one background checkpoint of the audit trail."),
            buckets: [0, 16, 64, 256, 1024, 4096, 16384, 65536])
        let failed = counter("noproof_audit_checkpoint_failures_total", "Background checkpoints of the audit trail that failed or could not copy every frame.")
        let finish = registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "noproof_audit_checkpoint_finish_duration_seconds",
                "Time of one checkpoint the audit writer finished between two batches so the WAL starts over (on the commit path)."),
            buckets: Self.durationBuckets)
        let restarts = counter(
            "noproof_audit_wal_restarts_total", "Times the audit trail's WAL was seen starting over from its beginning (a lower bound).")
        audit.observeCheckpoints { outcome in
            switch outcome {
            case .success(let done) where done.trigger == .writer:
                finish.record(done.duration)
            case .success(let done):
                checkpoint.record(done.duration)
                frames.record(Double(done.checkpointed))
                if !done.complete { failed.increment() }
                if done.walStartedOver { restarts.increment() }
            case .failure:
                failed.increment()
            }
        }
    }

    /// The access gate's refusals by kind and reason, copied at scrape time.
    package func collect(refusals: RefusalCounts) {
        let help = "Requests the access gate refused, by kind (denial: access policy; breach: rate limit) and reason code."
        addCollector { [self] in
            for (key, count) in refusals.snapshot {
                Self.set(counter("noproof_access_refusals_total", help, labels: [("kind", key.kind), ("reason", key.reason)]), to: count)
            }
        }
    }

    /// Open verification requests by state and the time to the nearest deadline, queried at scrape time.
    package func collect(verifications: any VerificationStore, now: @escaping @Sendable () -> Date = { Date() }) {
        let help = "Open department verification requests, by state."
        let states: [VerificationStatus] = VerificationStatus.allCases.filter(\.isOpen)
        let gauges = Dictionary(uniqueKeysWithValues: states.map { ($0, gauge("noproof_verification_requests_open", help, labels: [("state", $0.rawValue)])) })
        let next = gauge(
            "noproof_verification_next_deadline_seconds",
            "Seconds until the nearest deadline of an open request (negative: overdue; 0 when none is open).")
        let failures = counter("noproof_verification_scrape_errors_total", "Scrapes whose query of the verification store failed.")
        addAsyncCollector {
            let open: [VerificationRequest]
            do {
                open = try await verifications.pending()
            } catch {
                failures.increment()
                return
            }
            var counts: [VerificationStatus: Int] = [:]
            for request in open { counts[request.status, default: 0] += 1 }
            for (state, gauge) in gauges { gauge.set(Double(counts[state] ?? 0)) }
            let moment = now()
            next.set(open.compactMap(\.nextDeadline).min().map { $0.timeIntervalSince(moment) } ?? 0)
        }
    }
}
