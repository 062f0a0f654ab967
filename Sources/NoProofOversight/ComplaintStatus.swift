package import NoProofDomain

/// Where a complaint stands.
package enum ComplaintStatus: String, Codable, Hashable, Sendable, CaseIterable {
    /// Registered by the task force office.
    case registered
    /// Routed to the unit that must answer it.
    case routed
    /// The unit answered.
    case answered
    /// Closed by the task force office, with whether the complaint was substantiated.
    case closed

    package static func parse(_ text: String, field: String = "status") throws(NoProofError) -> ComplaintStatus {
        guard let status = ComplaintStatus(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return status
    }
}
