/// An 18-character unified social credit code of a legal person or other organisation
/// (统一社会信用代码, GB 32100-2015).
///
/// Layout: registration-authority code (1 char), organisation-kind code (1 char), 6-digit
/// administrative region code, 9-character organisation code, check character. Characters come
/// from the 31-symbol alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V). The check
/// value is `31 - (Σ value(cᵢ)·wᵢ mod 31)`, with 31 written as `0`.
package struct UnifiedSocialCreditCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 18-character code (uppercase).
    package let value: String

    /// The code alphabet; a character's value is its index.
    package static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// Weights applied to the first 17 characters.
    package static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// ASCII byte -> alphabet value, or -1 when the byte is not in the alphabet.
    static let valueTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c.asciiValue!)] = Int8(i) }
        return table
    }()

    /// Wraps a string already known to be valid.
    package init(unchecked value: String) { self.value = value }

    /// Parses and validates `text`: length 18, every character in the code alphabet, positions
    /// 3-8 digits (region code), check character correct. Lowercase letters are not accepted
    /// (the standard writes codes in uppercase).
    /// - Parameter field: the name reported in a `ValidationError` (for example `issuer_code`).
    package static func parse(_ text: String, field: String) throws(ValidationError) -> UnifiedSocialCreditCode {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, text.unicodeScalars.count == 18 else {
            if text.count == 18 {
                throw ValidationError(
                    field: field, reason: "unified social credit code must contain only 0-9 and uppercase letters other than I, O, Z, S, V, got \"\(text)\"")
            }
            throw ValidationError(field: field, reason: "unified social credit code must be 18 characters, got \(text.count)")
        }
        for (i, b) in bytes.enumerated() where valueTable[Int(b)] < 0 {
            let what: String
            switch i {
            case 0: what = "registration-authority code (character 1)"
            case 1: what = "organisation-kind code (character 2)"
            case 17: what = "check character (character 18)"
            default: what = "character \(i + 1)"
            }
            throw ValidationError(
                field: field,
                reason: "unified social credit code \(what) \"\(ResidentID.printable(b))\" is not in the code alphabet 0-9A-Y without I, O, S, V")
        }
        for i in 2..<8 where !ResidentID.isDigit(bytes[i]) {
            throw ValidationError(
                field: field,
                reason: "unified social credit code region code (characters 3-8) must be digits, got \"\(String(decoding: bytes[2..<8], as: UTF8.self))\"")
        }
        let expected = checkCharacter(bytes[0..<17])
        let actual = Character(Unicode.Scalar(bytes[17]))
        guard actual == expected else {
            throw ValidationError(field: field, reason: "check character is \(actual), expected \(expected)")
        }
        return UnifiedSocialCreditCode(unchecked: text)
    }

    /// The check character for 17 leading characters, or `nil` when `first17` is not 17
    /// characters of the code alphabet.
    package static func makeCheckCharacter(for first17: String) -> Character? {
        let bytes = Array(first17.utf8)
        guard bytes.count == 17, bytes.allSatisfy({ valueTable[Int($0)] >= 0 }) else { return nil }
        return checkCharacter(bytes[0...])
    }

    /// Builds a code from 17 leading characters by appending the computed check character, then
    /// validates the whole code.
    package static func make(first17: String, field: String = "issuer_code") throws(ValidationError) -> UnifiedSocialCreditCode {
        guard let check = makeCheckCharacter(for: first17) else {
            throw ValidationError(
                field: field,
                reason: "unified social credit code body must be 17 characters of the code alphabet, got \"\(first17)\"")
        }
        return try parse(first17 + String(check), field: field)
    }

    package static func checkCharacter(_ bytes: ArraySlice<UInt8>) -> Character {
        var sum = 0
        for (offset, b) in bytes.enumerated() { sum += Int(valueTable[Int(b)]) * weights[offset] }
        let check = 31 - sum % 31
        return alphabet[check == 31 ? 0 : check]
    }

    /// Registration-authority code (character 1), e.g. `1` = institutional establishment organ,
    /// `9` = market regulation (industry and commerce).
    package var registrationAuthority: Character { value.first! }
    /// Organisation-kind code (character 2).
    package var kind: Character { Array(value)[1] }
    /// 6-digit administrative region code (characters 3-8).
    package var regionCode: String { String(Array(value)[2..<8]) }
    /// Organisation codes are public; the masked form is the code itself.
    package var masked: String { value }

    package var description: String { value }

    package static func < (lhs: UnifiedSocialCreditCode, rhs: UnifiedSocialCreditCode) -> Bool { lhs.value < rhs.value }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try UnifiedSocialCreditCode.parse(text, field: decoder.codingPath.last?.stringValue ?? "credit_code")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
