/// The holder of a licence: a natural person identified by resident ID, or a legal person /
/// other organisation identified by unified social credit code.
package enum Holder: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// A natural person.
    case person(ResidentID)
    /// A legal person or other organisation.
    case organization(UnifiedSocialCreditCode)

    /// Parses an 18-character holder number.
    ///
    /// Text of the resident-ID shape (17 digits then a digit or `X`/`x`) is read as a resident ID;
    /// if that fails but the text is a valid credit code (credit codes may be all digits) it is an
    /// organisation, otherwise the resident-ID error is reported. Any other text is read as a
    /// unified social credit code.
    /// - Parameter field: the name reported in errors (default `holder_id`).
    package static func parse(_ text: String, field: String = "holder_id") throws(ValidationError) -> Holder {
        let bytes = Array(text.utf8)
        let looksLikeResidentID =
            bytes.count == 18
            && bytes[0..<17].allSatisfy(ResidentID.isDigit)
            && (ResidentID.isDigit(bytes[17]) || bytes[17] == UInt8(ascii: "X") || bytes[17] == UInt8(ascii: "x"))
        if looksLikeResidentID {
            do {
                return .person(try ResidentID.parse(text, field: field))
            } catch {
                if let code = try? UnifiedSocialCreditCode.parse(text, field: field) { return .organization(code) }
                throw error
            }
        }
        if bytes.count != 18 {
            throw ValidationError(
                field: field,
                reason: "holder must be an 18-character resident ID or unified social credit code, got \(text.count) characters")
        }
        return .organization(try UnifiedSocialCreditCode.parse(text, field: field))
    }

    /// The canonical 18-character number, used as the storage and index key.
    package var key: String {
        switch self {
        case .person(let id): id.value
        case .organization(let code): code.value
        }
    }

    /// The number safe for logs: resident IDs masked, credit codes (public) in full.
    package var masked: String {
        switch self {
        case .person(let id): id.masked
        case .organization(let code): code.masked
        }
    }

    /// The holder kind.
    package var kind: HolderKind {
        switch self {
        case .person: .person
        case .organization: .organization
        }
    }

    package var description: String { key }

    package static func < (lhs: Holder, rhs: Holder) -> Bool { lhs.key < rhs.key }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Holder.parse(text, field: decoder.codingPath.last?.stringValue ?? "holder_id")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
