package import NoProofDomain

/// One proof a service item needs and how the unit obtains it.
package struct ProofRequirement: Hashable, Sendable {
    /// Proof type: a licence type code of the catalogue (`HKB`, `JMSFZ`, ...) or a free proof
    /// code for proofs not in the licence library; 1-32 characters `0-9A-Z`.
    package var proofCode: String
    /// Display name of the proof (optional for catalogue types).
    package var name: String
    /// How the proof is obtained.
    package var method: ObtainingMethod
    /// For data sharing: the licence's data fields the item needs (identity and validity only
    /// unless the list names fields or the full record). Always `.identityOnly` for other methods.
    package var disclosure: FieldDisclosure

    /// Creates a requirement.
    package init(proofCode: String, name: String = "", method: ObtainingMethod, disclosure: FieldDisclosure = .identityOnly) {
        self.proofCode = proofCode
        self.name = name
        self.method = method
        self.disclosure = disclosure
    }

    /// Checks the code syntax and the exclusion reason.
    /// - Parameter field: prefix for error fields (for example `items[0].proofs[1]`).
    /// - Throws: `ValidationError`.
    package func validate(field: String) throws(ValidationError) {
        try ProofRequirement.validateCode(proofCode, field: "\(field).proof")
        if name.count > 100 { throw ValidationError(field: "\(field).name", reason: "proof name must be at most 100 characters") }
        if case .excluded(let reason) = method { try reason.validate(field: "\(field).exclusion_note") }
        if disclosure != .identityOnly, method != .dataSharing {
            throw ValidationError(
                field: "\(field).fields",
                reason: "fields are named only for a proof obtained by data sharing (this one is \(method.token)); remove them")
        }
    }

    /// Checks a proof code: 1-32 characters of `0-9A-Z`.
    /// - Throws: `ValidationError` on `field`.
    package static func validateCode(_ code: String, field: String) throws(ValidationError) {
        let bytes = Array(code.utf8)
        guard (1...32).contains(bytes.count), bytes.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }) else {
            throw ValidationError(field: field, reason: "proof type code must be 1-32 characters of 0-9 and A-Z (like JMSFZ), got \"\(code)\"")
        }
    }

    /// The flat exchange form.
    package var record: ProofRequirementRecord {
        var record = ProofRequirementRecord(proof: proofCode, method: method.token)
        if !name.isEmpty { record.name = name }
        if disclosure != .identityOnly { record.fields = disclosure.keys }
        switch method {
        case .departmentVerification(let unit): record.issuingUnit = unit.value
        case .excluded(let reason):
            record.exclusion = reason.ground.name
            if case .highRisk(let category) = reason.ground { record.exclusionCategory = category.rawValue }
            record.exclusionNote = reason.note
        default: break
        }
        return record
    }

    /// Builds a requirement from its flat exchange form.
    /// - Throws: `ValidationError` with fields prefixed by `field`.
    package init(record: ProofRequirementRecord, field: String) throws(ValidationError) {
        guard let code = record.proof, !code.isEmpty else {
            throw ValidationError(field: "\(field).proof", reason: "each proof needs its type code (a licence type like JMSFZ or a free proof code)")
        }
        guard let token = record.method, !token.isEmpty else {
            throw ValidationError(
                field: "\(field).method",
                reason: "proof \(code) needs its obtaining method: \(ObtainingMethod.tokens.joined(separator: ", "))")
        }
        let method = try ObtainingMethod.parse(
            token: token, issuingUnit: record.issuingUnit, exclusionGround: record.exclusion,
            exclusionCategory: record.exclusionCategory, exclusionNote: record.exclusionNote,
            field: field)
        let disclosure = try FieldDisclosure(keys: record.fields ?? [], field: "\(field).fields")
        self.init(proofCode: code, name: record.name ?? "", method: method, disclosure: disclosure)
        try validate(field: field)
    }
}
