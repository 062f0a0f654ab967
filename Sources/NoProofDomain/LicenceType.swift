/// A kind of licence or proof in the electronic licence library (证照类型): who issues it, who
/// may hold it, which data fields it carries and whether its source database is connected.
package struct LicenceType: Hashable, Sendable, Codable, Identifiable {
    /// Type code, 1-32 characters `0-9A-Z`; the `<type code>` part of licence identifiers.
    package var code: String
    /// Chinese name (结婚证).
    package var nameZh: String
    /// English name (Marriage certificate).
    package var nameEn: String
    /// Name of the issuing (producing) unit.
    package var issuerName: String
    /// Unified social credit code of the issuing unit.
    package var issuerCode: UnifiedSocialCreditCode
    /// Who may hold licences of this type.
    package var holderKinds: [HolderKind]
    /// The data fields, in display order.
    package var fields: [LicenceFieldDescriptor]
    /// Whether the source database is connected to the system (data sharing possible). When
    /// `false`, proofs must be obtained by department verification.
    package var connected: Bool

    /// `code`.
    package var id: String { code }

    /// Creates a licence type.
    package init(
        code: String, nameZh: String, nameEn: String, issuerName: String,
        issuerCode: UnifiedSocialCreditCode, holderKinds: [HolderKind],
        fields: [LicenceFieldDescriptor], connected: Bool
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.issuerName = issuerName
        self.issuerCode = issuerCode
        self.holderKinds = holderKinds
        self.fields = fields
        self.connected = connected
    }

    /// Whether the type declares a field with `key`.
    package func hasField(_ key: String) -> Bool { fields.contains { $0.key == key } }

    /// Whether `holder` may hold this type.
    package func accepts(_ holder: Holder) -> Bool { holderKinds.contains(holder.kind) }

    /// Checks the type's own data: code alphabet and length, non-empty names, at least one holder
    /// kind, unique non-empty field keys.
    /// - Throws: `ValidationError` naming the offending field (`code`, `name_zh`, `fields`, ...).
    package func validate() throws(ValidationError) {
        do {
            try LicenceIdentifier.validatePart(code, name: "type code")
        } catch {
            throw error.renamed(to: "code")
        }
        if nameZh.isEmpty { throw ValidationError(field: "name_zh", reason: "must not be empty") }
        if nameEn.isEmpty { throw ValidationError(field: "name_en", reason: "must not be empty") }
        if issuerName.isEmpty { throw ValidationError(field: "issuer_name", reason: "must not be empty") }
        if holderKinds.isEmpty { throw ValidationError(field: "holder_kinds", reason: "must name at least one holder kind") }
        var seen = Set<String>()
        for field in fields {
            guard !field.key.isEmpty, field.key.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
                throw ValidationError(field: "fields", reason: "field key \"\(field.key)\" must be lowercase letters, digits and _")
            }
            guard seen.insert(field.key).inserted else {
                throw ValidationError(field: "fields", reason: "field key \"\(field.key)\" appears twice")
            }
        }
    }
}
