package import NoProofDomain

/// Which of a licence's data fields a service item needs (data minimisation): what a lookup for
/// the item returns and seals. The identity and validity of the record — identifier, type, holder
/// and holder's name, issuer, dates, status and version — are always part of a proof; the type's
/// own data fields (`Licence.fields`: ethnicity, address, ...) only where the list names them.
///
/// In lists (JSON, CSV, RPC) a proof entry's `fields` names the keys; a single `*` asks for the
/// full record; no `fields` means identity and validity only.
package enum FieldDisclosure: Hashable, Sendable {
    /// Identity and validity only: no data fields.
    case identityOnly
    /// These data fields (keys of the licence type's field descriptors), in list order.
    case fields([String])
    /// Every data field the record holds.
    case fullRecord

    /// The token that asks for the full record.
    package static let fullRecordToken = "*"
    /// At most this many named fields.
    package static let maxFields = 32

    /// The list form: `[]`, the keys, or `["*"]`.
    package var keys: [String] {
        switch self {
        case .identityOnly: []
        case .fields(let keys): keys
        case .fullRecord: [Self.fullRecordToken]
        }
    }

    /// From the list form; empty is identity only. Syntax only (see `validate(against:field:)`).
    /// - Throws: `ValidationError` on `field`.
    package init(keys: [String], field: String) throws(ValidationError) {
        if keys.isEmpty {
            self = .identityOnly
            return
        }
        if keys.contains(Self.fullRecordToken) {
            guard keys.count == 1 else {
                throw ValidationError(field: field, reason: "\"*\" (the full record) stands alone: name the fields the item needs, or \"*\" only")
            }
            self = .fullRecord
            return
        }
        if keys.count > Self.maxFields {
            throw ValidationError(field: field, reason: "at most \(Self.maxFields) fields, got \(keys.count)")
        }
        var seen = Set<String>()
        for (index, key) in keys.enumerated() {
            let bytes = Array(key.utf8)
            guard (1...40).contains(bytes.count), bytes.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }) else {
                throw ValidationError(
                    field: "\(field)[\(index)]",
                    reason: "a field key is 1-40 characters of a-z, 0-9 and _ (like birth_date), got \"\(key.prefix(40))\"")
            }
            guard seen.insert(key).inserted else {
                throw ValidationError(field: "\(field)[\(index)]", reason: "field \(key) is named twice")
            }
        }
        self = .fields(keys)
    }

    /// Checks named fields against the licence type's field descriptors.
    /// - Throws: `ValidationError` naming the unknown key and the type's keys.
    package func validate(against type: LicenceType, field: String) throws(ValidationError) {
        guard case .fields(let keys) = self else { return }
        let known = Set(type.fields.map(\.key))
        for (index, key) in keys.enumerated() where !known.contains(key) {
            throw ValidationError(
                field: "\(field)[\(index)]",
                reason:
                    "\(key) is not a field of \(type.code) (\(type.nameEn)); its fields are \(type.fields.map(\.key).joined(separator: ", ")), or \"*\" for the full record"
            )
        }
    }

    /// Whether the data field `key` is disclosed.
    package func discloses(_ key: String) -> Bool {
        switch self {
        case .identityOnly: false
        case .fields(let keys): keys.contains(key)
        case .fullRecord: true
        }
    }

    /// `licence` with only the disclosed data fields, and the keys of the fields withheld (sorted).
    package func apply(to licence: Licence) -> (licence: Licence, withheld: [String]) {
        var minimised = licence
        switch self {
        case .fullRecord:
            return (licence, [])
        case .identityOnly:
            minimised.fields = [:]
            return (minimised, licence.fields.keys.sorted())
        case .fields:
            break
        }
        var withheld: [String] = []
        for key in licence.fields.keys where !discloses(key) {
            minimised.fields[key] = nil
            withheld.append(key)
        }
        return (minimised, withheld.sorted())
    }

    /// `identity and validity only`, `fields gender, birth_date`, `the full record`.
    package var summary: String {
        switch self {
        case .identityOnly: "identity and validity only"
        case .fields(let keys): "fields \(keys.joined(separator: ", "))"
        case .fullRecord: "the full record"
        }
    }
}
