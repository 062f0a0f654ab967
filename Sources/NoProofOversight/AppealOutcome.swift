package import NoProofDomain

/// How the administrative review (行政复议) of a mismatch decision ended.
package enum AppealOutcome: String, Codable, Hashable, Sendable, CaseIterable {
    /// The decision based on the issuing unit's finding was upheld.
    case upheld
    /// The decision was revoked or changed.
    case overturned
    /// The applicant withdrew the appeal.
    case withdrawn

    package static func parse(_ text: String, field: String = "outcome") throws(NoProofError) -> AppealOutcome {
        guard let outcome = AppealOutcome(rawValue: text) else {
            throw .invalid(field, "must be upheld, overturned or withdrawn, got \"\(text)\"")
        }
        return outcome
    }
}
