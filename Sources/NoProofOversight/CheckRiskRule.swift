package import Foundation
package import NoProofDomain

/// The per-item risk rule that gives each commitment its check due date (Art. 12: commitments
/// only where the risk is controllable, checked afterwards).
///
/// A commitment's level is the most specific entry that matches: `"ITEM/PROOF"` in `proofs`,
/// then the item code in `items`, then the proof code in `proofs`, else `defaultLevel`. The
/// check is due `days[level]` calendar days after the commitment was recorded.
///
/// Commitments with memory: when the same applicant (holder) has an earlier commitment found
/// false — at any unit, for any item — a new commitment is raised to `high` whatever its entry
/// says, so its check is due within `days["high"]` (7 standard) days (`level(item:proof:earlierFalse:)`).
///
/// The rule is data: noproofd reads `commitment-risk.json` from its data folder when present
/// (else `standard`), in this form:
///
///     {"default_level": "medium", "days": {"low": 90, "medium": 30, "high": 7},
///      "items": {"MZ-DB-001": "high"}, "proofs": {"SRZM": "high", "BDC-ZY-001/HYZK": "high"}}
package struct CheckRiskRule: Codable, Hashable, Sendable {
    package var defaultLevel: CheckRiskLevel
    /// Days to check per level (1-365 each); a missing level takes the standard number.
    package var days: [String: Int]
    /// Item code → level.
    package var items: [String: CheckRiskLevel]
    /// Proof code, or "ITEM/PROOF" → level.
    package var proofs: [String: CheckRiskLevel]

    enum CodingKeys: String, CodingKey {
        case defaultLevel = "default_level", days, items, proofs
    }

    package init(
        defaultLevel: CheckRiskLevel = .medium, days: [String: Int] = CheckRiskRule.standardDays,
        items: [String: CheckRiskLevel] = [:], proofs: [String: CheckRiskLevel] = [:]
    ) {
        self.defaultLevel = defaultLevel
        self.days = days
        self.items = items
        self.proofs = proofs
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultLevel = try container.decodeIfPresent(CheckRiskLevel.self, forKey: .defaultLevel) ?? .medium
        days = try container.decodeIfPresent([String: Int].self, forKey: .days) ?? [:]
        items = try container.decodeIfPresent([String: CheckRiskLevel].self, forKey: .items) ?? [:]
        proofs = try container.decodeIfPresent([String: CheckRiskLevel].self, forKey: .proofs) ?? [:]
    }

    /// Low risk: within 90 days; medium: 30; high: 7.
    package static let standardDays: [String: Int] = ["low": 90, "medium": 30, "high": 7]

    /// The default rule: medium (30 days) unless listed. Income and marital-status declarations
    /// (where a false commitment moves money or property) are high; a tenancy contract for a
    /// water account is low.
    package static let standard = CheckRiskRule(
        defaultLevel: .medium,
        proofs: ["SRZM": .high, "HYZK": .high, "JZZM": .medium, "ZLHT": .low]
    )

    /// The level for `proof` of `item`.
    package func level(item: String, proof: String) -> CheckRiskLevel {
        proofs["\(item)/\(proof)"] ?? items[item] ?? proofs[proof] ?? defaultLevel
    }

    /// The level for `proof` of `item` when the applicant has `earlierFalse` earlier commitments
    /// found false: `high` when there is any, else the entry's level.
    package func level(item: String, proof: String, earlierFalse: Int) -> CheckRiskLevel {
        earlierFalse > 0 ? .high : level(item: item, proof: proof)
    }

    /// Days to check at `level`.
    package func daysToCheck(_ level: CheckRiskLevel) -> Int {
        days[level.rawValue] ?? Self.standardDays[level.rawValue] ?? 30
    }

    /// When a commitment recorded at `recordedAt` at `level` must have been checked.
    package func checkDue(level: CheckRiskLevel, recordedAt: Date) -> Date {
        recordedAt.addingTimeInterval(Double(daysToCheck(level)) * 86_400)
    }

    /// Rejects unknown level names and day counts outside 1-365.
    package func validate() throws(NoProofError) {
        for (name, count) in days {
            guard CheckRiskLevel(rawValue: name) != nil else { throw .invalid("days.\(name)", "levels are low, medium and high") }
            guard (1...365).contains(count) else { throw .invalid("days.\(name)", "days to check must be 1-365, got \(count)") }
        }
    }

    /// Reads and validates a rule file (JSON, see the type's documentation).
    package static func load(_ url: URL) throws(NoProofError) -> CheckRiskRule {
        let rule: CheckRiskRule
        do {
            rule = try JSONDecoder().decode(CheckRiskRule.self, from: Data(contentsOf: url))
        } catch {
            throw .invalid(url.lastPathComponent, "not a valid commitment risk rule: \(error)")
        }
        try rule.validate()
        return rule
    }
}
