import Dispatch
import NoProofProtocol
import NoProofSeals
import Synchronization
import NoProofAudit
import NoProofAuditChain

/// Seals proofs and writes lookups' audit records in batches, off the event loops.
///
/// Whatever lookups arrive while one batch is being sealed and committed form the next batch:
/// one Ed25519 signature over the batch's Merkle root (each proof carries its inclusion path;
/// a batch of one is signed directly) and one durable transaction for all the audit records.
/// A proof's answer is released only after its audit record is committed.
final class ProofIssuer: Sendable {
    typealias Completion = @Sendable (Result<Seal, Error>) -> Void

    private struct Pending {
        /// nil: an audit record only (a lookup that found nothing to seal).
        var bodies: [[UInt8]?] = []
        var records: [AuditRecord] = []
        var completions: [Completion] = []
        /// When each waiting record was queued (overload shedding looks at the oldest).
        var enqueuedAt: [ContinuousClock.Instant] = []
        var draining = false
        /// Records in the batch being sealed and committed.
        var writing = 0
    }

    private let keyring: SealKeyring
    private let audit: AuditLog
    private let maxBatch: Int
    private let pending = Mutex(Pending())
    private let worker: DispatchQueue
    /// Where a committed batch's answers are built and sent, so that the writer goes straight on
    /// to the next batch (answering a batch on the writer measured as serial time between commits).
    private let delivery = DispatchQueue(label: "noproof.proof-delivery")
    private let overload: OverloadPolicy
    private let now: @Sendable () -> ContinuousClock.Instant

    /// `worker`: the serial queue the batches are written on (a test may suspend it).
    init(keyring: SealKeyring, audit: AuditLog, maxBatch: Int = 2048, overload: OverloadPolicy = .off,
         now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
         worker: DispatchQueue = DispatchQueue(label: "noproof.proof-issuer")) {
        self.keyring = keyring
        self.audit = audit
        self.maxBatch = maxBatch
        self.overload = overload
        self.now = now
        self.worker = worker
    }

    /// The refusal for a new lookup when the queue is past capacity (`OverloadPolicy`), else nil.
    func admission() -> RPCError? {
        if overload == .off { return nil }
        let (depth, oldest) = pending.withLock { ($0.bodies.count + $0.writing, $0.enqueuedAt.first) }
        return overload.refusal(depth: depth, oldestWaitingSince: oldest, now: now())
    }

    /// Queues a proof body and its audit record; `completion` gets the seal once both are done.
    func issue(body: [UInt8], record: AuditRecord, completion: @escaping Completion) {
        enqueue(body: body, record: record, completion: completion)
    }

    /// Queues the audit record of a lookup that issues no proof; `completion` runs once it is
    /// durable (its success value is a placeholder seal). Sharing the proofs' queue keeps one
    /// writer and large batches.
    func record(_ record: AuditRecord, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        enqueue(body: nil, record: record) { result in completion(result.map { _ in () }) }
    }

    private func enqueue(body: [UInt8]?, record: AuditRecord, completion: @escaping Completion) {
        let queuedAt = overload == .off ? nil : now()
        let start: Bool = pending.withLock { state in
            if let queuedAt { state.enqueuedAt.append(queuedAt) }
            state.bodies.append(body)
            state.records.append(record)
            state.completions.append(completion)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if start { worker.async { self.drain() } }
    }

    private func drain() {
        while true {
            let batch: Pending? = pending.withLock { state in
                state.writing = 0
                if state.bodies.isEmpty {
                    state.draining = false
                    return nil
                }
                let take = min(state.bodies.count, maxBatch)
                state.writing = take
                if take == state.bodies.count {
                    // The usual case: everything waiting forms the batch; hand the arrays over
                    // instead of copying records (each copy retains a dozen strings).
                    var batch = Pending()
                    swap(&batch.bodies, &state.bodies)
                    swap(&batch.records, &state.records)
                    swap(&batch.completions, &state.completions)
                    state.enqueuedAt.removeAll(keepingCapacity: true)
                    state.bodies.reserveCapacity(take)
                    state.records.reserveCapacity(take)
                    state.completions.reserveCapacity(take)
                    return batch
                }
                let batch = Pending(bodies: Array(state.bodies.prefix(take)), records: Array(state.records.prefix(take)),
                                    completions: Array(state.completions.prefix(take)))
                state.bodies.removeFirst(take)
                state.records.removeFirst(take)
                state.completions.removeFirst(take)
                state.enqueuedAt.removeFirst(min(take, state.enqueuedAt.count))
                return batch
            }
            guard let batch else { return }
            let bodies = batch.bodies.compactMap { $0 }
            let seals = bodies.isEmpty ? [] : keyring.sealBatch(bodies, kind: .dataSharing)
            do {
                _ = try audit.appendBatch(batch.records)
                delivery.async {
                    var next = seals.makeIterator()
                    for (completion, body) in zip(batch.completions, batch.bodies) {
                        completion(.success(body == nil ? Seal(keyID: "", signature: []) : next.next()!))
                    }
                }
            } catch {
                delivery.async {
                    for completion in batch.completions { completion(.failure(error)) }
                }
            }
        }
    }
}
