/// The flat, JSON-friendly form of a `ServiceItem` used in bulk files and in storage.
package struct ServiceItemRecord: Hashable, Sendable, Codable {
    /// Item code.
    package var code: String?
    /// Item name.
    package var name: String?
    /// `immediate` or `commitment`.
    package var kind: String?
    /// Promised working days of a commitment item.
    package var promisedDays: Int?
    /// Promised hours of a commitment item.
    package var promisedHours: Int?
    /// The proofs.
    package var proofs: [ProofRequirementRecord]?

    enum CodingKeys: String, CodingKey {
        case code, name, kind
        case promisedDays = "promised_days"
        case promisedHours = "promised_hours"
        case proofs
    }

    /// Creates a record.
    package init(
        code: String? = nil, name: String? = nil, kind: String? = nil, promisedDays: Int? = nil,
        promisedHours: Int? = nil, proofs: [ProofRequirementRecord]? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.promisedDays = promisedDays
        self.promisedHours = promisedHours
        self.proofs = proofs
    }
}
