package import NoProofDomain

/// The issuing unit's finding after re-verification (Art. 11: its record prevails).
package enum MismatchFinding: String, Codable, Hashable, Sendable, CaseIterable {
    /// The record stands as fetched; the declared values were wrong.
    case recordStands = "record_stands"
    /// The issuing unit corrected its record (to the corrected values given).
    case recordCorrected = "record_corrected"

    package static func parse(_ text: String, field: String = "finding") throws(NoProofError) -> MismatchFinding {
        guard let finding = MismatchFinding(rawValue: text) else {
            throw .invalid(field, "must be record_stands or record_corrected, got \"\(text)\"")
        }
        return finding
    }
}
