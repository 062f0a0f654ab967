package import NoProofAuditChain
package import NoProofSeals

/// What noproofd needs of an audit trail beyond the seam `AuditTrail` (issue 18): the tree's
/// current head to sign, the signed heads kept beside the records, a record's chain hash (the
/// start check against `audit-head`), whether proofs were issued (a missing seal key at start),
/// and a close that drains the append queue. `AuditLog` (audit.sqlite) and `PostgresAuditTrail`
/// implement it, so the head publisher, the start and witness checks and `audit-verify` work on
/// either backend. Reads are async: a network backend implements them as real async calls.
package protocol SignedAuditTrail: AuditTrail {
    /// The tree over every record now: its size (the last sequence) and root, read together.
    func currentTree() async throws -> (size: UInt64, root: [UInt8])

    /// Keeps a signed head beside the records, durably.
    func storeHead(_ head: SignedTreeHead) async throws

    /// The heads kept beside the records, oldest first (at most `limit`, the newest ones).
    func storedHeads(limit: Int) async throws -> [SignedTreeHead]

    /// The chain hash stored with record `sequence` (nil when there is no such record).
    func chainHash(at sequence: Int64) async throws -> [UInt8]?

    /// Whether the trail records a proof issued: a found lookup or an answered verification request.
    func recordsIssuedProofs() async throws -> Bool

    /// Stops taking records and waits for those queued to be written.
    func close() async
}

extension SignedAuditTrail {
    /// The newest head kept beside the records.
    package func latestStoredHead() async throws -> SignedTreeHead? {
        try await storedHeads(limit: 1).last
    }
}

extension AuditTrail {
    /// When this trail's epoch began: its first record's time when that is `Audit.NewEpoch`, else
    /// the beginning of time.
    package func epochStartMillis() async throws -> Int64 {
        guard let first = try await records(after: 0, limit: 1).first, first.action == .auditNewEpoch else { return .min }
        return first.atMillis
    }
}
