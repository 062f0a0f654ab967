/// What an audited event came to (`audit.result`; docs/AUDIT.md, "What is audited"). An
/// extensible vocabulary over the stored text, like `AuditAction`: a constant for every fixed
/// value written today, a factory for every value with a detail in it (`listed 3`,
/// `amended v2`, `failed not_found`), and `init(rawValue:)` for values that are another
/// vocabulary's own token (a licence status, a list status, a status code's name, a mismatch
/// finding), which are typed where they come from. A value read back from storage that has no
/// constant is kept as it is. The raw value is the text stored and hashed into the chain, byte
/// for byte.
///
/// Not `ExpressibleByStringLiteral` on purpose: a misspelt literal would type-check again.
package struct AuditResult: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package var description: String { rawValue }

    /// This result finished late: `<result> late` (verification answers and returns past their
    /// deadline, commitment checks past their due date).
    package var late: AuditResult { AuditResult(rawValue: rawValue + " late") }
}

extension AuditResult {
    // MARK: Not yet known; intent first

    /// No result yet: a record being built (a lookup's before it is answered, an intent's before
    /// `AuditedChange` sets `intended`). Also what reads that have no outcome (`List.Load`) store.
    package static let unset = AuditResult(rawValue: "")
    /// The intent of a privileged change, durable before the change is made (AuditedChange, SealKeyAudit).
    package static let intended = AuditResult(rawValue: "intended")
    /// A privileged change the store refused: `failed <status>`, the status code's name in lower case (AuditedChange).
    package static func failed(status: String) -> AuditResult { AuditResult(rawValue: "failed \(status)") }

    // MARK: Data-sharing calls (LicenceService; the supervision figures count them)

    /// The record answered (Lookup, GetLicence).
    package static let found = AuditResult(rawValue: "found")
    /// No such licence (Lookup; GetLicence as the status name).
    package static let notFound = AuditResult(rawValue: "not_found")
    /// The licence is revoked (Lookup: the licence status; also `Licence.Revoke`'s and `Credential.Revoke`'s outcome).
    package static let revoked = AuditResult(rawValue: "revoked")
    /// The licence is suspended (Lookup: the licence status; also `Licence.Suspend`'s outcome).
    package static let suspended = AuditResult(rawValue: "suspended")
    /// The licence is expired (Lookup: the licence status).
    package static let expired = AuditResult(rawValue: "expired")
    /// Every declared field matches (CheckLicence).
    package static let match = AuditResult(rawValue: "match")
    /// A declared field does not match (CheckLicence).
    package static let mismatch = AuditResult(rawValue: "mismatch")
    /// Refused by the unit's published list (Lookup, CheckLicence, Verification.File/Refile).
    package static let denied = AuditResult(rawValue: "denied")
    /// Refused: the status name of a permission failure (GetLicence, CheckLicence).
    package static let permissionDenied = AuditResult(rawValue: "permission_denied")
    /// The cited item lists the proof as cancelled (the list's refusal token).
    package static let cancelled = AuditResult(rawValue: "cancelled")
    /// The cited item lists the proof as excluded (the list's refusal token).
    package static let excluded = AuditResult(rawValue: "excluded")
    /// Refused by the anti-harvesting limits (Lookup).
    package static let rateLimited = AuditResult(rawValue: "rate_limited")
    /// Refused by the anti-harvesting limits: the status name (GetLicence, CheckLicence).
    package static let resourceExhausted = AuditResult(rawValue: "resource_exhausted")
    /// A malformed request (Lookup, CheckLicence, GetLicence, ProofStatus).
    package static let invalidArgument = AuditResult(rawValue: "invalid_argument")
    /// The licence type is not connected to the system (Lookup).
    package static let notConnected = AuditResult(rawValue: "not_connected")
    /// The store could not be read (Lookup).
    package static let unavailable = AuditResult(rawValue: "unavailable")

    // MARK: Licence writes (LicenceService, MismatchCorrection)

    /// `Licence.Issue`'s outcome: `issued <status>`.
    package static func issued(status: String) -> AuditResult { AuditResult(rawValue: "issued \(status)") }
    /// `Licence.Amend`'s outcome: `amended v<version>`.
    package static func amended(version: Int) -> AuditResult { AuditResult(rawValue: "amended v\(version)") }
    /// `Licence.Reinstate`'s outcome.
    package static let reinstated = AuditResult(rawValue: "reinstated")
    /// `Licence.Import`'s outcome: the counts written.
    package static func imported(inserted: Int, updated: Int, unchanged: Int, rejected: Int) -> AuditResult {
        AuditResult(rawValue: "imported inserted=\(inserted) updated=\(updated) unchanged=\(unchanged) rejected=\(rejected)")
    }

    // MARK: Department verification (VerificationService; the supervision figures count them)

    /// A request filed or re-filed.
    package static let filed = AuditResult(rawValue: "filed")
    /// A request taken.
    package static let taken = AuditResult(rawValue: "taken")
    /// A request answered: the record verified (the answer's outcome).
    package static let verified = AuditResult(rawValue: "verified")
    /// A request answered: not on record (the answer's outcome).
    package static let notOnRecord = AuditResult(rawValue: "not_on_record")
    /// A request returned.
    package static let returned = AuditResult(rawValue: "returned")
    /// A request escalated to the supervisor (`Verification.Escalate`).
    package static let escalated = AuditResult(rawValue: "escalated")
    /// The supervisor's time passed too (`Verification.SecondBreach`).
    package static let secondBreach = AuditResult(rawValue: "second_breach")

