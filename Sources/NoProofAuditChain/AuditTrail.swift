/// The audit trail as its users see it: the seam a storage backend implements (issue 17, part 4).
/// `AuditLog` (NoProofAudit, SQLite `audit.sqlite`) is the embedded one; `PostgresAuditTrail`
/// (NoProofPostgres) is the one shared by several instances. No storage type appears here.
///
/// What a trail promises (docs/AUDIT.md): records are appended in one order, each gets the next
/// sequence and its chain hash from its predecessor, an append's completion (or return) comes only
/// once the record is durable, the supervision tallies count a record in the transaction that
/// appends it, and the records about a holder can be found by the holder.
///
/// The requirements take every argument (no defaults): `AuditLog`'s synchronous methods witness
/// them, and convenience overloads here would compete with those in async code.
package protocol AuditTrail: AnyObject, Sendable {
    // MARK: Appending

    /// Queues `record` for the trail's group-committing writer; `completion` runs, off the
    /// caller's thread, once it is durable, with its sequence (or the error that failed its batch).
    func append(_ record: AuditRecord, completion: @escaping @Sendable (Result<Int64, any Error>) -> Void)

    /// Appends `record` through the group-committing writer and returns its sequence once durable.
    func append(_ record: AuditRecord) async throws -> Int64

    /// Writes `records` together, in order, and returns their sequences once all are durable.
    /// It runs on the calling thread and blocks it until then: for a caller that batches by itself
    /// on its own serial queue (the proof issuer seals and audits a batch together; the seal-key
    /// records at start), never from an event loop or the cooperative pool.
    func appendBatch(_ records: [AuditRecord]) throws -> [Int64]

    /// `appendBatch` for async code (noproofd's start recording its seal keys, tests): writes
    /// `records` together, in order, and returns their sequences once all are durable, without
    /// blocking a thread of the cooperative pool.
    func writeBatch(_ records: [AuditRecord]) async throws -> [Int64]

    /// Whether a batch's write is async work (PostgreSQL): a caller batching on its own (the proof
    /// issuer) then awaits `writeBatch` instead of blocking a queue's thread in `appendBatch`.
    var writesAsynchronously: Bool { get }

    // MARK: Reading

    /// The last record's sequence and chain hash (0 and 32 zero bytes while the trail is empty).
    func head() async throws -> AuditHead

    /// How many records the trail holds.
    func count() async throws -> Int

    /// Up to `limit` records in sequence order after `sequence`.
    func records(after sequence: Int64, limit: Int) async throws -> [AuditRecord]

    /// Records about one holder with one of `actions`, newest first, with sequence below `before`
    /// (nil: from the newest); at most `limit` ("who looked at my data", correction notices).
    func records(aboutHolder holderID: String, actions: [AuditAction], before: Int64?, limit: Int) async throws -> [AuditRecord]

    /// The latest record with one of `actions` and type code `typeCode` (the seal keys at start).
    func latestRecord(actions: [AuditAction], typeCode: String) async throws -> AuditRecord?

    /// The supervision tallies summed over the civil days `fromDay...throughDay`, by unit and
    /// metric (`SupervisionTally`), of one unit or (nil) of all.
    func tallies(fromDay: Int, throughDay: Int, unitCode: String?) async throws -> [String: [String: Int64]]

    /// Recomputes the chain and reports its first break; with `anchor`, the record at its
    /// sequence must carry its hash.
    func verifyChain(anchor: AuditHead?) async throws -> ChainVerification

    // MARK: The Merkle tree (RFC 9162; leaf i is record i + 1's chain hash)

    /// The root of the tree of the first `size` records (`MerkleTree.emptyRoot` for 0).
    /// - Throws: when `size` is beyond the trail, or a record or stored subtree is missing.
    func treeRoot(size: UInt64) async throws -> [UInt8]

    /// The inclusion proof of record `sequence` in the tree of the first `treeSize` records;
    /// nil when there is no such record or it lies beyond `treeSize`.
    /// - Throws: when `treeSize` is beyond the trail.
    func inclusionProof(sequence: Int64, treeSize: UInt64) async throws -> AuditInclusionProof?

    /// The RFC 9162 consistency proof from the tree of `first` records to that of `second`
    /// (`first` above `second` is taken as `second`; empty for 0 or equal sizes).
    /// - Throws: when `second` is beyond the trail.
    func consistencyProof(first: UInt64, second: UInt64) async throws -> [[UInt8]]
}
