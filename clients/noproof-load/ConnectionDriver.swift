import Dispatch
import Histogram
import NIOCore
import NoProofClient
import NoProofDomain
import NoProofProtocol

/// Drives one connection's calls from its event loop, the way an event-driven C client does: a
/// call's completion records its latency in this connection's histogram and starts the next
/// call right there, so a call costs no task, no hop between threads and no encode (requests
/// are `EncodedRequests`). Lives on the client's event loop only (`NIOLoopBound`).
///
/// Closed loop: `inFlight` calls always in flight. Open loop (`interval` set): calls are due
/// every `interval` ns from `firstDue`, started by an event-loop timer or, when `inFlight` calls
/// are already out, by the completion that frees a slot; latency counts from the due time.
final class ConnectionDriver {
    /// Everything a driver needs that is the same for every connection.
    struct Plan: Sendable {
        let workload: Workload
        let requests: EncodedRequests
        let state: RunState
        let inFlight: Int
        /// Open loop: ns between this connection's calls.
        let interval: UInt64?
        /// With --allow-shedding: how long a slot rests after a shed call.
        let shedBackoff: TimeAmount?
        /// A call unanswered this long is abandoned as DEADLINE_EXCEEDED (the server is told the
        /// same deadline, so this only catches a server that does not answer at all).
        let timeout: TimeAmount
    }

    /// One of the `inFlight` places for a call.
    private struct Slot {
        var callID: UInt32?
        /// When the call was due (open loop) or sent: latency counts from here.
        var started: UInt64 = 0
        /// When it was sent: the watchdog's deadline counts from here.
        var sent: UInt64 = 0
    }

    private let client: NoProofClient
    private let plan: Plan
    private let loop: NIOIsolatedEventLoop
    private var random: SplitMix64
    private var slots: [Slot]
    private var free: [Int]
    /// Slots in use: calls in flight and slots resting after a shed call.
    private var busy = 0
    private var nextDue: UInt64
    private var pacingTimer: Scheduled<Void>?
    private var watchdog: Scheduled<Void>?
    private var stopped: EventLoopPromise<WorkerResult>?

    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    private var served = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// Measured calls by status code (index = raw value); codes past the known ones go to `otherStatuses`.
    private var statusCounts = [UInt64](repeating: 0, count: StatusCode.allKnown.count)
    private var otherStatuses: [String: UInt64] = [:]
    private var unexpected: UInt64 = 0

    /// Call on the client's event loop.
    init(client: NoProofClient, plan: Plan, seed: UInt64, firstDue: UInt64) {
        self.client = client
        self.plan = plan
        self.loop = client.eventLoop.assumeIsolated()
        random = SplitMix64(seed: seed &+ 0x5EED)
        slots = Array(repeating: Slot(), count: plan.inFlight)
        free = Array((0..<plan.inFlight).reversed())
        nextDue = firstDue
    }

    /// Starts the calls and the watchdog.
    func begin() {
        armWatchdog()
        fill()
    }

    /// Starts no more calls; the future completes with what was measured once the calls in
    /// flight are done.
    func stop() -> EventLoopFuture<WorkerResult> {
        let promise = client.eventLoop.makePromise(of: WorkerResult.self)
        stopped = promise
        pacingTimer?.cancel()
        pacingTimer = nil
        finishIfIdle()
        return promise.futureResult
    }

    // MARK: Calls

    /// Starts calls while a slot is free (and, open loop, a call is due); arms the pacing timer
    /// for the next due call.
    private func fill() {
        guard stopped == nil else { return }
        guard let interval = plan.interval else {
            while busy < plan.inFlight { start(due: nil) }
            return
        }
        let now = DispatchTime.now().uptimeNanoseconds
        while busy < plan.inFlight, nextDue <= now {
            start(due: nextDue)
            nextDue += interval
        }
        if busy < plan.inFlight, pacingTimer == nil {
            pacingTimer = loop.scheduleTask(deadline: .uptimeNanoseconds(nextDue)) { [self] in
                pacingTimer = nil
                fill()
            }
        }
    }

