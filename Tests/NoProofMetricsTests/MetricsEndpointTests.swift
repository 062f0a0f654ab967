import Foundation
import Dispatch
import Logging
import NIOCore
import NoProofClient
import NoProofCodec
import NoProofLibrary
import NoProofMetrics
import NoProofProtocol
import NoProofServer
import NoProofServices
import NoProofAudit
import NoProofAuditChain
import NoProofLicenceStore
import NoProofTestSupport
import Testing

@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    static let health = "/noproof.v1.Health/Check"

    static var logger: Logger {
        var logger = Logger(label: "metrics-test")
        logger.logLevel = ProcessInfo.processInfo.environment["NOPROOF_TEST_LOG"] == nil ? .critical : .trace
        return logger
    }

    /// Runs an RPC server (built-in methods only) observed by `metrics` and the metrics endpoint,
    /// both on free loopback ports, for the duration of `body(rpcPort, metricsPort)`.
    static func withServers<R: Sendable>(
        _ metrics: NoProofMetrics, registry: RPCRegistry = RPCRegistry(), credentials: [StaticCredentialAuthenticator.Credential] = [],
        _ body: @Sendable (Int, Int) async throws -> R
    ) async throws -> R {
        let statistics = ServerStatistics()
        metrics.collect(statistics: statistics)
        var configuration = ServerConfiguration.forTests
        configuration.callObserver = CallMetrics(metrics: metrics)
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: StaticCredentialAuthenticator(credentials), logger: logger, statistics: statistics)
        let endpoint = try MetricsEndpoint(configuration: .init(port: 0), metrics: metrics, logger: logger)
        return try await withRunningServer(server) { rpcPort in
            let runner = Task { try await endpoint.run() }
            defer { runner.cancel() }
            let metricsPort = try await endpoint.listeningAddress().port!
            return try await body(rpcPort, metricsPort)
        }
    }

    static func scrape(_ port: Int) async throws -> Exposition {
        let answer = try await HTTPGet.fetch(port: port, path: "/metrics")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        return try Exposition(answer.body)
    }

    @Test func seriesMoveUnderLoad() async throws {
        let metrics = NoProofMetrics()
        try await Self.withServers(metrics) { rpcPort, metricsPort in
            let before = try await Self.scrape(metricsPort)
            #expect(before.types["noproof_calls_total"] == "counter")
            #expect(before.types["noproof_call_duration_seconds"] == "histogram")
            #expect(before.types["noproof_connections_open"] == "gauge")
            let okBefore = before.value("noproof_calls_total", ["method": Self.health, "status": "OK"]) ?? 0
            let countBefore = before.value("noproof_call_duration_seconds_count", ["method": Self.health]) ?? 0

            let clients = [try await NoProofClient.connect(.init(port: rpcPort)), try await NoProofClient.connect(.init(port: rpcPort))]
            for index in 0..<20 { _ = try await clients[index % 2].health() }
            for _ in 0..<3 {
                await #expect(throws: RPCError.self) { _ = try await clients[0].health(service: "no.such.Service") }
            }

            let during = try await Self.scrape(metricsPort)
            #expect(during.value("noproof_calls_total", ["method": Self.health, "status": "OK"]) == okBefore + 20)
            #expect(during.value("noproof_calls_total", ["method": Self.health, "status": "NOT_FOUND"]) == 3)
            #expect(during.value("noproof_call_duration_seconds_count", ["method": Self.health]) == countBefore + 23)
            #expect(during.value("noproof_call_duration_seconds_bucket", ["method": Self.health, "le": "+Inf"]) == countBefore + 23)
            #expect((during.value("noproof_call_duration_seconds_sum", ["method": Self.health]) ?? -1) > 0)
            // Buckets never decrease with `le`.
            let buckets = during.samples.filter { $0.name == "noproof_call_duration_seconds_bucket" && $0.labels["method"] == Self.health }
            #expect(buckets.count == 17)
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
            #expect(during.value("noproof_connections_open") == 2)
            #expect(during.types["noproof_connections_by_state"] == "gauge")
            #expect(during.value("noproof_connections_by_state", ["state": "unauthenticated"]) == 2)
            #expect(during.value("noproof_connections_by_state", ["state": "authenticated"]) == 0)
            #expect((during.value("noproof_connections_opened_total") ?? 0) >= 2)
            #expect(during.value("noproof_calls_shed_total") == 0)

            for client in clients { await client.close() }
            // The server notices the closes shortly after.
            var open = 2.0
            for _ in 0..<100 where open != 0 {
                try await Task.sleep(for: .milliseconds(20))
                open = try await Self.scrape(metricsPort).value("noproof_connections_open") ?? -1
            }
            #expect(open == 0)
        }
    }

    @Test func connectionsAreCountedByState() async throws {
        let metrics = NoProofMetrics()
        let unit = AuthenticatedUnit(unitCode: "U", unitName: "Unit", credentialID: "u")
        try await Self.withServers(metrics, credentials: [.init(id: "u", secret: "s", unit: unit)]) { rpcPort, metricsPort in
            let signedIn = try await NoProofClient.connect(.init(port: rpcPort, credential: ("u", "s")))
            let anonymous = try await NoProofClient.connect(.init(port: rpcPort))
            let both = try await Self.scrape(metricsPort)
            #expect(both.value("noproof_connections_by_state", ["state": "authenticated"]) == 1)
            #expect(both.value("noproof_connections_by_state", ["state": "unauthenticated"]) == 1)
            await signedIn.close()
            var authenticated = 1.0
            for _ in 0..<100 where authenticated != 0 {
                try await Task.sleep(for: .milliseconds(20))
                authenticated = try await Self.scrape(metricsPort).value("noproof_connections_by_state", ["state": "authenticated"]) ?? -1
            }
            #expect(authenticated == 0)
            #expect(try await Self.scrape(metricsPort).value("noproof_connections_by_state", ["state": "unauthenticated"]) == 1)
            await anonymous.close()
        }
    }

    /// A staged callback method standing in for Lookup: it marks the hand-offs a lookup marks
    /// (admitted, looked up, queued, the batch's start, seal and commit) and answers from another
    /// thread, as the proof issuer's delivery does; the server marks the rest.
    static let staged = UnaryMethod<HealthCheckRequest, HealthCheckResponse>(service: "test.v1.Staged", method: "Call", id: 900)

    static var stagedRegistry: RPCRegistry {
        var registry = RPCRegistry()
        registry.callback(staged.descriptor, HealthCheckRequest.self, HealthCheckResponse.self, stages: true) { _, context, respond in
            _ = try context.requireUnit()
            for mark in [CallStamps.Mark.admitted, .lookedUp, .queued] { context.stamps?.mark(mark) }
            DispatchQueue.global().async {
                for mark in [CallStamps.Mark.batchStarted, .sealed, .fsynced] { context.stamps?.mark(mark) }
                respond(.success(HealthCheckResponse(status: .serving)))
            }
        }
        return registry
    }

    @Test func stageSeriesAndRefusedCallsMoveUnderLoad() async throws {
        let metrics = NoProofMetrics()
        let unit = AuthenticatedUnit(unitCode: "U", unitName: "Unit", credentialID: "u")
        try await Self.withServers(metrics, registry: Self.stagedRegistry, credentials: [.init(id: "u", secret: "s", unit: unit)]) { rpcPort, metricsPort in
            let name = "noproof_call_stage_duration_seconds"
            let before = try await Self.scrape(metricsPort)
            #expect(before.types[name] == "histogram")
            #expect(before.value("\(name)_count", ["stage": "total"]) == 0)

            let client = try await NoProofClient.connect(.init(port: rpcPort, credential: ("u", "s")))
            for _ in 0..<12 { _ = try await client.unary(.path(Self.staged.descriptor.path), request: HealthCheckRequest(), as: HealthCheckResponse.self) }
            // Refused before any implementation runs: an unknown method, and a call needing an
            // authenticated connection on one that is not.
            await #expect(throws: RPCError.self) {
                _ = try await client.unary(.path("/no.such.Service/Nothing"), request: HealthCheckRequest(), as: HealthCheckResponse.self)
            }
            let anonymous = try await NoProofClient.connect(.init(port: rpcPort))
            for _ in 0..<2 {
                await #expect(throws: RPCError.self) {
                    _ = try await anonymous.unary(.path(Self.staged.descriptor.path), request: HealthCheckRequest(), as: HealthCheckResponse.self)
                }
            }

            let during = try await Self.scrape(metricsPort)
            for stage in ["decode", "admit", "lookup", "enqueue", "batch_wait", "answer", "total"] {
                #expect(during.value("\(name)_count", ["stage": stage]) == 12, "\(stage)")
                #expect(during.value("\(name)_bucket", ["stage": stage, "le": "+Inf"]) == 12, "\(stage)")
                let buckets = during.samples.filter { $0.name == "\(name)_bucket" && $0.labels["stage"] == stage }
                #expect(buckets.count == 17, "\(stage)")
                #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value }, "\(stage)")
            }
            #expect((during.value("\(name)_sum", ["stage": "total"]) ?? -1) > 0)
            // Seal and fsync are the proof issuer's, per batch: no issuer here.
            #expect(during.value("\(name)_count", ["stage": "fsync"]) == 0)
            #expect(during.value("noproof_calls_total", ["method": Self.staged.descriptor.path, "status": "OK"]) == 12)
            #expect(during.value("noproof_calls_total", ["method": "unknown", "status": "UNIMPLEMENTED"]) == 1)
            #expect(during.value("noproof_calls_total", ["method": Self.staged.descriptor.path, "status": "UNAUTHENTICATED"]) == 2)
            await client.close()
            await anonymous.close()
        }
    }

    @Test func otherPathsAreNotFound() async throws {
        try await Self.withServers(NoProofMetrics()) { _, metricsPort in
            let other = try await HTTPGet.fetch(port: metricsPort, path: "/")
            #expect(other.status == 404)
            let post = try await HTTPGet.fetch(port: metricsPort, path: "/metrics", method: "POST")
            #expect(post.status == 404)
            let query = try await HTTPGet.fetch(port: metricsPort, path: "/metrics?x=1")
            #expect(query.status == 200)
        }
    }

    @Test func onlyLoopbackUnlessNamed() throws {
        #expect(throws: MetricsEndpoint.NotLoopback.self) {
            _ = try MetricsEndpoint(configuration: .init(host: "0.0.0.0", port: 0), metrics: NoProofMetrics(), logger: Self.logger)
        }
        _ = try MetricsEndpoint(configuration: .init(host: "0.0.0.0", port: 0, allowNonLoopback: true), metrics: NoProofMetrics(), logger: Self.logger)
        #expect(LoopbackHost.contains("127.0.0.1"))
        #expect(LoopbackHost.contains("::1"))
        #expect(!LoopbackHost.contains("10.0.0.1"))
        #expect(!LoopbackHost.contains("127.example.com"))
    }

    @Test func auditBatchesCacheAndRefusalsAreExposed() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-metrics-tests")
        defer { temporary.remove() }
        let directory = temporary.url
        let log = try AuditLog(directory: directory)
        defer { log.close() }
        let cache = LicenceCache(capacity: 100)
        let refusals = RefusalCounts()
        let metrics = NoProofMetrics()
        metrics.observe(audit: log)
        metrics.collect(cache: cache)
        metrics.collect(refusals: refusals)

        let records = (0..<3).map { index in
            AuditRecord(
                atMillis: Int64(index), unitCode: "U", credentialID: "c", staff: "s", action: .lookup, itemCode: "ITEM",
                caseReference: "CASE-\(index)", holderID: "370402199001011234", typeCode: "JMSFZ", result: .found)
        }
        _ = try log.appendBatch(records)
        _ = cache.licences(holder: "370402199001011234")
        _ = cache.licences(holder: "370402199001011234")
        refusals.add(kind: "breach", reason: "staff_per_minute")
        refusals.add(kind: "breach", reason: "staff_per_minute")

        let exposition = try Exposition(String(decoding: await metrics.exposition(), as: UTF8.self))
        #expect(exposition.value("noproof_audit_batch_records_count") == 1)
        #expect(exposition.value("noproof_audit_batch_records_sum") == 3)
        #expect(exposition.value("noproof_audit_commit_duration_seconds_count") == 1)
        #expect(exposition.value("noproof_licence_cache_misses_total") == 2)
        #expect(exposition.value("noproof_licence_cache_hits_total") == 0)
        #expect(exposition.value("noproof_licence_cache_capacity") == 100)
        #expect(exposition.value("noproof_access_refusals_total", ["kind": "breach", "reason": "staff_per_minute"]) == 2)
        // Copied counters stay right over several scrapes.
        let again = try Exposition(String(decoding: await metrics.exposition(), as: UTF8.self))
        #expect(again.value("noproof_access_refusals_total", ["kind": "breach", "reason": "staff_per_minute"]) == 2)
        #expect(again.value("noproof_licence_cache_misses_total") == 2)
    }
}
