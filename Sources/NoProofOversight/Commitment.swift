package import Foundation
package import NoProofDomain

/// A notification-commitment (告知承诺, Art. 7, 12): the applicant signed a commitment instead of
/// a proof the unit's published list obtains by commitment; the unit checks it afterwards.
///
///     recorded (check due by the risk rule) ─check─▶ confirmed
///                                            └────▶ found false (flagged for the unit and the task force)
///
/// A check is recorded once; repeating the same check is a no-op (`false`), a different one is refused.
package struct Commitment: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var unit: String
    package var unitName: String
    package var holderID: String
    package var holderName: String
    package var itemCode: String
    package var itemName: String
    package var caseReference: String
    /// The proof the commitment replaces.
    package var proofType: String
    package var proofName: String
    /// The commitment text shown to the applicant.
    package var text: String
    package var channel: CommitmentChannel
    package var recordedAt: Date
    package var recordedBy: String
    package var risk: CheckRiskLevel
    package var checkDueAt: Date
    package var checkOutcome: CheckOutcome?
    package var checkedAt: Date?
    package var checkedBy: String?
    package var evidence: String
    /// The same applicant's earlier commitments found false (any unit) when this one was
    /// recorded; nil or empty when none. Such a commitment is flagged: the clerk is warned and
    /// its check risk raised to high (`CheckRiskRule.level(item:proof:earlierFalse:)`).
    package var earlierFalse: [String]? = nil
    /// The warning given to the clerk when it was recorded.
    package var warning: String? = nil
    /// The level the rule gave before it was raised (nil when not raised).
    package var ruleRisk: CheckRiskLevel? = nil

    /// Whether the commitment was flagged for an earlier false commitment of the applicant.
    package var flagged: Bool { !(earlierFalse ?? []).isEmpty }

    /// What the unit records.
    package struct Filing: Hashable, Sendable {
        package var unit: String
        package var unitName: String
        package var holderID: String
        package var holderName: String
        package var itemCode: String
        package var itemName: String
        package var caseReference: String
        package var proofType: String
        package var proofName: String
        package var text: String
        package var channel: CommitmentChannel
        package var recordedBy: String

        package init(
            unit: String, unitName: String, holderID: String, holderName: String, itemCode: String, itemName: String = "",
            caseReference: String, proofType: String, proofName: String = "", text: String, channel: CommitmentChannel,
            recordedBy: String
        ) {
            self.unit = unit
            self.unitName = unitName
            self.holderID = holderID
            self.holderName = holderName
            self.itemCode = itemCode
            self.itemName = itemName
            self.caseReference = caseReference
            self.proofType = proofType
            self.proofName = proofName
            self.text = text
            self.channel = channel
            self.recordedBy = recordedBy
        }

        /// Whether `commitment` was recorded from the same facts (a retry).
        package func matches(_ commitment: Commitment) -> Bool {
            commitment.unit == unit && commitment.holderID == holderID && commitment.itemCode == itemCode
                && commitment.caseReference == caseReference && commitment.proofType == proofType && commitment.text == text
                && commitment.channel == channel
        }
    }

    package static func validate(_ filing: Filing) throws(NoProofError) {
        try OversightValidation.holder(filing.holderID)
        try OversightValidation.item(filing.itemCode)
        try OversightValidation.caseReference(filing.caseReference)
        try OversightValidation.proof(filing.proofType)
        try OversightValidation.text(filing.text, "text", "the commitment text shown to the applicant (告知承诺书)", limit: 4000)
        try OversightValidation.optional(filing.holderName, "holder_name", limit: 100)
        try OversightValidation.staff(filing.recordedBy)
    }

    /// Records a commitment at `now`, its check due by `rule`. `earlierFalse`: the same
    /// applicant's earlier commitments found false (any unit); when there are any, the clerk is
    /// warned and the risk is raised to high, so the check is due within `rule`'s high days.
    package static func record(
        _ filing: Filing, id: String, rule: CheckRiskRule, earlierFalse: [Commitment] = [],
        at now: Date
    ) throws(NoProofError) -> Commitment {
        try validate(filing)
        let ruleLevel = rule.level(item: filing.itemCode, proof: filing.proofType)
        let level = rule.level(item: filing.itemCode, proof: filing.proofType, earlierFalse: earlierFalse.count)
        var commitment = Commitment(
            id: id, unit: filing.unit, unitName: filing.unitName, holderID: filing.holderID, holderName: filing.holderName,
            itemCode: filing.itemCode, itemName: filing.itemName, caseReference: filing.caseReference, proofType: filing.proofType,
            proofName: filing.proofName, text: filing.text, channel: filing.channel, recordedAt: now, recordedBy: filing.recordedBy,
            risk: level, checkDueAt: rule.checkDue(level: level, recordedAt: now), checkOutcome: nil, checkedAt: nil, checkedBy: nil,
            evidence: ""
        )
        if !earlierFalse.isEmpty {
            commitment.earlierFalse = earlierFalse.map(\.id)
            commitment.ruleRisk = ruleLevel
            let shown = earlierFalse.prefix(3).map { c in
                "\(c.id) (\(c.unitName.isEmpty ? c.unit : c.unitName), \(c.proofType), found false \(c.checkedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "?"))"
            }
            commitment.warning =
                "the applicant has \(earlierFalse.count) earlier commitment(s) found false: "
                + shown.joined(separator: "; ") + (earlierFalse.count > 3 ? "; …" : "")
                + ". Flagged for a post-check: risk raised to \(level.rawValue)"
                + (level == ruleLevel ? "" : " (the rule gives \(ruleLevel.rawValue))")
                + ", check due within \(rule.daysToCheck(level)) days"
        }
        return commitment
    }

    /// Records the post-check. Found false needs evidence notes.
    package mutating func recordCheck(outcome: CheckOutcome, evidence: String, by staff: String, at now: Date) throws(NoProofError) -> Bool {
        if let checkOutcome {
            if checkOutcome == outcome && self.evidence == evidence { return false }
            throw .conflict("commitment \(id) was already checked (\(checkOutcome.rawValue)) by \(checkedBy ?? "?"); a check cannot be changed")
        }
        if outcome == .foundFalse {
            try OversightValidation.text(evidence, "evidence", "the evidence notes that show the commitment was false")
        } else {
            try OversightValidation.optional(evidence, "evidence")
        }
        try OversightValidation.staff(staff)
        checkOutcome = outcome
        self.evidence = evidence
        checkedBy = staff
        checkedAt = now
        return true
    }

    /// Unchecked and past its due date at `now`.
    package func isOverdue(at now: Date) -> Bool { checkOutcome == nil && now >= checkDueAt }

    /// Checked after its due date.
    package var checkedLate: Bool { checkedAt.map { $0 > checkDueAt } ?? false }
}