    private func start(due: UInt64?) {
        let operation = plan.workload.pick(random.next())
        let pool = plan.requests.calls[operation.slot]
        let request = pool[Int(random.next() % UInt64(pool.count))]
        let slot = free.removeLast()
        busy += 1
        let now = DispatchTime.now().uptimeNanoseconds
        slots[slot].started = due ?? now
        slots[slot].sent = now
        // The completion never runs inside startUnary, so the id is set before it can be needed.
        slots[slot].callID = client.startUnary(request) { [self] outcome in
            completed(slot: slot, operation: operation, outcome)
        }
    }

    private func completed(slot: Int, operation: Workload.Operation, _ outcome: Result<ByteBuffer, RPCError>) {
        let micros = (DispatchTime.now().uptimeNanoseconds - slots[slot].started) / 1000
        slots[slot] = Slot()
        let code: StatusCode
        switch outcome {
        case .success(let answer):
            // A lookup's answer is a sealed proof: an empty one is the server's fault. Answers
            // are not decoded (the server under test is measured, not this client).
            code = operation == .lookup && answer.readableBytes == 0 ? .internal : .ok
        case .failure(let error):
            code = error.code
        }
        let shed = plan.shedBackoff != nil && (code == .unavailable || code == .resourceExhausted)
        if plan.state.measuring.load(ordering: .relaxed) {
            let value = max(1, micros)
            _ = histogram.record(value)
            if !shed { _ = served.record(value) }
            if Int(code.rawValue) < statusCounts.count {
                statusCounts[Int(code.rawValue)] += 1
            } else {
                otherStatuses[code.name, default: 0] += 1
            }
            if !shed, !Self.expected(code, for: operation) {
                unexpected += 1
                plan.state.unexpected.add(1, ordering: .relaxed)
            }
            plan.state.measured.add(1, ordering: .relaxed)
        }
        if shed, let backoff = plan.shedBackoff {
            // The slot rests, as a Task worker slept after a shed call.
            loop.scheduleTask(in: backoff) { [self] in release(slot) }
        } else {
            release(slot)
        }
    }

    private func release(_ slot: Int) {
        free.append(slot)
        busy -= 1
        if stopped != nil { finishIfIdle() } else { fill() }
    }

    private func finishIfIdle() {
        guard busy == 0, let stopped else { return }
        watchdog?.cancel()
        watchdog = nil
        var result = WorkerResult()
        result.histogram = histogram
        result.served = served
        for (raw, count) in statusCounts.enumerated() where count > 0 {
            result.statuses[StatusCode(rawValue: UInt32(raw)).name] = count
        }
        result.statuses.merge(otherStatuses, uniquingKeysWith: +)
        result.unexpected = unexpected
        stopped.succeed(result)
    }

    /// Abandons calls past the deadline: without it a server that never answers would hold the
    /// slots (and the end of the run) forever. A sweep over the slots a few times per deadline
    /// instead of a timer per call.
    private func armWatchdog() {
        let period = TimeAmount.nanoseconds(max(10_000_000, min(1_000_000_000, plan.timeout.nanoseconds / 4)))
        watchdog = loop.scheduleTask(in: period) { [self] in
            abandonOverdueCalls()
            if watchdog != nil { armWatchdog() }
        }
    }

    private func abandonOverdueCalls() {
        let limit = UInt64(plan.timeout.nanoseconds)
        let now = DispatchTime.now().uptimeNanoseconds
        for index in slots.indices {
            let slot = slots[index]
            guard let callID = slot.callID, now > slot.sent, now - slot.sent > limit else { continue }
            client.abandonUnary(callID, because: RPCError(.deadlineExceeded, "no answer within \(limit / 1_000_000) ms"))
        }
    }

    static func expected(_ code: StatusCode, for operation: Workload.Operation) -> Bool {
        switch operation {
        case .lookup: code == .ok || code == .failedPrecondition
        case .miss: code == .notFound
        case .check, .health, .verification: code == .ok
        }
    }
}
