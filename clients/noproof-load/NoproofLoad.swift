import ArgumentParser
import Dispatch
import Foundation
import Histogram
import NIOCore
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofDemoData
import NoProofMessages
import NoProofProtocol
import Synchronization

@main
struct NoproofLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noproof-load",
        abstract: "Load-tests a running noproofd on loopback: N connections x M calls in flight.",
        discussion: """
            Start the server first, e.g. `noproofd --demo --no-rate-limits` (the anti-harvesting limits would \
            refuse a load test with RESOURCE_EXHAUSTED); calls act for the demo water company by default. Reports throughput, latency percentiles (HdrHistogram), \
            statuses, and server CPU (from GetStats). Exits 1 if any call failed unexpectedly (lookups of demo \
            holders may end OK or FAILED_PRECONDITION for expired or revoked licences; misses NOT_FOUND).
            """
    )

    @OptionGroup var options: LoadOptions

    func run() async throws {
        let workload = try Workload(parsing: options.workload)
        let credential = try parseCredential()
        let requests = RequestPool(demoLicences: options.demoLicences, zipf: options.zipf)

        var configuration = NoProofClient.Configuration(host: options.host, port: options.port, credential: credential)
        configuration.defaultTimeout = .milliseconds(Int64(options.timeout * 1000))
        let clients = try await connect(configuration, count: options.connections)
        let admin = try await NoProofClient.connect(configuration)
        // Department verification: per connection, one client for each of the two units.
        var verifiers: [VerificationPair] = []
        if workload.usesVerification {
            var requester = configuration, issuer = configuration
            requester.credential = try Self.parseCredential(options.verificationRequester, option: "--verification-requester")
            issuer.credential = try Self.parseCredential(options.verificationIssuer, option: "--verification-issuer")
            let requesters = try await connect(requester, count: options.connections)
            let issuers = try await connect(issuer, count: options.connections)
            verifiers = zip(requesters, issuers).map { VerificationPair(requester: $0, issuer: $1) }
        }

        let state = RunState()
        let results: (workers: [WorkerResult], seconds: Double, clientCPU: Double, serverCPU: Double?)
        if options.engine == .eventLoop, workload.runsOnEventLoops {
            results = try await runOnEventLoops(clients: clients, admin: admin, workload: workload, requests: requests, state: state)
        } else {
            results = try await runOnTasks(
                clients: clients, verifiers: verifiers, admin: admin, workload: workload, requests: requests,
                state: state)
        }
        for client in clients { await client.close() }
        for pair in verifiers {
            await pair.requester.close()
            await pair.issuer.close()
        }
        await admin.close()

        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var served = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var statuses: [String: UInt64] = [:]
        var unexpected: UInt64 = 0
        for result in results.workers {
            histogram.add(result.histogram)
            served.add(result.served)
            for (status, count) in result.statuses { statuses[status, default: 0] += count }
            unexpected += result.unexpected
        }
        let report = LoadReport(
            options: options, seconds: results.seconds, histogram: histogram, served: served, statuses: statuses,
            unexpected: unexpected, serverCpu: results.serverCPU, clientCpu: results.clientCPU)
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            report.printTable()
        }
        if unexpected > 0 { throw ExitCode(1) }
    }

    /// The event-loop engine: one `ConnectionDriver` per connection on that connection's event
    /// loop, each keeping `--in-flight` calls going (or paced by `--rate`).
    private func runOnEventLoops(
        clients: [NoProofClient], admin: NoProofClient, workload: Workload, requests: RequestPool,
        state: RunState
    ) async throws
        -> (workers: [WorkerResult], seconds: Double, clientCPU: Double, serverCPU: Double?)
    {
        let timeout = Duration.milliseconds(Int64(options.timeout * 1000))
        let encoded = EncodedRequests(requests, workload: workload, deadline: timeout, metadata: staffMetadata)
        // With --rate, connection i's calls are due every connections/rate seconds, staggered by i.
        let interval = options.rate.map { UInt64(Double(clients.count) / $0 * 1e9) }
        let plan = ConnectionDriver.Plan(
            workload: workload, requests: encoded, state: state, inFlight: options.inFlight, interval: interval,
            shedBackoff: options.allowShedding ? .milliseconds(Int64(options.shedBackoffMillis)) : nil,
            timeout: .nanoseconds(Int64(options.timeout * 1e9)))
        let origin = DispatchTime.now().uptimeNanoseconds + 1_000_000
        var drivers: [NIOLoopBound<ConnectionDriver>] = []
        for (index, client) in clients.enumerated() {
            let firstDue = origin + (interval ?? 0) * UInt64(index) / UInt64(clients.count)
            drivers.append(
                try await client.eventLoop.submit {
                    let driver = ConnectionDriver(client: client, plan: plan, seed: UInt64(index), firstDue: firstDue)
                    driver.begin()
                    return NIOLoopBound(driver, eventLoop: client.eventLoop)
                }.get())
        }
        let measured = try await measure(admin: admin, state: state)
        state.stop.store(true, ordering: .relaxed)
        // Every connection stops starting calls at once; then each drains the calls it has out.
        let stopped = drivers.map { driver in driver.eventLoop.flatSubmit { driver.value.stop() } }
        var workers: [WorkerResult] = []
        for result in stopped { workers.append(try await result.get()) }
        return (workers, measured.seconds, measured.clientCPU, measured.serverCPU)
    }

    /// The Task engine: `connections x in-flight` tasks, each calling through the async client
    /// (`--engine tasks`, and the verification workload, whose calls depend on each other).
    private func runOnTasks(
        clients: [NoProofClient], verifiers: [VerificationPair], admin: NoProofClient, workload: Workload,
        requests: RequestPool, state: RunState
    ) async throws
        -> (workers: [WorkerResult], seconds: Double, clientCPU: Double, serverCPU: Double?)
    {
        let workers = options.connections * options.inFlight
        return try await withThrowingTaskGroup(of: WorkerResult.self) { group in
            // With --rate, worker i's calls are due every workers/rate seconds, staggered by i.
            let interval = options.rate.map { UInt64(Double(workers) / $0 * 1e9) }
            let origin = DispatchTime.now().uptimeNanoseconds
            for index in 0..<workers {
                let client = clients[index % clients.count]
                let verifier = verifiers.isEmpty ? nil : verifiers[index % verifiers.count]
                let pacing = interval.map { Pacing(interval: $0, next: origin + $0 * UInt64(index) / UInt64(workers)) }
                let shedding = options.allowShedding ? Duration.milliseconds(options.shedBackoffMillis) : nil
                let staffMetadata = self.staffMetadata
                group.addTask {
                    await Self.work(
                        client: client, verifier: verifier, workload: workload, requests: requests, state: state,
                        seed: UInt64(index), pacing: pacing, shedBackoff: shedding, staffMetadata: staffMetadata)
                }
            }
            let measured = try await measure(admin: admin, state: state)
            state.stop.store(true, ordering: .relaxed)
            var results: [WorkerResult] = []
            for try await result in group { results.append(result) }
            return (results, measured.seconds, measured.clientCPU, measured.serverCPU)
        }
    }

    /// Warm-up, then the measured stretch with its progress line; CPU of both sides around it.
    private func measure(admin: NoProofClient, state: RunState) async throws -> (seconds: Double, clientCPU: Double, serverCPU: Double?) {
        try await Task.sleep(for: .milliseconds(Int64(options.warmup * 1000)))
        let cpuBefore = try? await admin.stats().processCpuSeconds
        let clientCPUBefore = Self.processCPU()
        let start = DispatchTime.now()
        state.measuring.store(true, ordering: .relaxed)
        let deadline = start.uptimeNanoseconds + UInt64(options.duration * 1e9)
        var lastCount = 0
        while DispatchTime.now().uptimeNanoseconds < deadline {
            if let limit = options.calls, state.measured.load(ordering: .relaxed) >= limit { break }
            try await Task.sleep(for: .milliseconds(options.json ? 1000 : 500))
            if !options.json {
                let count = state.measured.load(ordering: .relaxed)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                let line = String(
                    format: "\r%6.1f s  %9d calls  %8.0f calls/s now  %d unexpected   ",
                    elapsed, count, Double(count - lastCount) / (options.json ? 1 : 0.5),
                    state.unexpected.load(ordering: .relaxed))
                FileHandle.standardError.write(Data(line.utf8))
                lastCount = count
            }
        }
        state.measuring.store(false, ordering: .relaxed)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let clientCPU = Self.processCPU() - clientCPUBefore
        let cpuAfter = try? await admin.stats().processCpuSeconds
        if !options.json { FileHandle.standardError.write(Data("\n".utf8)) }
        return (seconds, clientCPU, cpuBefore.flatMap { before in cpuAfter.map { $0 - before } })
    }

    /// The "staff" metadata of every call: --staff, else NOPROOF_STAFF, else agent-0001 (every demo
    /// unit has one) on a system credential and nothing on a staff credential (`UNIT/STAFF-ID`).
    var staffMetadata: Metadata {
        let environment = ProcessInfo.processInfo.environment
        if let staff = options.staff ?? environment["NOPROOF_STAFF"].flatMap({ $0.isEmpty ? nil : $0 }) { return ["staff": staff] }
        let credential = options.credential ?? environment["NOPROOF_CREDENTIAL"] ?? "demo-water:demo-secret"
        return credential.prefix { $0 != ":" }.contains("/") ? [:] : ["staff": "agent-0001"]
    }

    private func parseCredential() throws -> (id: String, secret: String) {
        let text = options.credential ?? ProcessInfo.processInfo.environment["NOPROOF_CREDENTIAL"] ?? "demo-water:demo-secret"
        return try Self.parseCredential(text, option: "--credential")
    }

    static func parseCredential(_ text: String, option: String) throws -> (id: String, secret: String) {
        guard let colon = text.firstIndex(of: ":") else { throw ValidationError("\(option): the credential must be ID:SECRET") }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    private func connect(_ configuration: NoProofClient.Configuration, count: Int) async throws -> [NoProofClient] {
        try await withThrowingTaskGroup(of: NoProofClient.self) { group in
            for _ in 0..<count { group.addTask { try await NoProofClient.connect(configuration) } }
            var clients: [NoProofClient] = []
            for try await client in group { clients.append(client) }
            return clients
        }
    }

    static func processCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// One worker: calls back to back on its connection until told to stop; with `pacing`, each
    /// call waits for its due time and its latency counts from then.
    static func work(
        client: NoProofClient, verifier: VerificationPair?, workload: Workload, requests: RequestPool, state: RunState,
        seed: UInt64, pacing: Pacing?, shedBackoff: Duration? = nil, staffMetadata: Metadata = [:]
    ) async -> WorkerResult {
        var result = WorkerResult()
        var random = SplitMix64(seed: seed &+ 0x5EED)
        var calls = 0
        var pacing = pacing
        while !state.stop.load(ordering: .relaxed) {
            let operation = workload.pick(random.next())
            let pick = Int(random.next() % UInt64(requests.lookups.count))
            calls += 1
            // The demo water company's items: SW-GH-002 lists every type a demo holder is guaranteed to hold.
            let purpose = APIPurpose(itemCode: "SW-GH-002", caseReference: "LOAD-\(seed)-\(calls)")
            var started = DispatchTime.now().uptimeNanoseconds
            if let due = pacing?.next {
                if due > started { try? await Task.sleep(for: .nanoseconds(Int64(due - started))) }
                started = due
                pacing!.next = due + pacing!.interval
                if state.stop.load(ordering: .relaxed) { break }
            }
            var status = "OK"
            do {
                switch operation {
                case .lookup:
                    let (holder, type) = requests.lookups[pick]
                    _ = try await client.lookup(holderID: holder, typeCode: type, purpose: purpose, metadata: staffMetadata)
                case .miss:
                    _ = try await client.lookup(
                        holderID: requests.misses[pick % requests.misses.count], typeCode: "JMSFZ", purpose: purpose,
                        metadata: staffMetadata)
                case .check:
                    let (holder, type) = requests.lookups[pick]
                    _ = try await client.check(
                        holderID: holder, typeCode: type, declared: [APILicenceField(key: "holder_name", value: "x")],
                        purpose: purpose, metadata: staffMetadata)
                case .health:
                    _ = try await client.health()
                case .verification:
                    try await Self.verificationLifeCycle(verifier!, holder: requests.lookups[pick].0, seed: seed, call: calls)
                }
            } catch let error as RPCError {
                status = error.code.name
            } catch {
                status = "CLIENT_ERROR"
            }
            let shed = shedBackoff != nil && (status == "UNAVAILABLE" || status == "RESOURCE_EXHAUSTED")
            let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
            if shed, let shedBackoff { try? await Task.sleep(for: shedBackoff) }
            guard state.measuring.load(ordering: .relaxed) else { continue }
            _ = result.histogram.record(max(1, micros))
            if !shed { _ = result.served.record(max(1, micros)) }
            result.statuses[status, default: 0] += 1
            if !shed, !Self.expected(status, for: operation) {
                result.unexpected += 1
                state.unexpected.add(1, ordering: .relaxed)
            }
            state.measured.add(1, ordering: .relaxed)
        }
        return result
    }

    static func expected(_ status: String, for operation: Workload.Operation) -> Bool {
        switch operation {
        case .lookup: status == "OK" || status == "FAILED_PRECONDITION"
        case .miss: status == "NOT_FOUND"
        case .check, .health, .verification: status == "OK"
        }
    }

    /// File (requesting unit), take and answer (issuing unit): one department-verification request
    /// from start to a verification-sealed proof.
    static func verificationLifeCycle(_ pair: VerificationPair, holder: String, seed: UInt64, call: Int) async throws {
        let filed = try await pair.requester.fileVerification(
            APIFileVerificationRequest(
                requestKey: "load-\(seed)-\(call)-\(DispatchTime.now().uptimeNanoseconds)", issuingUnitCode: "12370000495570452X",
                proofType: "XWZS", holderID: holder, holderName: "张三", declared: [APILicenceField(key: "degree", value: "学士")],
                purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "LOAD-VR-\(seed)-\(call)")), staff: "agent-0001")
        guard let id = filed.request?.requestID else { throw RPCError(.internal, "File answered without a request") }
        _ = try await pair.issuer.takeVerification(id: id, staff: "agent-0001")
        _ = try await pair.issuer.answerVerification(
            APIAnswerVerificationRequest(
                requestID: id, outcome: "verified", licence: APILicence(holderName: "张三", fields: [APILicenceField(key: "degree", value: "学士")])),
            staff: "agent-0001")
    }
}

