import NoProofDomain

/// One recorded status transition of a licence (suspend, reinstate, revoke, or a status change
/// arriving by import).
package struct LicenceStatusChange: Equatable, Sendable {
    /// The licence.
    package var licenceID: LicenceIdentifier
    /// Status before the change.
    package var from: LicenceStatus
    /// Status after the change.
    package var to: LicenceStatus
    /// The reason given by the issuing unit.
    package var reason: String
    /// When the change was committed, ISO 8601 UTC (`2025-06-30T08:15:00.123Z`).
    package var changedAt: String

    /// Creates a status-change record.
    package init(licenceID: LicenceIdentifier, from: LicenceStatus, to: LicenceStatus, reason: String, changedAt: String) {
        self.licenceID = licenceID
        self.from = from
        self.to = to
        self.reason = reason
        self.changedAt = changedAt
    }
}
