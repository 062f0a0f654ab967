import Testing
@testable import NoProofDomain

@Suite struct ResidentIDTests {
    /// Valid numbers: the GB 11643 textbook example and numbers cross-checked with an independent
    /// Python implementation of the MOD 11-2 check.
    static let valid = ["11010519491231002X", "440524198001010013", "370481200012294561", "37040219850312123X"]

    @Test(arguments: valid)
    func acceptsValidNumbers(_ text: String) throws {
        let id = try ResidentID.parse(text, field: "holder_id")
        #expect(id.value == text)
        #expect(id.description == text)
    }

    @Test func decodesParts() throws {
        let id = try ResidentID.parse("11010519491231002X", field: "holder_id")
        #expect(id.regionCode == "110105")
        #expect(id.birthDate == CivilDate(year: 1949, month: 12, day: 31))
        #expect(id.isMale == false)
        #expect(try ResidentID.parse("440524198001010013", field: "x").isMale)
        #expect(try !ResidentID.parse("370481200012294561", field: "x").isMale)
    }

    @Test func normalisesLowercaseX() throws {
        let id = try ResidentID.parse("11010519491231002x", field: "holder_id")
        #expect(id.value == "11010519491231002X")
        #expect(id == (try ResidentID.parse("11010519491231002X", field: "holder_id")))
    }

    @Test func masksBirthDateAndSequence() throws {
        #expect(try ResidentID.parse("37040219850312123X", field: "f").masked == "370402********123X")
    }

    @Test func wrongCheckDigitNamesExpectedValue() {
        #expect(throws: ValidationError(field: "holder_id", reason: "check digit is 1, expected X")) {
            try ResidentID.parse("110105194912310021", field: "holder_id")
        }
        #expect(throws: ValidationError(field: "applicant", reason: "check digit is X, expected 3")) {
            try ResidentID.parse("44052419800101001X", field: "applicant")
        }
    }

    @Test func everySingleDigitTypoIsRejected() {
        let base = Array("440524198001010013")
        for position in 0..<17 {
            for digit in "0123456789" where digit != base[position] {
                var typo = base
                typo[position] = digit
                #expect(throws: ValidationError.self, "\(String(typo))") { try ResidentID.parse(String(typo), field: "id") }
            }
        }
    }

    @Test func typoInSequenceReportsCheckDigit() throws {
        do {
            _ = try ResidentID.parse("440524198001010023", field: "holder_id")
            Issue.record("typo accepted")
        } catch {
            #expect(error.field == "holder_id")
            #expect(error.reason.hasPrefix("check digit is 3, expected "))
        }
    }

    @Test func everyAdjacentTranspositionIsRejected() {
        let base = Array("37040219850312123X")
        for i in 0..<16 where base[i] != base[i + 1] {
            var swapped = base
            swapped.swapAt(i, i + 1)
            #expect(throws: ValidationError.self, "\(String(swapped))") { try ResidentID.parse(String(swapped), field: "id") }
        }
    }

    @Test func rejectsWrongLength() {
        #expect(throws: ValidationError(field: "holder_id", reason: "resident ID must be 18 characters, got 17")) {
            try ResidentID.parse("11010519491231002", field: "holder_id")
        }
        #expect(throws: ValidationError(field: "holder_id", reason: "resident ID must be 18 characters, got 0")) {
            try ResidentID.parse("", field: "holder_id")
        }
        // 15-digit first-generation numbers are not accepted.
        #expect(throws: ValidationError.self) { try ResidentID.parse("110105491231002", field: "holder_id") }
    }

    @Test func rejectsBadCharacters() {
        #expect(throws: ValidationError(field: "holder_id", reason: "resident ID character 5 must be a digit, got \"A\"")) {
            try ResidentID.parse("1101A519491231002X", field: "holder_id")
        }
        #expect(throws: ValidationError(field: "holder_id", reason: "resident ID check character must be a digit or X, got \"Y\"")) {
            try ResidentID.parse("11010519491231002Y", field: "holder_id")
        }
        #expect(throws: ValidationError.self) { try ResidentID.parse("11010519491231００2X", field: "holder_id") }
        #expect(throws: ValidationError(field: "holder_id", reason: "resident ID region code must start with 1-9, got 0")) {
            try ResidentID.parse("01010519491231002X", field: "holder_id")
        }
    }

    @Test func rejectsImpossibleBirthDates() {
        // Check characters computed so that only the date is wrong.
        for (body, reason) in [
            ("11010519490230002", "resident ID birth date 19490230 is not a real calendar date"),
            ("11010519491301002", "resident ID birth date 19491301 is not a real calendar date"),
            ("11010519000229002", "resident ID birth date 19000229 is not a real calendar date"),
            ("11010518991231002", "resident ID birth date 18991231 has year 1899, outside 1900-2100"),
        ] {
            let text = body + String(ResidentID.makeCheckCharacter(for: body)!)
            #expect(throws: ValidationError(field: "holder_id", reason: reason)) { try ResidentID.parse(text, field: "holder_id") }
        }
        // 29 February of a leap year is fine.
        #expect(throws: Never.self) { try ResidentID.make(first17: "37040220000229123") }
    }

    @Test func makeComputesCheckCharacter() throws {
        #expect(ResidentID.makeCheckCharacter(for: "11010519491231002") == "X")
        #expect(ResidentID.makeCheckCharacter(for: "44052419800101001") == "3")
        #expect(ResidentID.makeCheckCharacter(for: "4405241980010100") == nil)
        #expect(ResidentID.makeCheckCharacter(for: "4405241980010100A") == nil)
        #expect(try ResidentID.make(first17: "37040219850312123").value == "37040219850312123X")
    }

    @Test func codableRoundTripValidates() throws {
        let id = try ResidentID.parse("11010519491231002X", field: "f")
        let data = try JSONEncoder().encode([id])
        #expect(try JSONDecoder().decode([ResidentID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ResidentID].self, from: Data(#"["110105194912310021"]"#.utf8)) }
    }
}

import Foundation
