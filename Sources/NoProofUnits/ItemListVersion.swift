package import Foundation
package import NoProofDomain

/// One version of a unit's item list (清单) with its life-cycle data and full history.
///
/// Versions are numbered 1, 2, ... per unit. A revision (`basedOn` set) starts as a copy of the
/// published version it revises; the differences must be declared as `changes`. Values are
/// changed only through `ItemListStateMachine`.
package struct ItemListVersion: Hashable, Sendable, Codable {
    /// The unit whose list this is.
    package var unitCode: UnifiedSocialCreditCode
    /// Version number, from 1.
    package var version: Int
    /// The published version this one revises, if any.
    package var basedOn: Int?
    /// The service items.
    package var items: [ServiceItem]
    /// Declared changes relative to `basedOn` (empty for a first list).
    package var changes: [ListChange]
    /// Life-cycle status.
    package var status: ItemListStatus
    /// When the version was created.
    package var createdAt: Date
    /// When it was last changed in any way.
    package var updatedAt: Date
    /// When it was (last) submitted.
    package var submittedAt: Date?
    /// Staff member who submitted it.
    package var submittedBy: String?
    /// When the task force approved or rejected it.
    package var reviewedAt: Date?
    /// `<task force code>/<staff id>` of the reviewer.
    package var reviewedBy: String?
    /// Effective time set on approval.
    package var effectiveAt: Date?
    /// Reason given on rejection (cleared when reopened; kept in `history`).
    package var rejectionReason: String?
    /// When it was published.
    package var publishedAt: Date?
    /// Every step, oldest first.
    package var history: [ItemListHistoryEntry]
    /// Every change a submission of this version reported, with the timeliness of its first
    /// report (nil before the first submission): a change dropped in an edit after a rejection
    /// and declared again keeps its first report, and is not counted late twice.
    package var reportedChanges: [ListChange]?

    /// Creates a version from stored parts (use `ItemListStateMachine.newDraft` for new ones).
    package init(
        unitCode: UnifiedSocialCreditCode, version: Int, basedOn: Int?, items: [ServiceItem], changes: [ListChange],
        status: ItemListStatus, createdAt: Date, updatedAt: Date, submittedAt: Date? = nil, submittedBy: String? = nil,
        reviewedAt: Date? = nil, reviewedBy: String? = nil, effectiveAt: Date? = nil, rejectionReason: String? = nil,
        publishedAt: Date? = nil, history: [ItemListHistoryEntry] = []
    ) {
        self.unitCode = unitCode
        self.version = version
        self.basedOn = basedOn
        self.items = items
        self.changes = changes
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
        self.submittedBy = submittedBy
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
        self.effectiveAt = effectiveAt
        self.rejectionReason = rejectionReason
        self.publishedAt = publishedAt
        self.history = history
    }

    /// The item with `code`, if listed.
    package func item(_ code: String) -> ServiceItem? { items.first { $0.code == code } }

    /// Declared changes that were reported after the three-working-day window.
    package var lateChanges: [ListChange] { changes.filter(\.isLate) }

    /// How many times this version has been submitted (resubmissions after a rejection count).
    package var submissionCount: Int { history.filter { $0.action == "submitted" }.count }

    /// The late changes the latest submission reported late for the first time (each late
    /// change is counted once, not again when the version is resubmitted after a rejection).
    package var newlyLateChanges: [ListChange] { lateChanges.filter { $0.firstReportedLate(inSubmission: submissionCount) } }

    /// Whether this version is published and its effective time has come at `time` (it may still
    /// be superseded by a later published version; see `inForce(among:at:)`).
    package func hasTakenEffect(at time: Date) -> Bool {
        status == .published && (effectiveAt.map { $0 <= time } ?? false)
    }

    /// The one version in force at `time` among a unit's versions: of the published versions
    /// whose effective time has come, the one with the latest effective time (the highest version
    /// number on a tie). `nil` when none has taken effect.
    package static func inForce(among versions: [ItemListVersion], at time: Date) -> ItemListVersion? {
        versions.filter { $0.hasTakenEffect(at: time) }.max { a, b in
            (a.effectiveAt!, a.version) < (b.effectiveAt!, b.version)
        }
    }
}
