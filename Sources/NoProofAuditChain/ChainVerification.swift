/// The outcome of `AuditTrail.verifyChain` (`AuditLog.verifyChain`).
package struct ChainVerification: Sendable, Hashable {
    /// Records whose hash verified (all of them when intact; those before the break otherwise).
    package var recordsChecked: Int
    /// The last verified record (the head when intact); sequence 0 and 32 zero bytes when none.
    package var head: AuditHead
    /// The first break, or nil when the whole chain verifies.
    package var firstBreak: ChainBreak?
    package var isIntact: Bool { firstBreak == nil }

    package init(recordsChecked: Int, head: AuditHead, firstBreak: ChainBreak?) {
        self.recordsChecked = recordsChecked
        self.head = head
        self.firstBreak = firstBreak
    }
}
