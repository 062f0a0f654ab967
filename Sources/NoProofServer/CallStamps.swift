import Dispatch
import Synchronization

/// The monotonic times one lookup passed each hand-off of its pipeline (issue 19), in uptime
/// nanoseconds (`DispatchTime`, the clock `NIODeadline` reads too). The server makes one for each
/// call of a method registered with `stages: true`; each stage's owner marks its end on the thread
/// it runs on (event loop, library task, proof-issuer writer), and the connection handler, once
/// the answer is written, turns a complete set into the per-call stages of `StageLatencies`.
///
/// Each mark is written once by one thread and read after the answer came back through the hand-offs
/// (writer queue, delivery queue, mailbox), so relaxed atomics suffice: they cost a plain store.
package final class CallStamps: Sendable {
    /// The hand-offs, in pipeline order.
    package enum Mark: Int, CaseIterable, Sendable {
        /// The socket read that completed the CALL frame (event loop).
        case received
        /// The request message decoded (event loop, `RPCRegistry`).
        case decoded
        /// The access gate, the limits and the overload check passed (event loop).
        case admitted
        /// The holder's licences in hand, from the cache or the store.
        case lookedUp
        /// The proof body and audit record queued in the proof issuer's batching writer.
        case queued
        /// The writer took the batch holding the call.
        case batchStarted
        /// The batch sealed (one signature over its Merkle root).
        case sealed
        /// The batch's audit transaction committed and fsynced.
        case fsynced
        /// The answer written to the channel (event loop).
        case answered
    }

    private let received: Atomic<UInt64>
    private let decoded = Atomic<UInt64>(0)
    private let admitted = Atomic<UInt64>(0)
    private let lookedUp = Atomic<UInt64>(0)
    private let queued = Atomic<UInt64>(0)
    private let batchStarted = Atomic<UInt64>(0)
    private let sealed = Atomic<UInt64>(0)
    private let fsynced = Atomic<UInt64>(0)
    private let answered = Atomic<UInt64>(0)

    /// `received`: when the CALL frame was read (uptime nanoseconds).
    package init(received: UInt64) {
        self.received = Atomic(received)
    }

    /// Now, on the clock of every mark: uptime nanoseconds.
    @inline(__always)
    package static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Marks `mark` as passed at `nanos` (now by default).
    package func mark(_ mark: Mark, at nanos: UInt64 = CallStamps.now()) {
        switch mark {
        case .received: received.store(nanos, ordering: .relaxed)
        case .decoded: decoded.store(nanos, ordering: .relaxed)
        case .admitted: admitted.store(nanos, ordering: .relaxed)
        case .lookedUp: lookedUp.store(nanos, ordering: .relaxed)
        case .queued: queued.store(nanos, ordering: .relaxed)
        case .batchStarted: batchStarted.store(nanos, ordering: .relaxed)
        case .sealed: sealed.store(nanos, ordering: .relaxed)
        case .fsynced: fsynced.store(nanos, ordering: .relaxed)
        case .answered: answered.store(nanos, ordering: .relaxed)
        }
    }

    /// When `mark` was passed; 0 if it was not (yet).
    package func at(_ mark: Mark) -> UInt64 {
        switch mark {
        case .received: received.load(ordering: .relaxed)
        case .decoded: decoded.load(ordering: .relaxed)
        case .admitted: admitted.load(ordering: .relaxed)
        case .lookedUp: lookedUp.load(ordering: .relaxed)
        case .queued: queued.load(ordering: .relaxed)
        case .batchStarted: batchStarted.load(ordering: .relaxed)
        case .sealed: sealed.load(ordering: .relaxed)
        case .fsynced: fsynced.load(ordering: .relaxed)
        case .answered: answered.load(ordering: .relaxed)
        }
    }

    /// Every hand-off passed: the call went the whole way through the pipeline.
    package var isComplete: Bool {
        Mark.allCases.allSatisfy { at($0) != 0 }
    }
}
