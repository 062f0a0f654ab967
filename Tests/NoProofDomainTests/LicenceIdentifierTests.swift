import Testing
@testable import NoProofDomain

@Suite struct LicenceIdentifierTests {
    let issuer = try! UnifiedSocialCreditCode.parse("91350100M000100Y43", field: "issuer_code")

    @Test func makeComputesCheckAndFormats() throws {
        let id = try LicenceIdentifier.make(typeCode: "HJDJ", issuer: issuer, serial: "SN0001", version: 1)
        // Check cross-verified in Python: mod3736("HJDJ91350100M000100Y43SN0001001") == "2".
        #expect(id.description == "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001.2")
        #expect(id.check == "2")
        #expect(id.version == 1)
    }

    @Test func roundTrips() throws {
        for (type, serial, version) in [("HKB", "1", 1), ("JMSFZ", "20220000000000", 2), ("11100000000000000001", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 999)] {
            let id = try LicenceIdentifier.make(typeCode: type, issuer: issuer, serial: serial, version: version)
            let parsed = try LicenceIdentifier.parse(id.description)
            #expect(parsed == id)
            #expect(parsed.typeCode == type)
            #expect(parsed.issuerCode == issuer)
            #expect(parsed.serial == serial)
            #expect(parsed.version == version)
            #expect(parsed.description == id.description)
        }
    }

    @Test func wrongCheckIsRejectedWithExpectedValue() {
        #expect(throws: ValidationError(field: "licence_id", reason: "check character is 3, expected 2")) {
            try LicenceIdentifier.parse("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001.3")
        }
    }

    @Test func reportsWhichPartIsWrong() {
        let cases: [(String, String)] = [
            (
                "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001",
                "expected 10 dot-separated parts 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>, got 9"
            ),
            ("1.2.156.3005.3.HJDJ.91350100M000100Y43.SN0001.001.2", "must start with the e-licence OID 1.2.156.3005.2, got 1.2.156.3005.3"),
            (
                "1.2.156.3005.2.hjdj.91350100M000100Y43.SN0001.001.2",
                "type code \"hjdj\" may contain only digits and uppercase letters A-Z, found \"h\""
            ),
            ("1.2.156.3005.2..91350100M000100Y43.SN0001.001.2", "type code is empty"),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y44.SN0001.001.2", "issuer code: check character is 4, expected 3"),
            (
                "1.2.156.3005.2.HJDJ.91350100M000100Y43.SN-0001.001.2",
                "serial \"SN-0001\" may contain only digits and uppercase letters A-Z, found \"-\""
            ),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y43.\(String(repeating: "1", count: 33)).001.2", "serial must be at most 32 characters, got 33"),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.1.2", "version must be three digits 001-999, got \"1\""),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.000.2", "version must be three digits 001-999, got \"000\""),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001.22", "check must be one character 0-9 or A-Z, got \"22\""),
            ("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001.a", "check must be one character 0-9 or A-Z, got \"a\""),
        ]
        for (text, reason) in cases {
            #expect(throws: ValidationError(field: "licence_id", reason: reason), "\(text)") { try LicenceIdentifier.parse(text) }
        }
    }

    @Test func customFieldName() {
        #expect(throws: ValidationError(field: "id", reason: "check character is 3, expected 2")) {
            try LicenceIdentifier.parse("1.2.156.3005.2.HJDJ.91350100M000100Y43.SN0001.001.3", field: "id")
        }
    }

    @Test func makeValidatesParts() {
        #expect(throws: ValidationError(field: "licence_id", reason: "version must be 1-999 (written 001-999), got 1000")) {
            try LicenceIdentifier.make(typeCode: "HKB", issuer: issuer, serial: "1", version: 1000)
        }
        #expect(throws: ValidationError(field: "licence_id", reason: "serial is empty")) {
            try LicenceIdentifier.make(typeCode: "HKB", issuer: issuer, serial: "", version: 1)
        }
    }

    @Test func singleCharacterTyposInMiddleFieldsAreCaught() throws {
        let id = try LicenceIdentifier.make(typeCode: "JHZ", issuer: issuer, serial: "2023000042", version: 1)
        let text = Array(id.description)
        let serialStart = id.description.range(of: ".2023000042")!.lowerBound.utf16Offset(in: id.description) + 1
        for i in serialStart..<(serialStart + 10) {
            var typo = text
            typo[i] = typo[i] == "9" ? "8" : "9"
            #expect(throws: ValidationError.self) { try LicenceIdentifier.parse(String(typo)) }
        }
    }

    @Test func codable() throws {
        let id = try LicenceIdentifier.make(typeCode: "HKB", issuer: issuer, serial: "7", version: 3)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(id.description)\"]")
        #expect(try JSONDecoder().decode([LicenceIdentifier].self, from: data) == [id])
    }
}

import Foundation