    // MARK: Item lists (UnitService; a step's result is otherwise the version's new status)

    /// A list version's status: draft (`List.Load` of a draft; a new draft).
    package static let draft = AuditResult(rawValue: "draft")
    /// A list version's status: submitted.
    package static let submitted = AuditResult(rawValue: "submitted")
    /// A submission declaring a late change.
    package static let submittedLate = AuditResult(rawValue: "submitted_late")
    /// A list version's status: approved.
    package static let approved = AuditResult(rawValue: "approved")
    /// A list version's status: rejected.
    package static let rejected = AuditResult(rawValue: "rejected")
    /// A list version's status: published.
    package static let published = AuditResult(rawValue: "published")
    /// `List.LateChange`: a change reported late.
    package static let lateChange = AuditResult(rawValue: "late")

    // MARK: Units, staff, credentials, calendar (UnitService), seal keys (SealKeyAudit)

    /// A unit registered; a seal key created.
    package static let created = AuditResult(rawValue: "created")
    /// A unit changed.
    package static let updated = AuditResult(rawValue: "updated")
    /// A unit deactivated.
    package static let deactivated = AuditResult(rawValue: "deactivated")
    /// A unit's staff replaced.
    package static let replaced = AuditResult(rawValue: "replaced")
    /// A unit credential issued (`Credential.Issue`); the corrected proof issued (`Oversight.CorrectedProof`).
    package static let issued = AuditResult(rawValue: "issued")
    /// A credential of another kind issued: `issued <kind>` (e.g. `issued citizen-portal`).
    package static func issued(kind: String) -> AuditResult { AuditResult(rawValue: "issued \(kind)") }
    /// `Calendar.Publish`'s outcome: `v<version>`, with ` provisional` for a provisional year.
    package static func calendar(version: Int, provisional: Bool) -> AuditResult {
        AuditResult(rawValue: "v\(version)\(provisional ? " provisional" : "")")
    }
    /// The seal key the trail last recorded is in use (`SealKey.InUse`).
    package static let inUse = AuditResult(rawValue: "in_use")
    /// A seal key rotation done.
    package static let rotated = AuditResult(rawValue: "rotated")
    /// A seal key rotation stopped before the key was replaced (found at the next start).
    package static let notCompleted = AuditResult(rawValue: "not_completed")

    // MARK: Access gate, supervision, the trail itself

    /// A burst that looks like harvesting (`Harvest.Suspected`).
    package static let suspected = AuditResult(rawValue: "suspected")
    /// A supervision report read.
    package static let reported = AuditResult(rawValue: "reported")
    /// "Who looked at my data" read.
    package static let listed = AuditResult(rawValue: "listed")
    /// Flag exemptions listed: `listed <count>`.
    package static func listed(count: Int) -> AuditResult { AuditResult(rawValue: "listed \(count)") }
    /// A flag exemption granted.
    package static let exempted = AuditResult(rawValue: "exempted")
    /// A flag exemption asked for again.
    package static let alreadyExempted = AuditResult(rawValue: "already exempted")
    /// A new audit epoch started (`Audit.NewEpoch`).
    package static let started = AuditResult(rawValue: "started")
    /// An inclusion proof read (`Audit.ProveRecord`).
    package static let proved = AuditResult(rawValue: "proved")

    // MARK: Oversight (OversightService, MismatchCorrection; otherwise the case's status or finding)

    /// A mismatch case opened.
    package static let open = AuditResult(rawValue: "open")
    /// A unit that fetched a corrected licence told (`Oversight.CorrectionNotice`).
    package static let noticed = AuditResult(rawValue: "noticed")
    /// A complaint routed: `routed to <unit>`.
    package static func routed(to unit: String) -> AuditResult { AuditResult(rawValue: "routed to \(unit)") }
    /// A complaint closed as substantiated.
    package static let substantiated = AuditResult(rawValue: "substantiated")
    /// A complaint closed as unsubstantiated.
    package static let unsubstantiated = AuditResult(rawValue: "unsubstantiated")
    /// A commitment recorded: `recorded, check due <ISO 8601 time><detail>` (detail: the flag, if any).
    package static func recorded(checkDue: String, detail: String = "") -> AuditResult {
        AuditResult(rawValue: "recorded, check due \(checkDue)\(detail)")
    }
    /// A ledger entry: `volunteered; list: <listed method><detail>`.
    package static func volunteered(list: String, detail: String = "") -> AuditResult {
        AuditResult(rawValue: "volunteered; list: \(list)\(detail)")
    }
    /// A complaint registered: `registered: <breach type> about <unit>`.
    package static func registered(breach: String, about unit: String) -> AuditResult {
        AuditResult(rawValue: "registered: \(breach) about \(unit)")
    }

    /// Every fixed constant above (the factories' values carry details), in declaration order
    /// (the vocabulary's tests check they are distinct).
    package static let known: [AuditResult] = [
        .unset, .intended,
        .found, .notFound, .revoked, .suspended, .expired, .match, .mismatch, .denied, .permissionDenied, .cancelled,
        .excluded, .rateLimited, .resourceExhausted, .invalidArgument, .notConnected, .unavailable,
        .reinstated,
        .filed, .taken, .verified, .notOnRecord, .returned, .escalated, .secondBreach,
        .draft, .submitted, .submittedLate, .approved, .rejected, .published, .lateChange,
        .created, .updated, .deactivated, .replaced, .issued, .inUse, .rotated, .notCompleted,
        .suspected, .reported, .listed, .exempted, .alreadyExempted, .started, .proved,
        .open, .noticed, .substantiated, .unsubstantiated,
    ]
}
