package import NoProofDomain
/// The grounds on which Art. 2 excludes a proof from the no-proof rules.
package enum ExclusionGround: Hashable, Sendable {
    /// A high-risk matter of the given category.
    case highRisk(HighRiskCategory)
    /// The proof must come from an institution outside the city and cannot be verified online.
    case outOfCity
    /// The item is first-reviewed by the city but decided at provincial level.
    case provincialDecision

    /// `high_risk`, `out_of_city` or `provincial_decision`.
    package var name: String {
        switch self {
        case .highRisk: "high_risk"
        case .outOfCity: "out_of_city"
        case .provincialDecision: "provincial_decision"
        }
    }

    /// A short English description.
    package var summary: String {
        switch self {
        case .highRisk(let category): "high-risk matter (\(category.rawValue), \(category.nameZh))"
        case .outOfCity: "proof from outside the city that cannot be verified online"
        case .provincialDecision: "item decided at provincial level"
        }
    }

    /// Parses a ground and, for `high_risk`, its category.
    /// - Throws: `ValidationError` on `field` (or `<field>_category`) saying what to write.
    package static func parse(_ text: String, category: String?, field: String) throws(ValidationError) -> ExclusionGround {
        switch text {
        case "high_risk":
            guard let category, !category.isEmpty else {
                throw ValidationError(
                    field: field + "_category",
                    reason: "a high-risk exclusion needs its category: \(HighRiskCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .highRisk(try HighRiskCategory.parse(category, field: field + "_category"))
        case "out_of_city": return .outOfCity
        case "provincial_decision": return .provincialDecision
        default:
            throw ValidationError(
                field: field,
                reason: "exclusion ground must be high_risk, out_of_city or provincial_decision, got \"\(text)\"")
        }
    }
}
