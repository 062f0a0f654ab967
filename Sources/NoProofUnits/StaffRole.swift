package import NoProofDomain
/// The role of a staff member in the service system (Art. 10).
package enum StaffRole: String, CaseIterable, Hashable, Sendable, Codable {
    /// 督办员 — exactly one per unit; sees overdue requests finished within half an hour.
    case supervisor
    /// 代办员 — at least one per unit; operates the system.
    case agent

    /// Chinese name of the role.
    package var nameZh: String {
        switch self {
        case .supervisor: "督办员"
        case .agent: "代办员"
        }
    }

    /// Parses `supervisor` or `agent`.
    /// - Throws: `ValidationError` naming `field`.
    package static func parse(_ text: String, field: String = "role") throws(ValidationError) -> StaffRole {
        guard let role = StaffRole(rawValue: text) else {
            throw ValidationError(field: field, reason: "role must be supervisor or agent, got \"\(text)\"")
        }
        return role
    }
}
