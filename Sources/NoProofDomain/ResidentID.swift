/// An 18-character citizen identity number of the People's Republic of China (GB 11643-1999).
///
/// Layout: 6-digit administrative region code, 8-digit birth date `YYYYMMDD`, 3-digit sequence
/// code (odd for men, even for women) and a check character (`0`-`9` or `X`) computed as
/// ISO 7064 MOD 11-2: the weighted sum of the first 17 digits modulo 11 indexes `"10X98765432"`.
///
/// Values are always stored normalised (lowercase `x` becomes `X`).
package struct ResidentID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The normalised 18-character number.
    package let value: String

    /// Weights applied to the first 17 digits.
    package static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check characters indexed by the weighted sum modulo 11.
    package static let checkTable: [Character] = Array("10X98765432")
    /// Accepted range of birth years.
    package static let birthYears: ClosedRange<Int> = 1900...2100

    /// Wraps a string already known to be valid (used by generators that compute the check).
    package init(uncheckedNormalised value: String) { self.value = value }

    /// Parses and validates `text`.
    ///
    /// Checks, in order: length 18; the first 17 characters are digits and the last is a digit or
    /// `X`/`x`; the region code does not start with 0; the birth date is a real date in
    /// 1900...2100; the check character matches.
    /// - Parameter field: the name reported in a `ValidationError` (for example `holder_id`).
    package static func parse(_ text: String, field: String) throws(ValidationError) -> ResidentID {
        let bytes = Array(text.utf8)
        guard bytes.count == 18, text.unicodeScalars.count == 18 else {
            if text.count == 18 {
                throw ValidationError(field: field, reason: "resident ID must contain only digits and X, got \"\(text)\"")
            }
            throw ValidationError(field: field, reason: "resident ID must be 18 characters, got \(text.count)")
        }
        for i in 0..<17 where !isDigit(bytes[i]) {
            throw ValidationError(
                field: field,
                reason: "resident ID character \(i + 1) must be a digit, got \"\(printable(bytes[i]))\"")
        }
        var last = bytes[17]
        if last == UInt8(ascii: "x") { last = UInt8(ascii: "X") }
        guard isDigit(last) || last == UInt8(ascii: "X") else {
            throw ValidationError(
                field: field,
                reason: "resident ID check character must be a digit or X, got \"\(printable(bytes[17]))\"")
        }
        guard bytes[0] != UInt8(ascii: "0") else {
            throw ValidationError(field: field, reason: "resident ID region code must start with 1-9, got 0")
        }
        let year = number(bytes, 6..<10), month = number(bytes, 10..<12), day = number(bytes, 12..<14)
        let birth = String(decoding: bytes[6..<14], as: UTF8.self)
        guard birthYears.contains(year) else {
            throw ValidationError(
                field: field,
                reason: "resident ID birth date \(birth) has year \(year), outside \(birthYears.lowerBound)-\(birthYears.upperBound)")
        }
        guard CivilDate(year: year, month: month, day: day) != nil else {
            throw ValidationError(field: field, reason: "resident ID birth date \(birth) is not a real calendar date")
        }
        let expected = checkCharacter(digits: bytes[0..<17])
        guard Character(Unicode.Scalar(last)) == expected else {
            throw ValidationError(
                field: field,
                reason: "check digit is \(Character(Unicode.Scalar(last))), expected \(expected)")
        }
        var normalised = bytes
        normalised[17] = last
        return ResidentID(uncheckedNormalised: String(decoding: normalised, as: UTF8.self))
    }

    /// The GB 11643 check character for 17 leading digits, or `nil` when `first17` is not exactly
    /// 17 ASCII digits.
    package static func makeCheckCharacter(for first17: String) -> Character? {
        let bytes = Array(first17.utf8)
        guard bytes.count == 17, bytes.allSatisfy(isDigit) else { return nil }
        return checkCharacter(digits: bytes[0...])
    }

    /// Builds a resident ID from 17 leading digits by appending the computed check character,
    /// then validates the result (region, birth date).
    package static func make(first17: String, field: String = "holder_id") throws(ValidationError) -> ResidentID {
        guard let check = makeCheckCharacter(for: first17) else {
            throw ValidationError(field: field, reason: "resident ID body must be exactly 17 digits, got \"\(first17)\"")
        }
        return try parse(first17 + String(check), field: field)
    }

    package static func checkCharacter(digits: ArraySlice<UInt8>) -> Character {
        var sum = 0
        for (offset, b) in digits.enumerated() { sum += Int(b - 48) * weights[offset] }
        return checkTable[sum % 11]
    }

    /// The 6-digit administrative region code of the registration place.
    package var regionCode: String { String(value.prefix(6)) }

    /// The birth date encoded in positions 7-14.
    package var birthDate: CivilDate {
        let bytes = Array(value.utf8)
        return CivilDate(
            year: ResidentID.number(bytes, 6..<10),
            month: ResidentID.number(bytes, 10..<12),
            day: ResidentID.number(bytes, 12..<14))!
    }

    /// `true` when the sequence code (position 17) is odd, which denotes a man.
    package var isMale: Bool { (Array(value.utf8)[16] - 48) % 2 == 1 }

    /// The number with the birth date and sequence hidden: first 6 and last 4 characters kept
    /// (`370402********123X`). Use this form in logs and audit trails.
    package var masked: String { String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4)) }

    package var description: String { value }

    package static func < (lhs: ResidentID, rhs: ResidentID) -> Bool { lhs.value < rhs.value }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ResidentID.parse(text, field: decoder.codingPath.last?.stringValue ?? "resident_id")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var v = 0
        for i in range { v = v * 10 + Int(bytes[i] - 48) }
        return v
    }

    /// Renders one byte for an error message (non-printable bytes as `\u{..}`).
    static func printable(_ b: UInt8) -> String {
        (32..<127).contains(b) ? String(Character(Unicode.Scalar(b))) : "\\u{\(String(b, radix: 16))}"
    }
}
