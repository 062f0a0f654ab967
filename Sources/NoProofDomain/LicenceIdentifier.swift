/// A national electronic-licence identifier (电子证照标识):
/// `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`.
///
/// - type code: the licence-type code, 1-32 characters `0-9A-Z`;
/// - issuer code: the issuing unit's unified social credit code (validated, check included);
/// - serial: 1-32 characters `0-9A-Z`, unique per type and issuer;
/// - version: three digits `001`...`999`;
/// - check: ISO/IEC 7064 MOD 37,36 over type code + issuer code + serial + version, concatenated
///   without dots.
///
/// The identifier's version is the licence edition chosen by the issuing unit and is part of the
/// identity; amendments recorded by the store keep the identifier and bump `Licence.version`.
package struct LicenceIdentifier: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The fixed OID arc for Chinese electronic licences.
    package static let oidPrefix = "1.2.156.3005.2"
    /// The field name used in validation errors.
    package static let fieldName = "licence_id"
    /// Maximum length of the type code and of the serial.
    package static let maxPartLength = 32

    /// Licence-type code.
    package let typeCode: String
    /// Issuing unit.
    package let issuerCode: UnifiedSocialCreditCode
    /// Serial number within the type and issuer.
    package let serial: String
    /// Edition, 1...999.
    package let version: Int
    /// ISO 7064 MOD 37,36 check character.
    package let check: Character
    /// The dotted form.
    package let description: String

    private init(typeCode: String, issuerCode: UnifiedSocialCreditCode, serial: String, version: Int, check: Character) {
        self.typeCode = typeCode
        self.issuerCode = issuerCode
        self.serial = serial
        self.version = version
        self.check = check
        var s = LicenceIdentifier.oidPrefix
        s.reserveCapacity(40 + typeCode.utf8.count + serial.utf8.count)
        s.append(".")
        s.append(typeCode)
        s.append(".")
        s.append(issuerCode.value)
        s.append(".")
        s.append(serial)
        s.append(".")
        s.append(LicenceIdentifier.versionText(version))
        s.append(".")
        s.append(check)
        self.description = s
    }

    /// Builds an identifier, computing the check character.
    /// - Throws: `ValidationError` (field `licence_id`) when the type code or serial is not 1-32
    ///   characters `0-9A-Z`, or the version is outside 1...999.
    package static func make(
        typeCode: String, issuer: UnifiedSocialCreditCode, serial: String,
        version: Int = 1
    ) throws(ValidationError) -> LicenceIdentifier {
        try validatePart(typeCode, name: "type code")
        try validatePart(serial, name: "serial")
        guard (1...999).contains(version) else {
            throw ValidationError(field: fieldName, reason: "version must be 1-999 (written 001-999), got \(version)")
        }
        let check = ISO7064Mod3736.checkCharacter(for: typeCode + issuer.value + serial + versionText(version))!
        return LicenceIdentifier(typeCode: typeCode, issuerCode: issuer, serial: serial, version: version, check: check)
    }

    /// Parses the dotted form, saying which part is wrong when it fails.
    /// - Parameter field: the name reported in errors (default `licence_id`).
    package static func parse(_ text: String, field: String = fieldName) throws(ValidationError) -> LicenceIdentifier {
        let bytes = Array(text.utf8)
        var dots: [Int] = []
        dots.reserveCapacity(9)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") { dots.append(i) }
        guard dots.count == 9 else {
            throw ValidationError(
                field: field,
                reason: "expected 10 dot-separated parts \(oidPrefix).<type code>.<issuer code>.<serial>.<version>.<check>, got \(dots.count + 1)")
        }
        guard bytes[0..<dots[4]].elementsEqual(oidPrefix.utf8) else {
            throw ValidationError(
                field: field,
                reason: "must start with the e-licence OID \(oidPrefix), got \(String(decoding: bytes[0..<dots[4]], as: UTF8.self))")
        }
        let typeBytes = bytes[(dots[4] + 1)..<dots[5]]
        let issuerBytes = bytes[(dots[5] + 1)..<dots[6]]
        let serialBytes = bytes[(dots[6] + 1)..<dots[7]]
        let versionBytes = bytes[(dots[7] + 1)..<dots[8]]
        let checkBytes = bytes[(dots[8] + 1)...]
        do {
            try validatePart(typeBytes, name: "type code")
        } catch { throw error.renamed(to: field) }
        let issuer: UnifiedSocialCreditCode
        do {
            issuer = try UnifiedSocialCreditCode.parse(String(decoding: issuerBytes, as: UTF8.self), field: field)
        } catch {
            throw ValidationError(field: field, reason: "issuer code: \(error.reason)")
        }
        do {
            try validatePart(serialBytes, name: "serial")
        } catch { throw error.renamed(to: field) }
        guard versionBytes.count == 3, versionBytes.allSatisfy(ResidentID.isDigit),
            case let version = versionBytes.reduce(0, { $0 * 10 + Int($1 - 48) }), version >= 1
        else {
            throw ValidationError(
                field: field,
                reason: "version must be three digits 001-999, got \"\(String(decoding: versionBytes, as: UTF8.self))\"")
        }
        guard checkBytes.count == 1, ISO7064Mod3736.valueTable[Int(checkBytes.first!)] >= 0 else {
            throw ValidationError(
                field: field,
                reason: "check must be one character 0-9 or A-Z, got \"\(String(decoding: checkBytes, as: UTF8.self))\"")
        }
        var p = 36
        for part in [typeBytes, issuerBytes, serialBytes, versionBytes] { p = ISO7064Mod3736.step(p, part) }
        let expected = ISO7064Mod3736.alphabet[((1 - p) % 36 + 36) % 36]
        let given = Character(Unicode.Scalar(checkBytes.first!))
        guard given == expected else {
            throw ValidationError(field: field, reason: "check character is \(given), expected \(expected)")
        }
        return LicenceIdentifier(
            typeCode: String(decoding: typeBytes, as: UTF8.self), issuerCode: issuer,
            serial: String(decoding: serialBytes, as: UTF8.self), version: version,
            check: given, description: text)
    }

    /// Rebuilds an identifier from text the licence store wrote: every identifier is validated by
    /// `parse` or `make` on its way in (requests, imports, the demo data), so a read back from the
    /// store splits the dotted form without re-validating the issuer code or recomputing the check
    /// character — a cache miss decodes every licence of the holder. Text without the
    /// identifier's shape (ten parts, an 18-character issuer code, a three-digit version, one check
    /// character) is parsed in full, and so rejected with `parse`'s error. Never use it on input.
    package static func fromStore(_ text: String) throws(ValidationError) -> LicenceIdentifier {
        var copy = text
        let split: (type: Range<Int>, issuer: Range<Int>, serial: Range<Int>, version: Int, check: UInt8)? = copy.withUTF8 { bytes in
            var dots = 0
            var d4 = 0, d5 = 0, d6 = 0, d7 = 0, d8 = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: ".") {
                switch dots {
                case 4: d4 = index
                case 5: d5 = index
                case 6: d6 = index
                case 7: d7 = index
                case 8: d8 = index
                default: break
                }
                dots += 1
            }
            guard dots == 9, d4 == oidPrefix.utf8.count, d5 > d4 + 1, d6 - d5 == 19, d7 > d6 + 1, d8 - d7 == 4,
                bytes.count - d8 == 2
            else { return nil }
            var version = 0
            for index in (d7 + 1)..<d8 {
                guard ResidentID.isDigit(bytes[index]) else { return nil }
                version = version * 10 + Int(bytes[index] - 48)
            }
            guard version >= 1 else { return nil }
            return ((d4 + 1)..<d5, (d5 + 1)..<d6, (d6 + 1)..<d7, version, bytes[d8 + 1])
        }
        guard let split else { return try parse(text) }
        // The parts straight from the bytes (ASCII: the check above saw only the dots' places, and
        // a stored identifier was validated when written).
        func part(_ range: Range<Int>) -> String {
            copy.withUTF8 { bytes in String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        }
        return LicenceIdentifier(
            typeCode: part(split.type), issuerCode: UnifiedSocialCreditCode(unchecked: part(split.issuer)),
            serial: part(split.serial), version: split.version, check: Character(Unicode.Scalar(split.check)),
            description: text)
    }

    private init(
        typeCode: String, issuerCode: UnifiedSocialCreditCode, serial: String, version: Int, check: Character,
        description: String
    ) {
        self.typeCode = typeCode
        self.issuerCode = issuerCode
        self.serial = serial
        self.version = version
        self.check = check
        self.description = description
    }

    /// Validates a type code or serial given as bytes.
    static func validatePart(_ bytes: ArraySlice<UInt8>, name: String) throws(ValidationError) {
        guard !bytes.isEmpty, bytes.count <= maxPartLength,
            bytes.allSatisfy({ ISO7064Mod3736.valueTable[Int($0)] >= 0 })
        else {
            try validatePart(String(decoding: bytes, as: UTF8.self), name: name)
            return
        }
    }

    /// Validates a type code or serial: 1-32 characters `0-9A-Z`.
    /// - Parameter name: how the part is called in the error reason (`type code`, `serial`).
    /// - Throws: `ValidationError` with field `licence_id`.
    package static func validatePart(_ part: String, name: String) throws(ValidationError) {
        let bytes = part.utf8
        guard !bytes.isEmpty else {
            throw ValidationError(field: fieldName, reason: "\(name) is empty")
        }
        guard bytes.count <= maxPartLength else {
            throw ValidationError(field: fieldName, reason: "\(name) must be at most \(maxPartLength) characters, got \(part.count)")
        }
        for b in bytes where ISO7064Mod3736.valueTable[Int(b)] < 0 {
            throw ValidationError(
                field: fieldName,
                reason: "\(name) \"\(part)\" may contain only digits and uppercase letters A-Z, found \"\(ResidentID.printable(b))\"")
        }
    }

    /// `001`...`999`.
    static func versionText(_ version: Int) -> String {
        var s = ""
        CivilDate.appendPadded(version, width: 3, to: &s)
        return s
    }

    package static func < (lhs: LicenceIdentifier, rhs: LicenceIdentifier) -> Bool { lhs.description < rhs.description }

    package static func == (lhs: LicenceIdentifier, rhs: LicenceIdentifier) -> Bool { lhs.description == rhs.description }

    package func hash(into hasher: inout Hasher) { hasher.combine(description) }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try LicenceIdentifier.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
