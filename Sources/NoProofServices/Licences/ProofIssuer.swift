import Dispatch
import NoProofProtocol
import NoProofSeals
import NoProofServer
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

    /// One lookup's share of a batch: the proof body to seal (nil: an audit record only, for a
    /// lookup that found nothing to seal) and its audit record.
    struct Entry: Sendable {
        var body: [UInt8]?
        var record: AuditRecord
        /// The call's hand-off times (the per-stage breakdown): the batch's start, seal and commit
        /// are marked on it once the batch is durable.
        var stamps: CallStamps?
    }

    private let overload: OverloadPolicy
    private let now: @Sendable () -> ContinuousClock.Instant
    private let writer: BatchingWriter<Entry, Seal>

    /// `worker`: the serial queue the batches are written on (a test may suspend it). A committed
    /// batch's answers are built and sent on a delivery queue of their own, so that the writer goes
    /// straight on to the next batch (answering a batch on the writer measured as serial time
    /// between commits). `stages`: where each batch's seal and durable-write times are recorded
    /// (once per batch), nil for none.
    init(
        keyring: SealKeyring, audit: any AuditTrail, maxBatch: Int = 2048, overload: OverloadPolicy = .off,
        stages: StageLatencies? = nil,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        worker: DispatchQueue = DispatchQueue(label: "noproof.proof-issuer")
    ) {
        self.overload = overload
        self.now = now
        writer = BatchingWriter(
            label: "noproof.proof-issuer", maxBatch: maxBatch, queue: worker,
            delivery: DispatchQueue(label: "noproof.proof-delivery"), now: overload == .off ? nil : now,
            write: audit.writesAsynchronously
                ? .async { entries in
                    // PostgreSQL: the batch's transaction is awaited, no queue thread parked on it
                    // (on Linux that starves the cooperative pool its async work needs).
                    let started = CallStamps.now()
                    let seals = Self.seal(entries, keyring: keyring)
                    let sealed = CallStamps.now()
                    _ = try await audit.writeBatch(entries.map(\.record))
                    return Self.finish(entries, seals: seals, started: started, sealed: sealed, stages: stages)
                }
                : .blocking { entries in
                    let started = CallStamps.now()
                    let seals = Self.seal(entries, keyring: keyring)
                    let sealed = CallStamps.now()
                    _ = try audit.appendBatch(entries.map(\.record))
                    return Self.finish(entries, seals: seals, started: started, sealed: sealed, stages: stages)
                })
    }

    /// The batch's proof bodies sealed together (one signature over their Merkle root).
    private static func seal(_ entries: [Entry], keyring: SealKeyring) -> [Seal] {
        let bodies = entries.compactMap(\.body)
        return bodies.isEmpty ? [] : keyring.sealBatch(bodies, kind: .dataSharing)
    }

    /// Marks the batch's stages once its records are durable and hands out each entry's seal.
    private static func finish(_ entries: [Entry], seals: [Seal], started: UInt64, sealed: UInt64, stages: StageLatencies?) -> [Seal] {
        let committed = CallStamps.now()
        // Three relaxed atomic stores per call and one lock per batch: the stages of a batch.
        for entry in entries {
            guard let stamps = entry.stamps else { continue }
            stamps.mark(.batchStarted, at: started)
            stamps.mark(.sealed, at: sealed)
            stamps.mark(.fsynced, at: committed)
        }
        stages?.recordBatch(sealNanos: sealed - started, fsyncNanos: committed - sealed)
        var next = seals.makeIterator()
        return entries.map { $0.body == nil ? Seal(keyID: "", signature: []) : next.next()! }
    }

    /// The refusal for a new lookup when the queue is past capacity (`OverloadPolicy`), else nil.
    func admission() -> RPCError? {
        if overload == .off { return nil }
        return overload.refusal(depth: writer.depth, oldestWaitingSince: writer.oldestWaitingSince, now: now())
    }

    /// Queues a proof body and its audit record; `completion` gets the seal once both are done.
    /// `stamps`: the call's hand-off times, its `queued` mark set here.
    func issue(body: [UInt8], record: AuditRecord, stamps: CallStamps? = nil, completion: @escaping Completion) {
        stamps?.mark(.queued)
        writer.enqueueOrFail(Entry(body: body, record: record, stamps: stamps), completion: completion)
    }

    /// Queues the audit record of a lookup that issues no proof; `completion` runs once it is
    /// durable. Sharing the proofs' queue keeps one writer and large batches.
    /// `stamps`: the call's hand-off times when it got as far as the library (not found, not in
    /// force), its `queued` mark set here.
    func record(_ record: AuditRecord, stamps: CallStamps? = nil, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        stamps?.mark(.queued)
        writer.enqueueOrFail(Entry(body: nil, record: record, stamps: stamps)) { result in completion(result.map { _ in () }) }
    }
}
