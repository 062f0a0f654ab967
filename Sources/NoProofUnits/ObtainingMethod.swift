package import NoProofDomain

/// How a unit obtains a proof without asking the applicant for it (Art. 2, 7), or why it does not
/// need it at all. There is deliberately no "the applicant supplies it" case: a proof the
/// applicant must still bring is only possible as an exclusion with a reason.
package enum ObtainingMethod: Hashable, Sendable {
    /// Data sharing (数据共享): an instant lookup in the licence library.
    case dataSharing
    /// Notification-commitment (告知承诺): the applicant signs a commitment instead.
    case commitment
    /// Department verification (部门核验) by the issuing unit with this credit code.
    case departmentVerification(issuingUnit: UnifiedSocialCreditCode)
    /// Cancelled (取消): no legal basis; never asked for.
    case cancelled
    /// Excluded from the rules (Art. 2) for the given reason.
    case excluded(ExclusionReason)

    /// Method tokens accepted in files and requests.
    package static let tokens = ["data_sharing", "commitment", "department_verification", "cancelled", "excluded"]
    /// Tokens that would make the applicant supply the proof; refused with an explanation.
    package static let applicantSuppliesTokens: Set<String> = ["applicant_supplies", "applicant", "paper", "applicant_provides"]

    /// The method's token.
    package var token: String {
        switch self {
        case .dataSharing: "data_sharing"
        case .commitment: "commitment"
        case .departmentVerification: "department_verification"
        case .cancelled: "cancelled"
        case .excluded: "excluded"
        }
    }

    /// Whether this is a way for the unit itself to obtain or replace the proof (data sharing,
    /// commitment, department verification) — what Art. 5 requires when a proof is added.
    package var isVerificationMethod: Bool {
        switch self {
        case .dataSharing, .commitment, .departmentVerification: true
        case .cancelled, .excluded: false
        }
    }

    /// Chinese name of the method.
    package var nameZh: String {
        switch self {
        case .dataSharing: "数据共享"
        case .commitment: "告知承诺"
        case .departmentVerification: "部门核验"
        case .cancelled: "取消"
        case .excluded: "不适用（排除）"
        }
    }

    /// A short English description including the issuing unit or exclusion reason.
    package var summary: String {
        switch self {
        case .dataSharing: "data sharing"
        case .commitment: "notification-commitment"
        case .departmentVerification(let unit): "department verification by \(unit)"
        case .cancelled: "cancelled (no legal basis)"
        case .excluded(let reason): "excluded — \(reason.summary)"
        }
    }

    /// Builds a method from its exchanged parts.
    /// - Parameters:
    ///   - token: one of `tokens`.
    ///   - issuingUnit: credit code, required for `department_verification`.
    ///   - exclusionGround, exclusionCategory, exclusionNote: required for `excluded`.
    ///   - field: prefix for error fields (for example `items[2].proofs[0]`).
    /// - Throws: `ValidationError` saying which part is missing or wrong; an "applicant supplies"
    ///   token is refused with the alternatives.
    package static func parse(
        token: String, issuingUnit: String?, exclusionGround: String?, exclusionCategory: String?,
        exclusionNote: String?, field: String
    ) throws(ValidationError) -> ObtainingMethod {
        func name(_ part: String) -> String { field.isEmpty ? part : "\(field).\(part)" }
        switch token {
        case "data_sharing": return .dataSharing
        case "commitment": return .commitment
        case "cancelled": return .cancelled
        case "department_verification":
            guard let issuingUnit, !issuingUnit.isEmpty else {
                throw ValidationError(
                    field: name("issuing_unit"),
                    reason: "department verification must name the issuing unit's unified social credit code")
            }
            return .departmentVerification(issuingUnit: try UnifiedSocialCreditCode.parse(issuingUnit, field: name("issuing_unit")))
        case "excluded":
            guard let exclusionGround, !exclusionGround.isEmpty else {
                throw ValidationError(
                    field: name("exclusion"),
                    reason: "an excluded proof needs its Art. 2 ground: high_risk, out_of_city or provincial_decision")
            }
            let ground = try ExclusionGround.parse(exclusionGround, category: exclusionCategory, field: name("exclusion"))
            let reason = ExclusionReason(ground: ground, note: exclusionNote ?? "")
            try reason.validate(field: name("exclusion_note"))
            return .excluded(reason)
        default:
            if applicantSuppliesTokens.contains(token) {
                throw ValidationError(
                    field: name("method"),
                    reason:
                        "the applicant may not be asked to supply a proof (Art. 5); obtain it by data_sharing, department_verification or commitment, cancel it, or mark it excluded with an Art. 2 reason"
                )
            }
            throw ValidationError(field: name("method"), reason: "method must be one of \(tokens.joined(separator: ", ")), got \"\(token)\"")
        }
    }
}
