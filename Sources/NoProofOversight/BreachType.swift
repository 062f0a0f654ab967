package import NoProofDomain

/// The breach a complaint alleges: the violations of Art. 16 the system can help detect.
package enum BreachType: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// (5) refused to help verify or to send a proof.
    case refusedToVerify = "refused_to_verify"
    /// (6) still demanded a proof for a published no-proof item.
    case demandedNoProofItem = "demanded_no_proof_item"
    /// (7) did not use the system as required.
    case didNotUseSystem = "did_not_use_system"
    /// (8) false content in an electronic proof.
    case falseProofContent = "false_proof_content"
    /// (9) used seals or proofs for other purposes.
    case sealMisuse = "seal_misuse"
    /// (2) created a proof requirement with no legal basis.
    case noLegalBasis = "no_legal_basis"
    /// (3)/(4) missing or stale item list.
    case missingOrStaleList = "missing_or_stale_list"
    case other

    package static func parse(_ text: String, field: String = "breach_type") throws(NoProofError) -> BreachType {
        guard let type = BreachType(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return type
    }

    package static func < (a: BreachType, b: BreachType) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
