import ArgumentParser
import Dispatch
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Histogram
import LicencesGRPC
import NoProofDomain
import NoProofDemoData
import Synchronization

/// The load client of the gRPC baseline: noproof-load's knobs and report, over grpc-swift-2.
///
/// Each connection is its own `GRPCClient` (one HTTP/2 connection); its calls in flight are
/// concurrent unary RPCs multiplexed on that connection as HTTP/2 streams.
@main
struct GRPCLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-load",
        abstract: "Load-tests a running grpc-baseline on loopback: N connections x M calls in flight.",
        discussion: """
        The same knobs and numbers as noproof-load (throughput; p50, p90, p99, p99.9, max latency from \
        HdrHistogram; statuses). Server CPU is read from /proc when --server-pid is given. Exits 1 if any \
        call failed unexpectedly (lookups of demo holders end OK or FAILED_PRECONDITION; misses NOT_FOUND).
        """
    )

    @Option(help: "Server host: loopback only (127.0.0.1 or ::1).")
    var host: String = "127.0.0.1"

    @Option(help: "Server port.")
    var port: Int = 7430

    @Option(help: "Unit credential ID:SECRET.")
    var credential: String = "demo-taskforce:demo-secret"

    @Option(help: "Connections (each its own client).")
    var connections: Int = 64

    @Option(name: .customLong("in-flight"), help: "Calls in flight per connection.")
    var inFlight: Int = 1

    @Option(help: "Seconds to measure (after the warm-up), at most 600.")
    var duration: Double = 10

    @Option(help: "Seconds of warm-up, not measured.")
    var warmup: Double = 2

    @Option(help: "Stop after this many measured calls instead of at the end of --duration.")
    var calls: Int?

    @Option(help: "lookup, miss, or a mix such as lookup=9,miss=1.")
    var workload: String = "lookup"

    @Option(name: .customLong("demo-licences"), help: "The server's --demo-licences (to choose existing holders).")
    var demoLicences: Int = 50_000

    @Option(help: "Zipf exponent of the holder distribution.")
    var zipf: Double = 1.0

    @Option(help: "Per-call deadline in seconds.")
    var timeout: Double = 5

    @Option(name: .customLong("server-pid"), help: "The server's process id, to report its CPU (Linux /proc).")
    var serverPID: Int32?

    @Option(name: .customLong("save-proof"), help: "Only look up the first demo holder and save the sealed proof (SealedProof bytes, as 'noproof lookup --out' does) to this file.")
    var saveProof: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("grpc-load talks to loopback only; --host must be 127.0.0.1, ::1 or localhost")
        }
        guard (1...10_000).contains(connections) else { throw ValidationError("--connections must be 1...10000") }
        guard (1...1024).contains(inFlight) else { throw ValidationError("--in-flight must be 1...1024") }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be in (0, 600] seconds") }
        guard warmup >= 0, warmup <= 60 else { throw ValidationError("--warmup must be in [0, 60] seconds") }
        if let calls { guard calls > 0 else { throw ValidationError("--calls must be positive") } }
        _ = try Mix(parsing: workload)
    }

    func run() async throws {
        let mix = try Mix(parsing: workload)
        let requests = RequestPool(demoLicences: demoLicences, zipf: zipf)
        let metadata: Metadata = ["authorization": "NoProof \(credential)"]
        var options = CallOptions.defaults
        options.timeout = .milliseconds(Int64(timeout * 1000))
        let callOptions = options

        let target: any ResolvableTarget = host == "::1"
            ? ResolvableTargets.IPv6(addresses: [SocketAddress.IPv6(host: host, port: port)])
            : ResolvableTargets.IPv4(addresses: [SocketAddress.IPv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)])
        let clients = try (0..<connections).map { _ in
            GRPCClient(transport: try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext))
        }
        if let saveProof {
            try await Self.save(proofTo: saveProof, client: clients[0], metadata: metadata, options: callOptions, demoLicences: demoLicences)
            return
        }
        let state = RunState()
        let workers = connections * inFlight
        let outcome = try await withThrowingTaskGroup(of: WorkerResult?.self) { group in
            for client in clients {
                group.addTask {
                    try await client.runConnections()
                    return nil
                }
            }
            for index in 0..<workers {
                let client = Noproof_V1_Licences.Client(wrapping: clients[index % clients.count])
                group.addTask {
                    await Self.work(client: client, mix: mix, requests: requests, metadata: metadata, options: callOptions,
                                    state: state, seed: UInt64(index))
                }
            }
            // Warm-up, then measure.
            try await Task.sleep(for: .milliseconds(Int64(warmup * 1000)))
            let cpuBefore = serverPID.flatMap(Self.processCPU(pid:))
            let clientCPUBefore = Self.ownCPU()
            let start = DispatchTime.now()
            state.measuring.store(true, ordering: .relaxed)
            let deadline = start.uptimeNanoseconds + UInt64(duration * 1e9)
            var lastCount = 0
            while DispatchTime.now().uptimeNanoseconds < deadline {
                if let limit = calls, state.measured.load(ordering: .relaxed) >= limit { break }
                try await Task.sleep(for: .milliseconds(json ? 1000 : 500))
                if !json {
                    let count = state.measured.load(ordering: .relaxed)
                    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                    let line = String(format: "\r%6.1f s  %9d calls  %8.0f calls/s now  %d unexpected   ",
                                      elapsed, count, Double(count - lastCount) / 0.5, state.unexpected.load(ordering: .relaxed))
                    FileHandle.standardError.write(Data(line.utf8))
                    lastCount = count
                }
            }
            state.measuring.store(false, ordering: .relaxed)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let clientCPU = Self.ownCPU() - clientCPUBefore
            let cpuAfter = serverPID.flatMap(Self.processCPU(pid:))
            state.stop.store(true, ordering: .relaxed)
            var results: [WorkerResult] = []
            var finished = 0
            for try await result in group {
                guard let result else { continue }
                results.append(result)
                finished += 1
                if finished == workers { for client in clients { client.beginGracefulShutdown() } }
            }
            if !json { FileHandle.standardError.write(Data("\n".utf8)) }
            return (results, seconds, clientCPU, cpuBefore.flatMap { before in cpuAfter.map { $0 - before } })
        }

        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var statuses: [String: UInt64] = [:]
        var unexpected: UInt64 = 0
        for result in outcome.0 {
            histogram.add(result.histogram)
            for (status, count) in result.statuses { statuses[status, default: 0] += count }
            unexpected += result.unexpected
        }
        let report = LoadReport(workload: workload, connections: connections, inFlight: inFlight, seconds: outcome.1,
                                histogram: histogram, statuses: statuses, unexpected: unexpected,
                                serverCpu: outcome.3, clientCpu: outcome.2)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            report.printTable()
        }
        if unexpected > 0 { throw ExitCode(1) }
    }

    /// One lookup of the first demo holder; its sealed proof written to `path`.
    static func save(proofTo path: String, client: GRPCClient<HTTP2ClientTransport.Posix>, metadata: Metadata,
                     options: CallOptions, demoLicences: Int) async throws {
        let holder = DemoDataGenerator(licenceCount: demoLicences).holder(at: 0)
        let request = Noproof_V1_LookupRequest.with {
            $0.holderID = holder.holder.key
            $0.typeCode = holder.guaranteedTypeCode
            $0.purpose = .with { $0.itemCode = "BENCH"; $0.caseReference = "BENCH-1" }
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await client.runConnections() }
            defer { client.beginGracefulShutdown() }
            let response = try await Noproof_V1_Licences.Client(wrapping: client).lookup(request, metadata: metadata, options: options)
            try Data(try response.proof.serializedBytes() as [UInt8]).write(to: URL(fileURLWithPath: path))
        }
    }

    /// One worker: calls back to back on its connection until told to stop.
    static func work(client: Noproof_V1_Licences.Client<HTTP2ClientTransport.Posix>, mix: Mix, requests: RequestPool,
                     metadata: Metadata, options: CallOptions, state: RunState, seed: UInt64) async -> WorkerResult {
        var result = WorkerResult()
        var random = SplitMix64(seed: seed &+ 0x5EED)
        let purpose = Noproof_V1_Purpose.with {
            $0.itemCode = "LOAD-ITEM"
            $0.caseReference = "LOAD-\(seed)"
        }
        while !state.stop.load(ordering: .relaxed) {
            let operation = mix.pick(random.next())
            let pick = Int(random.next() % UInt64(requests.lookups.count))
            var request = Noproof_V1_LookupRequest()
            request.purpose = purpose
            switch operation {
            case .lookup:
                (request.holderID, request.typeCode) = requests.lookups[pick]
            case .miss:
                request.holderID = requests.misses[pick % requests.misses.count]
                request.typeCode = "JMSFZ"
            }
            let started = DispatchTime.now().uptimeNanoseconds
            var status = "OK"
            do {
                _ = try await client.lookup(request, metadata: metadata, options: options)
            } catch let error as RPCError {
                status = Self.name(error.code)
            } catch {
                status = "CLIENT_ERROR"
            }
            guard state.measuring.load(ordering: .relaxed) else { continue }
            let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
            _ = result.histogram.record(max(1, micros))
            result.statuses[status, default: 0] += 1
            let expected = switch operation {
            case .lookup: status == "OK" || status == "FAILED_PRECONDITION"
            case .miss: status == "NOT_FOUND"
            }
            if !expected {
                result.unexpected += 1
                state.unexpected.add(1, ordering: .relaxed)
            }
            state.measured.add(1, ordering: .relaxed)
        }
        return result
    }

    /// Status names as noproof-load prints them (OK, NOT_FOUND, FAILED_PRECONDITION, ...).
    static func name(_ code: RPCError.Code) -> String {
        var name = ""
        for character in String(describing: code) {
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
        return name
    }

    static func ownCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// utime + stime of a process, from /proc/PID/stat (Linux).
    static func processCPU(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// The calls a run makes, with their weights.
struct Mix: Sendable {
    enum Operation: String, CaseIterable, Sendable {
        /// Lookup of an existing demo holder (Zipf-distributed) and a licence type it holds.
        case lookup
        /// Lookup of a well-formed resident ID that holds nothing: NOT_FOUND.
        case miss
    }

    let weighted: [(Operation, Int)]
    let total: Int

    init(parsing text: String) throws {
        var weighted: [(Operation, Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard let operation = Operation(rawValue: String(pieces[0])) else {
                throw ValidationError("unknown workload '\(pieces[0])'; use \(Operation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let weight = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let weight, weight > 0 else { throw ValidationError("bad weight in '\(part)'") }
            weighted.append((operation, weight))
        }
        guard !weighted.isEmpty else { throw ValidationError("--workload is empty") }
        self.weighted = weighted
        total = weighted.map(\.1).reduce(0, +)
    }

    func pick(_ random: UInt64) -> Operation {
        var ticket = Int(random % UInt64(total))
        for (operation, weight) in weighted {
            if ticket < weight { return operation }
            ticket -= weight
        }
        return weighted[0].0
    }
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
    var statuses: [String: UInt64] = [:]
    var unexpected: UInt64 = 0
}

/// Requests prepared before the run, exactly as noproof-load prepares them: Zipf-distributed demo
/// holders with a type they hold, and well-formed resident IDs that hold nothing.
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
        misses = (0..<1000).compactMap { index in
            let first17 = "110101" + "1980" + String(format: "%02d%02d", index % 12 + 1, index % 28 + 1) + String(format: "%03d", index % 1000)
            return ResidentID.makeCheckCharacter(for: first17).map { first17 + String($0) }
        }
    }
}

/// The result of a run, printed as a table or JSON (the keys of noproof-load's --json).
struct LoadReport: Encodable {
    var workload: String
    var connections: Int
    var inFlight: Int
    var seconds: Double
    var calls: UInt64
    var callsPerSecond: Double
    var latencyMicros: [String: UInt64]
    var statuses: [String: UInt64]
    var unexpected: UInt64
    var serverCpuSeconds: Double?
    var serverCpuPercent: Double?
    var clientCpuPercent: Double

    init(workload: String, connections: Int, inFlight: Int, seconds: Double, histogram: Histogram<UInt64>,
         statuses: [String: UInt64], unexpected: UInt64, serverCpu: Double?, clientCpu: Double) {
        self.workload = workload
        self.connections = connections
        self.inFlight = inFlight
        self.seconds = seconds
        calls = histogram.totalCount
        callsPerSecond = Double(histogram.totalCount) / seconds
        latencyMicros = [
            "p50": histogram.valueAtPercentile(50), "p90": histogram.valueAtPercentile(90),
            "p99": histogram.valueAtPercentile(99), "p99.9": histogram.valueAtPercentile(99.9), "max": histogram.max,
        ]
        self.statuses = statuses
        self.unexpected = unexpected
        serverCpuSeconds = serverCpu
        serverCpuPercent = serverCpu.map { $0 / seconds * 100 }
        clientCpuPercent = clientCpu / seconds * 100
    }

    func printTable() {
        print("workload      \(workload): \(connections) connections x \(inFlight) in flight, \(String(format: "%.1f", seconds)) s measured (gRPC)")
        print("throughput    \(Int(callsPerSecond)) calls/s (\(calls) calls)")
        let l = latencyMicros
        print("latency (µs)  p50 \(l["p50"]!)  p90 \(l["p90"]!)  p99 \(l["p99"]!)  p99.9 \(l["p99.9"]!)  max \(l["max"]!)")
        print("statuses      " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if let serverCpuPercent {
            print("CPU           server \(Int(serverCpuPercent))% of a core, load generator \(Int(clientCpuPercent))%")
        }
        if unexpected > 0 { print("UNEXPECTED    \(unexpected) calls failed unexpectedly") }
    }
}
