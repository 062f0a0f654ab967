package import NoProofDomain

/// How risky it is to accept a commitment instead of the proof; decides how soon it is checked.
package enum CheckRiskLevel: String, Codable, Hashable, Sendable, CaseIterable {
    case low, medium, high

    package static func parse(_ text: String, field: String) throws(NoProofError) -> CheckRiskLevel {
        guard let level = CheckRiskLevel(rawValue: text) else { throw .invalid(field, "must be low, medium or high, got \"\(text)\"") }
        return level
    }
}
