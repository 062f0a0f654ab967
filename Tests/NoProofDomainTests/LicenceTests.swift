import Foundation
import Testing
@testable import NoProofDomain

@Suite struct LicenceTests {
    static func sample(validTo: CivilDate? = CivilDate(year: 2030, month: 1, day: 1), status: LicenceStatus = .valid) throws -> Licence {
        let type = LicenceTypeCatalogue.type(code: "JHZ")!
        let id = try LicenceIdentifier.make(typeCode: "JHZ", issuer: type.issuerCode, serial: "2020000001", version: 1)
        return Licence(
            id: id, holder: try Holder.parse("37040219850312123X"), holderName: "张伟", issuerName: type.issuerName,
            issueDate: CivilDate(year: 2020, month: 5, day: 20)!, validFrom: CivilDate(year: 2020, month: 5, day: 20)!,
            validTo: validTo, status: status, fields: ["spouse_name": "李娜", "certificate_number": "J370402-2020-000123"])
    }

    @Test func effectiveStatusReportsExpiry() throws {
        let licence = try Self.sample()
        #expect(licence.effectiveStatus(asOf: CivilDate(year: 2030, month: 1, day: 1)!) == .valid)
        #expect(licence.effectiveStatus(asOf: CivilDate(year: 2030, month: 1, day: 2)!) == .expired)
        #expect(try Self.sample(validTo: nil).effectiveStatus(asOf: CivilDate(year: 2999, month: 1, day: 1)!) == .valid)
        #expect(try Self.sample(status: .revoked).effectiveStatus(asOf: CivilDate(year: 2031, month: 1, day: 1)!) == .revoked)
        #expect(try Self.sample(status: .suspended).effectiveStatus(asOf: CivilDate(year: 2021, month: 1, day: 1)!) == .suspended)
    }

    @Test func validation() throws {
        let type = LicenceTypeCatalogue.type(code: "JHZ")!
        var licence = try Self.sample()
        try licence.validate()
        try licence.validate(against: type)
        licence.validTo = CivilDate(year: 2019, month: 1, day: 1)
        #expect(throws: ValidationError(field: "valid_to", reason: "valid_to 2019-01-01 is before valid_from 2020-05-20")) { try licence.validate() }
        licence = try Self.sample()
        licence.holderName = "  "
        #expect(throws: ValidationError(field: "holder_name", reason: "must not be empty")) { try licence.validate() }
        licence = try Self.sample()
        licence.fields["colour"] = "red"
        #expect(throws: ValidationError(field: "field.colour", reason: "not a data field of licence type JHZ")) { try licence.validate(against: type) }
        licence = try Self.sample()
        licence.holder = try Holder.parse("91350100M000100Y43")
        #expect(throws: ValidationError.self) { try licence.validate(against: type) }
    }

    @Test func jsonRoundTripIsDeterministic() throws {
        let licence = try Self.sample()
        let encoder = Licence.makeCanonicalJSONEncoder()
        let first = try encoder.encode(licence)
        #expect(try encoder.encode(try JSONDecoder().decode(Licence.self, from: first)) == first)
        #expect(try JSONDecoder().decode(Licence.self, from: first) == licence)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains(#""fields":{"certificate_number":"J370402-2020-000123","spouse_name":"李娜"}"#))
        #expect(text.contains(#""holder_id":"37040219850312123X""#))
    }

    @Test func canonicalFieldsJSON() throws {
        var licence = try Self.sample()
        #expect(licence.canonicalFieldsJSON == #"{"certificate_number":"J370402-2020-000123","spouse_name":"李娜"}"#)
        licence.fields = ["b": "x\"y\\z\n", "a": "\u{01}"]
        #expect(licence.canonicalFieldsJSON == #"{"a":"\u0001","b":"x\"y\\z\n"}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(licence.canonicalFieldsJSON.utf8)) as? [String: String]
        #expect(decoded == licence.fields)
    }

    @Test func statusParsing() throws {
        #expect(try LicenceStatus.parse("revoked") == .revoked)
        #expect(throws: ValidationError(field: "status", reason: "status must be one of valid, suspended, revoked, expired, got \"Valid\"")) {
            try LicenceStatus.parse("Valid")
        }
    }
}
