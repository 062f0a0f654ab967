/// Where a mismatch case (Art. 11) stands.
package enum MismatchStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Opened: fetched facts differ from what the applicant declared.
    case open
    /// The unit asked the applicant for supplementary material.
    case awaitingSupplement = "awaiting_supplement"
    /// The applicant's supplementary material is recorded; waiting for the issuing unit.
    case supplementReceived = "supplement_received"
    /// The issuing unit re-verified; its finding prevails.
    case resolved
    /// The applicant appealed (行政复议, administrative review).
    case appealed
    /// The appeal was decided.
    case appealDecided = "appeal_decided"
}
