package import NoProofDomain

/// What the post-check (事中事后核查) of a commitment found.
package enum CheckOutcome: String, Codable, Hashable, Sendable, CaseIterable {
    /// The committed facts are true.
    case confirmed
    /// The commitment was false: flagged for the unit and the task force office.
    case foundFalse = "found_false"

    package static func parse(_ text: String, field: String = "outcome") throws(NoProofError) -> CheckOutcome {
        guard let outcome = CheckOutcome(rawValue: text) else {
            throw .invalid(field, "must be confirmed or found_false, got \"\(text)\"")
        }
        return outcome
    }
}
