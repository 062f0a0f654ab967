/// One unit's oversight figures for a period.
package struct OversightFigures: Hashable, Sendable {
    /// Notification-commitments (告知承诺) the unit recorded.
    package var commitmentsRecorded: Int
    /// Post-checks that confirmed the commitment.
    package var checksConfirmed: Int
    /// Post-checks that found the commitment false.
    package var checksFoundFalse: Int
    /// Post-checks past their due date without an outcome (as of the end of the period or now).
    package var checksOverdue: Int
    /// Voluntary-proof ledger (台账) entries.
    package var ledgerEntries: Int
    /// Ledger entries for a proof that the unit's published list says not to ask for (obtained by
    /// data sharing or verification, by commitment, or cancelled).
    package var ledgerEntriesForNoProofItems: Int
    /// Mismatch cases opened / resolved (Art. 11).
    package var mismatchesOpened: Int
    package var mismatchesResolved: Int
    /// Appeals (administrative review) recorded.
    package var appeals: Int
    /// Complaints about the unit by breach type (the Art. 16 list, e.g. "fake_requirement").
    package var complaintsByBreachType: [String: Int]

    package init(
        commitmentsRecorded: Int = 0, checksConfirmed: Int = 0, checksFoundFalse: Int = 0, checksOverdue: Int = 0,
        ledgerEntries: Int = 0, ledgerEntriesForNoProofItems: Int = 0, mismatchesOpened: Int = 0, mismatchesResolved: Int = 0,
        appeals: Int = 0, complaintsByBreachType: [String: Int] = [:]
    ) {
        self.commitmentsRecorded = commitmentsRecorded
        self.checksConfirmed = checksConfirmed
        self.checksFoundFalse = checksFoundFalse
        self.checksOverdue = checksOverdue
        self.ledgerEntries = ledgerEntries
        self.ledgerEntriesForNoProofItems = ledgerEntriesForNoProofItems
        self.mismatchesOpened = mismatchesOpened
        self.mismatchesResolved = mismatchesResolved
        self.appeals = appeals
        self.complaintsByBreachType = complaintsByBreachType
    }
}
