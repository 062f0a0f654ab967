package import Foundation
package import NoProofDomain
package import NoProofUnits

/// Persistent storage of units, staff, credentials, item list versions and the denial log.
/// `SQLiteUnitStore` is the embedded implementation; `PostgresUnitStore` (NoProofPostgres) the
/// one for several instances on one database.
///
/// Rules enforced by every implementation, atomically with the write:
/// - the Art. 10 staff rule for active units (`StaffRule`);
/// - the list life cycle (`ItemListStateMachine`); acting staff must be active members of the
///   unit they act for, reviewers members of the task force office;
/// - at most one open (not yet published) list version per unit.
///
/// Every write is durable before the method returns. Times are kept to the millisecond.
/// Secrets are never stored or returned: credentials carry only their salted hash.
package protocol UnitStore: Sendable {
    // MARK: Units

    /// Registers `unit` with its initial staff (which must satisfy Art. 10 when the unit is active).
    /// - Throws: `.alreadyExists` when the code is taken (or a second task force office is
    ///   created); `.invalid`; `.conflict` for a staff set breaking Art. 10.
    func createUnit(_ unit: ServiceUnit, staff: [StaffMember], at time: Date) async throws(NoProofError)

    /// Updates a unit's name, kind, district, flags (matched by code). Activating a unit checks
    /// its staff against Art. 10.
    /// - Throws: `.notFound`; `.invalid`; `.conflict`.
    func updateUnit(_ unit: ServiceUnit, at time: Date) async throws(NoProofError)

    /// The unit with `code`, or `nil`.
    func unit(code: UnifiedSocialCreditCode) async throws(NoProofError) -> ServiceUnit?

    /// All units, ordered by code.
    func units() async throws(NoProofError) -> [ServiceUnit]

    /// The task force office, if registered.
    func taskForceOffice() async throws(NoProofError) -> ServiceUnit?

    // MARK: Staff

    /// The unit's staff ordered by id; inactive members only when `includeInactive`.
    /// - Throws: `.notFound` for an unknown unit.
    func staff(of unit: UnifiedSocialCreditCode, includeInactive: Bool) async throws(NoProofError) -> [StaffMember]

    /// One member (active or not), or `nil`.
    func staffMember(_ id: String, of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> StaffMember?

    /// Replaces the unit's whole staff set in one step (members left out are deactivated, not
    /// deleted) — the way to hand over the supervisor role.
    /// - Throws: `.notFound`; `.invalid`; `.conflict` when the new set breaks Art. 10.
    func replaceStaff(of unit: UnifiedSocialCreditCode, with staff: [StaffMember], at time: Date) async throws(NoProofError)

    /// Adds one member.
    /// - Throws: `.notFound`; `.alreadyExists` for a taken id; `.conflict` (second supervisor).
    func addStaff(_ member: StaffMember, to unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError)

    /// Deactivates one member.
    /// - Throws: `.notFound`; `.conflict` for the last agent or the only supervisor.
    func deactivateStaff(_ id: String, of unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError)

    // MARK: Working-day calendar

    /// The calendar in force (the published years), shared with whatever counts working days.
    var calendarBook: CalendarBook { get }

    /// The latest version of each published year, by year.
    func calendarYears() async throws(NoProofError) -> [PublishedCalendarYear]

    /// Every version of `year`, oldest first.
    func calendarHistory(year: Int) async throws(NoProofError) -> [PublishedCalendarYear]

    /// Publishes `year` as its next version and puts it in force at once.
    /// - Throws: `.invalid` for a year that fails `CalendarYear.validate`.
    func publishCalendarYear(_ year: CalendarYear, by actor: String, at time: Date) async throws(NoProofError) -> PublishedCalendarYear

    // MARK: Credentials

    /// Stores a newly issued credential (hash only).
    /// - Throws: `.notFound` for an unknown unit; `.alreadyExists` for a taken id.
    func insertCredential(_ credential: Credential) async throws(NoProofError)

    /// The credential with `id`, or `nil`.
    func credential(id: String) async throws(NoProofError) -> Credential?

    /// The credential a client certificate with this SHA-256 fingerprint is registered on, or `nil`.
    func credential(certificateSHA256: String) async throws(NoProofError) -> Credential?

    /// Revokes a credential.
    /// - Throws: `.notFound`; `.conflict` when already revoked; `.invalid` for an empty reason.
    @discardableResult
    func revokeCredential(id: String, by actor: String, reason: String, at time: Date) async throws(NoProofError) -> Credential

    /// The unit's credentials, newest first.
    func credentials(of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [Credential]

    // MARK: Item lists

    /// Starts the next version of the unit's list: a copy of the latest published version, or an
    /// empty first list.
    /// - Throws: `.notFound`; `.forbidden` when `by` is not an active member; `.conflict` when
    ///   an unpublished version is already open.
    func createDraft(unit: UnifiedSocialCreditCode, by staffID: String, at time: Date) async throws(NoProofError) -> ItemListVersion

    /// Replaces a draft's items and declared changes.
    func saveDraft(
        unit: UnifiedSocialCreditCode, version: Int, items: [ServiceItem], changes: [ListChange],
        by staffID: String, at time: Date
    ) async throws(NoProofError) -> ItemListVersion

    /// Submits a draft to the task force office (late changes are flagged, not refused).
    func submitList(unit: UnifiedSocialCreditCode, version: Int, by staffID: String, at time: Date) async throws(NoProofError) -> ItemListVersion

    /// Approves a submitted version, effective at `effectiveAt`, by staff member
    /// `reviewerStaff` of the task force office.
    func approveList(
        unit: UnifiedSocialCreditCode, version: Int, reviewerStaff: String, at time: Date,
        effectiveAt: Date
    ) async throws(NoProofError) -> ItemListVersion

    /// Rejects a submitted version with a reason.
    func rejectList(
        unit: UnifiedSocialCreditCode, version: Int, reviewerStaff: String, at time: Date,
        reason: String
    ) async throws(NoProofError) -> ItemListVersion

    /// Returns a rejected version to draft.
    func reopenList(unit: UnifiedSocialCreditCode, version: Int, by staffID: String, at time: Date) async throws(NoProofError) -> ItemListVersion

    /// Publishes an approved version. `actor` is recorded (`<unit>/<staff>` or `system`).
    func publishList(unit: UnifiedSocialCreditCode, version: Int, actor: String, at time: Date) async throws(NoProofError) -> ItemListVersion

    /// Publishes every approved version whose effective time has come (call periodically and at
    /// start-up); returns those published.
    func publishDue(at time: Date) async throws(NoProofError) -> [ItemListVersion]

    /// One version, or `nil`.
    func listVersion(unit: UnifiedSocialCreditCode, version: Int) async throws(NoProofError) -> ItemListVersion?

    /// Every version of the unit's list, oldest first.
    func listHistory(unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [ItemListVersion]

    /// The unit's version in force at `time` (see `ItemListVersion.inForce`), or `nil`.
    func versionInForce(unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) -> ItemListVersion?

    /// Every unit's version in force at `time`, ordered by unit code.
    func listsInForce(at time: Date) async throws(NoProofError) -> [ItemListVersion]

    /// Loads parsed bulk lists: each unit's entry becomes (or replaces the content of) its open
    /// draft. Units with problems are left untouched and reported.
    func loadLists(_ file: ItemListBulkFile, by staffID: String, at time: Date) async throws(NoProofError) -> BulkLoadReport

    // MARK: Denial log

    /// Appends a denial or breach record durably; returns its sequence number.
    @discardableResult
    func appendDenial(_ record: DenialRecord) async throws(NoProofError) -> Int64

    /// Appends several records durably in one transaction, in order; returns their sequence numbers.
    @discardableResult
    func appendDenials(_ records: [DenialRecord]) async throws(NoProofError) -> [Int64]

    /// The most recent records (newest first), of one unit or of all.
    func denials(unit: UnifiedSocialCreditCode?, limit: Int) async throws(NoProofError) -> [DenialRecord]
}

extension UnitStore {
    /// One record at a time (stores that cannot write a batch in one transaction).
    @discardableResult
    package func appendDenials(_ records: [DenialRecord]) async throws(NoProofError) -> [Int64] {
        var sequences: [Int64] = []
        for record in records { sequences.append(try await appendDenial(record)) }
        return sequences
    }
}
