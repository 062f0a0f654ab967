package import Foundation
package import NoProofDomain

/// Durable storage of commitments, the voluntary-proof ledger, mismatch cases and complaints.
/// Every write returns once committed and synced. `unit: nil` in a listing means every unit
/// (the task force office's view). Periods are `[from, to)`; nil bounds are open.
package protocol OversightStore: Sendable {
    /// Stores a commitment unless the unit already recorded one for the same holder, case and
    /// proof: then nothing is written and the stored one comes back (`created` false).
    func insertCommitment(_ commitment: Commitment) async throws(NoProofError) -> (record: Commitment, created: Bool)
    func commitment(id: String) async throws(NoProofError) -> Commitment?
    /// Reads, applies `body`, writes back in one transaction when `body` returns true.
    func updateCommitment(id: String, _ body: @Sendable (inout Commitment) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Commitment, changed: Bool)
    /// The holder's commitments found false at any unit, newest check first (commitments with memory).
    func falseCommitments(holder: String, limit: Int) async throws(NoProofError) -> [Commitment]
    /// Newest first.
    func commitments(unit: String?, filter: CommitmentFilter, limit: Int) async throws(NoProofError) -> [Commitment]

    /// Stores a ledger entry unless the unit already recorded the same proof for the same holder and case.
    func insertLedgerEntry(_ entry: LedgerEntry) async throws(NoProofError) -> (record: LedgerEntry, created: Bool)
    /// Oldest first within the period.
    func ledgerEntries(unit: String?, from: Date?, to: Date?, limit: Int) async throws(NoProofError) -> [LedgerEntry]

    /// Stores a case unless the unit already opened one for the same case reference and proof.
    func insertMismatch(_ mismatch: MismatchCase) async throws(NoProofError) -> (record: MismatchCase, created: Bool)
    func mismatch(id: String) async throws(NoProofError) -> MismatchCase?
    func updateMismatch(id: String, _ body: @Sendable (inout MismatchCase) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: MismatchCase, changed: Bool)
    /// Cases the unit opened or must re-verify (all cases when nil), newest first.
    func mismatches(unit: String?, limit: Int) async throws(NoProofError) -> [MismatchCase]

    /// Stores correction notices; a notice for a unit and case already stored is kept (a retry).
    func insertCorrectionNotices(_ notices: [CorrectionNotice]) async throws(NoProofError)
    /// The notices told to the unit (every unit when nil), newest first.
    func correctionNotices(unit: String?, limit: Int) async throws(NoProofError) -> [CorrectionNotice]

    /// Stores a complaint unless one with the same channel and channel reference exists.
    func insertComplaint(_ complaint: Complaint) async throws(NoProofError) -> (record: Complaint, created: Bool)
    func complaint(id: String) async throws(NoProofError) -> Complaint?
    func updateComplaint(id: String, _ body: @Sendable (inout Complaint) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Complaint, changed: Bool)
    /// Complaints routed to the unit (all when nil), optionally of one status, newest first.
    func complaints(routedTo unit: String?, status: ComplaintStatus?, limit: Int) async throws(NoProofError) -> [Complaint]

    /// The unit's figures for `[from, to)`, overdue checks as of `asOf` (see `OversightCounts`).
    /// Each figure is an indexed range count: no full scan, whatever the size of the history.
    func counts(unit: String, from: Date, to: Date, asOf: Date) async throws(NoProofError) -> OversightCounts

    /// Stores an Art. 17 exemption unless one for the same unit, flag and period exists: then
    /// nothing is written and the stored one comes back (`created` false).
    func insertExemption(_ exemption: FlagExemption) async throws(NoProofError) -> (record: FlagExemption, created: Bool)
    /// The exemptions of the unit (every unit when nil) whose period overlaps `from` through `through`, oldest first.
    func exemptions(unit: String?, from: CivilDate, through: CivilDate) async throws(NoProofError) -> [FlagExemption]
}
