/// The status of a licence record.
package enum LicenceStatus: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// In force.
    case valid
    /// Temporarily not in force (暂扣/中止); may be reinstated.
    case suspended
    /// Withdrawn by the issuing unit (吊销/撤销); final.
    case revoked
    /// Past its validity period (or marked expired by the issuing unit).
    case expired

    /// Parses the lowercase name.
    /// - Throws: `ValidationError` naming `field` for any other text.
    package static func parse(_ text: String, field: String = "status") throws(ValidationError) -> LicenceStatus {
        guard let status = LicenceStatus(rawValue: text) else {
            throw ValidationError(
                field: field,
                reason: "status must be one of valid, suspended, revoked, expired, got \"\(text)\"")
        }
        return status
    }

    package var description: String { rawValue }
}
