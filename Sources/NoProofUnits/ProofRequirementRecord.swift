/// The flat, JSON-friendly form of a `ProofRequirement` used in bulk files and in storage.
/// Every field is optional so that a malformed entry can be reported field by field.
package struct ProofRequirementRecord: Hashable, Sendable, Codable {
    /// Proof type code.
    package var proof: String?
    /// Display name.
    package var name: String?
    /// Method token (`data_sharing`, `commitment`, `department_verification`, `cancelled`, `excluded`).
    package var method: String?
    /// Issuing unit credit code for department verification.
    package var issuingUnit: String?
    /// Exclusion ground (`high_risk`, `out_of_city`, `provincial_decision`).
    package var exclusion: String?
    /// High-risk category for `high_risk`.
    package var exclusionCategory: String?
    /// Written exclusion reason.
    package var exclusionNote: String?
    /// Data sharing: the data fields the item needs (`["*"]` the full record; absent: identity only).
    package var fields: [String]?

    enum CodingKeys: String, CodingKey {
        case proof, name, method
        case issuingUnit = "issuing_unit"
        case exclusion
        case exclusionCategory = "exclusion_category"
        case exclusionNote = "exclusion_note"
        case fields
    }

    /// Creates a record.
    package init(
        proof: String? = nil, name: String? = nil, method: String? = nil, issuingUnit: String? = nil,
        exclusion: String? = nil, exclusionCategory: String? = nil, exclusionNote: String? = nil, fields: [String]? = nil
    ) {
        self.proof = proof
        self.name = name
        self.method = method
        self.issuingUnit = issuingUnit
        self.exclusion = exclusion
        self.exclusionCategory = exclusionCategory
        self.exclusionNote = exclusionNote
        self.fields = fields
    }
}
