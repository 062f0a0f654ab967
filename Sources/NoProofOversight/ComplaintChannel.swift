package import NoProofDomain

/// Where a complaint or report came in (Art. 18).
package enum ComplaintChannel: String, Codable, Hashable, Sendable, CaseIterable {
    /// The government complaint platform.
    case complaintPlatform = "complaint_platform"
    /// The good/bad review system (好差评), a bad review.
    case review
    case letter
    case email
    /// The 12345 government service hotline.
    case hotline12345 = "hotline_12345"

    package static func parse(_ text: String, field: String = "channel") throws(NoProofError) -> ComplaintChannel {
        guard let channel = ComplaintChannel(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return channel
    }
}
