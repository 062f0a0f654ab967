package import Foundation

/// One electronic licence (电子证照) in the library, at one version.
///
/// `id` is the national identifier and never changes; `version` counts the record's amendments
/// (1 for the licence as issued, +1 for each amendment). Status changes (suspend, reinstate,
/// revoke) do not create new versions.
package struct Licence: Hashable, Sendable, Codable {
    /// National e-licence identifier.
    package var id: LicenceIdentifier
    /// Licence-type code (equals `id.typeCode`).
    package var typeCode: String
    /// The holder.
    package var holder: Holder
    /// Holder's name (person's name or organisation's registered name).
    package var holderName: String
    /// Name of the issuing unit.
    package var issuerName: String
    /// Issuing unit's credit code (equals `id.issuerCode`).
    package var issuerCode: UnifiedSocialCreditCode
    /// Day of issue.
    package var issueDate: CivilDate
    /// First day of validity.
    package var validFrom: CivilDate
    /// Last day of validity (inclusive); `nil` means valid indefinitely (长期).
    package var validTo: CivilDate?
    /// Recorded status.
    package var status: LicenceStatus
    /// Record version, 1 as issued, incremented by each amendment.
    package var version: Int
    /// Type-specific data fields (keys as in the type's `LicenceFieldDescriptor`s).
    package var fields: [String: String]

    /// Creates a licence; `typeCode` and `issuerCode` are taken from `id`.
    package init(
        id: LicenceIdentifier, holder: Holder, holderName: String, issuerName: String,
        issueDate: CivilDate, validFrom: CivilDate, validTo: CivilDate?,
        status: LicenceStatus = .valid, version: Int = 1, fields: [String: String] = [:]
    ) {
        self.id = id
        self.typeCode = id.typeCode
        self.holder = holder
        self.holderName = holderName
        self.issuerName = issuerName
        self.issuerCode = id.issuerCode
        self.issueDate = issueDate
        self.validFrom = validFrom
        self.validTo = validTo
        self.status = status
        self.version = version
        self.fields = fields
    }

    /// The status as of `day`: a `valid` licence whose `validTo` is before `day` reports
    /// `expired`; a recorded `suspended`, `revoked` or `expired` status is reported as is.
    package func effectiveStatus(asOf day: CivilDate) -> LicenceStatus {
        if status == .valid, let validTo, validTo < day { return .expired }
        return status
    }

    /// Data fields sorted by key — the deterministic order used for encoding and display.
    package var sortedFields: [(key: String, value: String)] {
        fields.sorted { $0.key < $1.key }
    }

    /// Checks internal consistency: type and issuer agree with the identifier, names non-empty,
    /// `validFrom <= validTo`, `version >= 1`, field keys non-empty.
    /// - Throws: `ValidationError` naming the inconsistent field.
    package func validate() throws(ValidationError) {
        guard typeCode == id.typeCode else {
            throw ValidationError(field: "type_code", reason: "type code \(typeCode) differs from the identifier's \(id.typeCode)")
        }
        guard issuerCode == id.issuerCode else {
            throw ValidationError(field: "issuer_code", reason: "issuer code \(issuerCode) differs from the identifier's \(id.issuerCode)")
        }
        guard !holderName.trimmingWhitespace.isEmpty else {
            throw ValidationError(field: "holder_name", reason: "must not be empty")
        }
        guard !issuerName.trimmingWhitespace.isEmpty else {
            throw ValidationError(field: "issuer_name", reason: "must not be empty")
        }
        if let validTo, validTo < validFrom {
            throw ValidationError(field: "valid_to", reason: "valid_to \(validTo) is before valid_from \(validFrom)")
        }
        guard version >= 1 else {
            throw ValidationError(field: "version", reason: "must be at least 1, got \(version)")
        }
        for key in fields.keys where key.isEmpty {
            throw ValidationError(field: "fields", reason: "field keys must not be empty")
        }
    }

    /// Checks the licence against its type: the type codes agree, the holder kind is allowed and
    /// every field key is declared by the type.
    /// - Throws: `ValidationError` naming the field (`type_code`, `holder_id`, `field.<key>`).
    package func validate(against type: LicenceType) throws(ValidationError) {
        guard type.code == typeCode else {
            throw ValidationError(field: "type_code", reason: "licence has type \(typeCode), not \(type.code)")
        }
        guard type.accepts(holder) else {
            let kinds = type.holderKinds.map(\.rawValue).joined(separator: " or ")
            throw ValidationError(
                field: "holder_id",
                reason: "licence type \(type.code) (\(type.nameEn)) is held by \(kinds) holders, not by \(holder.kind.rawValue) holders")
        }
        if fields.keys.contains(where: { !type.hasField($0) }) {
            for key in fields.keys.sorted() where !type.hasField(key) {
                throw ValidationError(field: "field.\(key)", reason: "not a data field of licence type \(type.code)")
            }
        }
    }

    /// The fields as a compact JSON object with keys in sorted order — byte-identical for equal
    /// field sets, so it can be stored and compared directly.
    package var canonicalFieldsJSON: String { CanonicalJSON.object(fields) }

    private enum CodingKeys: String, CodingKey {
        case id, typeCode = "type_code", holder = "holder_id", holderName = "holder_name"
        case issuerName = "issuer_name", issuerCode = "issuer_code", issueDate = "issue_date"
        case validFrom = "valid_from", validTo = "valid_to", status, version, fields
    }

    private struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(LicenceIdentifier.self, forKey: .id)
        self.init(
            id: id,
            holder: try c.decode(Holder.self, forKey: .holder),
            holderName: try c.decode(String.self, forKey: .holderName),
            issuerName: try c.decode(String.self, forKey: .issuerName),
            issueDate: try c.decode(CivilDate.self, forKey: .issueDate),
            validFrom: try c.decode(CivilDate.self, forKey: .validFrom),
            validTo: try c.decodeIfPresent(CivilDate.self, forKey: .validTo),
            status: try c.decode(LicenceStatus.self, forKey: .status),
            version: try c.decode(Int.self, forKey: .version),
            fields: try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:])
        if let typeCode = try c.decodeIfPresent(String.self, forKey: .typeCode), typeCode != id.typeCode {
            throw DecodingError.dataCorruptedError(
                forKey: .typeCode, in: c, debugDescription: "type_code \(typeCode) differs from the identifier's \(id.typeCode)")
        }
        if let issuer = try c.decodeIfPresent(UnifiedSocialCreditCode.self, forKey: .issuerCode), issuer != id.issuerCode {
            throw DecodingError.dataCorruptedError(
                forKey: .issuerCode, in: c, debugDescription: "issuer_code \(issuer) differs from the identifier's \(id.issuerCode)")
        }
    }

    /// A JSON encoder that writes licences byte-identically for equal values: keys sorted
    /// (including the data fields), slashes unescaped.
    package static func makeCanonicalJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes with snake-case keys (`holder_id`, `valid_to`, ...); `fields` entries are written in
    /// sorted key order. Use `makeCanonicalJSONEncoder()` (sorted keys) for byte-stable JSON.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(typeCode, forKey: .typeCode)
        try c.encode(holder, forKey: .holder)
        try c.encode(holderName, forKey: .holderName)
        try c.encode(issuerName, forKey: .issuerName)
        try c.encode(issuerCode, forKey: .issuerCode)
        try c.encode(issueDate, forKey: .issueDate)
        try c.encode(validFrom, forKey: .validFrom)
        try c.encodeIfPresent(validTo, forKey: .validTo)
        try c.encode(status, forKey: .status)
        try c.encode(version, forKey: .version)
        var fc = c.nestedContainer(keyedBy: FieldKey.self, forKey: .fields)
        for (key, value) in sortedFields { try fc.encode(value, forKey: FieldKey(stringValue: key)) }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    package var trimmingWhitespace: String {
        // Fast path: empty, or first and last bytes are visible ASCII.
        let utf8 = self.utf8
        guard let head = utf8.first, let tail = utf8.last else { return self }
        if head > 0x20, head < 0x80, tail > 0x20, tail < 0x80 { return self }
        let scalars = unicodeScalars
        if !scalars.first!.properties.isWhitespace, !scalars.last!.properties.isWhitespace { return self }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
