package import NoProofDomain

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
    /// Who made it: `UNIT/CREDENTIAL/STAFF` over RPC (`LicenceWriteActor`), empty for an offline import.
    package var changedBy: String

    /// Creates a status-change record.
    package init(
        licenceID: LicenceIdentifier, from: LicenceStatus, to: LicenceStatus, reason: String, changedAt: String,
        changedBy: String = ""
    ) {
        self.changedBy = changedBy
        self.licenceID = licenceID
        self.from = from
        self.to = to
        self.reason = reason
        self.changedAt = changedAt
    }
}

/// The writer of a licence change, for the library's own history (`changed_by` of
/// `licence_version` and `licence_status_change`): `UNIT/CREDENTIAL/STAFF`, bound by the licence
/// service around each write. A task-local, so the store's methods keep their signatures; the
/// store reads it in the calling task, before its write transaction. The audit trail's
/// `Licence.*` records carry the same actor, chained.
package enum LicenceWriteActor {
    @TaskLocal package static var current: String = ""
}