/// The two units' connections a worker uses for the verification workload.
struct VerificationPair: Sendable {
    let requester: NoProofClient
    let issuer: NoProofClient
}

/// A worker's schedule under --rate.
struct Pacing: Sendable {
    let interval: UInt64
    var next: UInt64
}

/// Shared flags and counters of a run.
final class RunState: Sendable {
    let measuring = Atomic<Bool>(false)
    let stop = Atomic<Bool>(false)
    let measured = Atomic<Int>(0)
    let unexpected = Atomic<Int>(0)
}

struct WorkerResult: Sendable {
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Calls that were not shed.
    var served = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var statuses: [String: UInt64] = [:]
    var unexpected: UInt64 = 0
}

/// Requests prepared before the run: Zipf-distributed demo holders with a type they hold, and
/// well-formed resident IDs that hold nothing.
struct RequestPool: Sendable {
    let lookups: [(String, String)]
    let misses: [String]

    init(demoLicences: Int, zipf: Double) {
        let generator = DemoDataGenerator(licenceCount: demoLicences)
        var sampler = generator.holderSampler(exponent: zipf, seed: 7)
        lookups = (0..<20_000).map { _ in
            let holder = generator.holder(at: sampler.next())
            return (holder.holder.key, holder.guaranteedTypeCode)
        }
        // Beijing Dongcheng (110101) resident IDs: the demo data are all from Shandong and Jiangsu.
        misses = (0..<1000).compactMap { index in
            let first17 = "110101" + "1980" + String(format: "%02d%02d", index % 12 + 1, index % 28 + 1) + String(format: "%03d", index % 1000)
            return ResidentID.makeCheckCharacter(for: first17).map { first17 + String($0) }
        }
    }
}
