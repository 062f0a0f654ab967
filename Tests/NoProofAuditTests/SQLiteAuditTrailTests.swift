import Testing

/// The audit trail behaviour (`AuditTrailBehaviour`) on the embedded backend: `AuditLog` used only
/// through the `AuditTrail` seam, as the services use it.
@Suite("Audit trail (SQLite)")
struct SQLiteAuditTrailTests {
    @Test("appends one, a batch, by callback; reads in order, by holder, the latest; tallies; the chain verifies")
    func appendsAndReads() async throws { try await AuditTrailBehaviour.appendsAndReads(.sqlite) }
    @Test("a record with a counterpart unit counts for both units")
    func talliesCountBothUnits() async throws { try await AuditTrailBehaviour.talliesCountBothUnits(.sqlite) }
    @Test("the tallies recomputed from the records match; an edited and a deleted counter are named")
    func talliesVerify() async throws { try await AuditTrailBehaviour.talliesVerifyAndAnEditedCounterIsNamed(.sqlite) }
    @Test("records and the tree survive reopening; the chain goes on")
    func survivesReopening() async throws { try await AuditTrailBehaviour.survivesReopening(.sqlite) }
    @Test("roots, inclusion and consistency proofs verify against the chain hashes alone")
    func treeProofsVerify() async throws { try await AuditTrailBehaviour.treeProofsVerify(.sqlite) }
    @Test("concurrent appends form one gapless sequence, each acknowledged with its record's sequence")
    func concurrentAppendsFormOneSequence() async throws { try await AuditTrailBehaviour.concurrentAppendsFormOneSequence(.sqlite) }
    @Test("an edited field and deleted trailing records are found")
    func verifyChainFindsTampering() async throws { try await AuditTrailBehaviour.verifyChainFindsTampering(.sqlite) }
}
