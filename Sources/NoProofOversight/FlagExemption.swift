package import Foundation
package import NoProofDomain

/// An Art. 17 exemption (免于追责) the task force office recorded against one supervision flag of
/// one unit for one period: who decided it, on which ground and why. The report still raises the
/// flag (the data do not change) and shows it as exempted with this record.
package struct FlagExemption: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var unit: String
    /// The flag code (`repeated_overdue`, `denied_calls`, ...).
    package var flag: String
    /// The period, civil days (China Standard Time), both included.
    package var from: CivilDate
    package var through: CivilDate
    /// The Art. 17 ground: one of `grounds`.
    package var ground: String
    package var reason: String
    /// The task force office's staff member who signed in and recorded it, and their credential.
    package var grantedBy: String
    package var credentialID: String
    package var grantedAt: Date

    /// Art. 17 (1)-(6), in order.
    package static let grounds = [
        "reform_direction",  // (1) in line with the reform direction set by the central, provincial and city authorities
        "no_prohibition_breached",  // (2) no prohibitive or mandatory provision of law was breached
        "lawful_decision",  // (3) decided lawfully through scientific and democratic decision-making
        "harm_remedied",  // (4) losses recovered, ill effects removed or harm prevented on the unit's own initiative
        "issuer_data_false_remedied",  // (5) a lawfully obtained electronic licence or proof was false, and the error was remedied promptly
        "other_lawful_ground",  // (6) other cases where the law exempts
    ]

    /// Whether this exemption covers a report of `from` through `through` (its period lies within the exemption's).
    package func covers(from reportFrom: CivilDate, through reportThrough: CivilDate) -> Bool {
        from <= reportFrom && reportThrough <= through
    }

    package static func make(
        id: String, unit: String, flag: String, from: CivilDate, through: CivilDate, ground: String, reason: String,
        by staff: String, credentialID: String, at now: Date
    ) throws(NoProofError) -> FlagExemption {
        try OversightValidation.unit(unit, "unit_code")
        try OversightValidation.staff(staff)
        guard grounds.contains(ground) else { throw .invalid("ground", "must be an Art. 17 ground: \(grounds.joined(separator: ", ")), got \"\(ground)\"") }
        try OversightValidation.text(reason, "reason", "why the Art. 17 ground applies (the facts, the remedy, the decision's reference)")
        guard from <= through else { throw .invalid("to_date", "\(through) is before from_date \(from)") }
        return FlagExemption(
            id: id, unit: unit, flag: flag, from: from, through: through, ground: ground, reason: reason,
            grantedBy: staff, credentialID: credentialID, grantedAt: now)
    }
}
