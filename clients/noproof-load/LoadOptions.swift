import ArgumentParser

/// What to run: how many connections, how deep, how long, which calls.
struct LoadOptions: ParsableArguments {
    @Option(help: "Server host: loopback only (127.0.0.1, ::1 or localhost).")
    var host: String = "127.0.0.1"

    @Option(help: "Server port.")
    var port: Int = 7420

    @Option(help: "Unit credential ID:SECRET (env NOPROOF_CREDENTIAL).")
    var credential: String?

    @Option(help: "Registered staff member the calls name (env NOPROOF_STAFF; default agent-0001 on a system credential, none on a staff credential).")
    var staff: String?

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

    @Option(help: "lookup, miss, check, health, verification, or a mix such as lookup=8,miss=1,check=1.")
    var workload: String = "lookup"

    @Option(
        help: ArgumentHelp(
            "Target calls/s over all workers (open loop): each call is due at a fixed time and its latency is counted from then, so a slow server is not hidden by fewer calls (no coordinated omission). Default: as fast as the server answers.",
            valueName: "calls/s"))
    var rate: Double?

    @Option(
        name: .customLong("verification-requester"),
        help: "Credential ID:SECRET of the unit that files department-verification requests (item MZ-HY-001).")
    var verificationRequester = "demo-civil-affairs:demo-secret"

    @Option(
        name: .customLong("verification-issuer"),
        help: "Credential ID:SECRET of the issuing unit's agent who takes and answers them (a staff credential: answering is the person's act).")
    var verificationIssuer = "demo-university/agent-0001:demo-secret"

    @Option(name: .customLong("demo-licences"), help: "The server's --demo-licences (to choose existing holders).")
    var demoLicences: Int = 50_000

    @Option(help: "Zipf exponent of the holder distribution.")
    var zipf: Double = 1.0

    @Option(help: "Per-call deadline in seconds.")
    var timeout: Double = 5

    @Flag(
        name: .customLong("allow-shedding"),
        help: "Count UNAVAILABLE and RESOURCE_EXHAUSTED answers as shed calls, not failures (runs past capacity).")
    var allowShedding = false

    @Option(name: .customLong("shed-backoff-ms"), help: "With --allow-shedding: how long a worker waits after a shed call.")
    var shedBackoffMillis: Int = 100

    /// How calls are driven.
    enum Engine: String, ExpressibleByArgument, CaseIterable {
        /// Per connection, calls started and completed on its event loop (`ConnectionDriver`).
        case eventLoop = "event-loop"
        /// A Swift task per call in flight, through the async client: the earlier engine, kept
        /// for comparison and for the verification workload.
        case tasks
    }

    @Option(
        help: ArgumentHelp(
            "event-loop: each connection's calls started from its event loop, the next from each completion; tasks: one Swift task per call in flight (the earlier engine). The verification workload always runs on tasks."
        ))
    var engine: Engine = .eventLoop

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("noproof-load talks to loopback only; --host must be 127.0.0.1, ::1 or localhost")
        }
        guard (1...10_000).contains(connections) else { throw ValidationError("--connections must be 1...10000") }
        guard (1...1024).contains(inFlight) else { throw ValidationError("--in-flight must be 1...1024") }
        guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be in (0, 600] seconds") }
        guard warmup >= 0, warmup <= 60 else { throw ValidationError("--warmup must be in [0, 60] seconds") }
        if let calls { guard calls > 0 else { throw ValidationError("--calls must be positive") } }
        if let rate { guard rate > 0, rate <= 10_000_000 else { throw ValidationError("--rate must be in (0, 10000000] calls/s") } }
        _ = try Workload(parsing: workload)
    }
}
