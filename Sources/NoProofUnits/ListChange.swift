import Foundation
package import NoProofDomain

/// A declared change to a published list (Art. 5): what changes, why, and when the cause arose.
/// Every difference between a revision and the version it revises must be declared by one.
package struct ListChange: Hashable, Sendable, Codable {
    /// Add, reduce or change.
    package var kind: ListChangeKind
    /// The item concerned.
    package var itemCode: String
    /// The proof concerned, or `nil` when a whole item is added or removed.
    package var proofCode: String?
    /// The cause in words (for example the law or decision that changed).
    package var cause: String
    /// The day the cause arose; the three-working-day window counts from it.
    package var causeDate: CivilDate
    /// Set on submission: whether the change was reported in time.
    package var timeliness: ChangeTimeliness?

    enum CodingKeys: String, CodingKey {
        case kind
        case itemCode = "item"
        case proofCode = "proof"
        case cause
        case causeDate = "cause_date"
        case timeliness
    }

    /// Creates a change.
    package init(
        kind: ListChangeKind, itemCode: String, proofCode: String? = nil, cause: String, causeDate: CivilDate,
        timeliness: ChangeTimeliness? = nil
    ) {
        self.kind = kind
        self.itemCode = itemCode
        self.proofCode = proofCode
        self.cause = cause
        self.causeDate = causeDate
        self.timeliness = timeliness
    }

    /// Whether the change was reported late (`false` until submitted).
    package var isLate: Bool { timeliness?.late ?? false }

    /// Whether `other` declares the same change (kind, item and proof), whatever its wording or
    /// cause date: the change keeps the timeliness of its first report.
    package func sameChange(as other: ListChange) -> Bool {
        kind == other.kind && itemCode == other.itemCode && proofCode == other.proofCode
    }

    /// Whether this change was reported late for the first time by the version's `submission`-th
    /// submission (a late change is counted once, not again on each resubmission after a rejection).
    package func firstReportedLate(inSubmission submission: Int) -> Bool {
        guard let timeliness, timeliness.late else { return false }
        guard let first = timeliness.firstSubmission else { return true }
        return first == submission
    }

    /// Checks codes and that the cause is written down.
    /// - Throws: `ValidationError` with fields prefixed by `field`.
    package func validate(field: String) throws(ValidationError) {
        try ServiceItem.validateCode(itemCode, field: "\(field).item")
        if let proofCode { try ProofRequirement.validateCode(proofCode, field: "\(field).proof") }
        if cause.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError(field: "\(field).cause", reason: "a change must state its cause in words (Art. 5)")
        }
        if cause.count > 1000 { throw ValidationError(field: "\(field).cause", reason: "cause must be at most 1000 characters") }
    }

    /// `add JMSFZ of item SW-001` / `reduce item SW-002`.
    package var summary: String {
        if let proofCode { return "\(kind.rawValue) proof \(proofCode) of item \(itemCode)" }
        return "\(kind.rawValue) item \(itemCode)"
    }
}
