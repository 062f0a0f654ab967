import Foundation
import Testing
@testable import NoProofDomain

@Suite struct CivilDateTests {
    @Test func parsesAndFormats() throws {
        let d = try CivilDate.parse("2024-02-29", field: "issue_date")
        #expect(d == CivilDate(year: 2024, month: 2, day: 29))
        #expect(d.description == "2024-02-29")
        #expect(CivilDate(year: 7, month: 1, day: 5)!.description == "0007-01-05")
    }

    @Test func rejectsMalformedDates() {
        #expect(throws: ValidationError(field: "valid_to", reason: "2023-02-29 is not a real calendar date")) {
            try CivilDate.parse("2023-02-29", field: "valid_to")
        }
        #expect(throws: ValidationError(field: "valid_to", reason: "date must be written YYYY-MM-DD, got \"2023/01/01\"")) {
            try CivilDate.parse("2023/01/01", field: "valid_to")
        }
        #expect(throws: ValidationError(field: "d", reason: "date must be written YYYY-MM-DD with digits, got \"2023-0a-01\"")) {
            try CivilDate.parse("2023-0a-01", field: "d")
        }
        #expect(throws: ValidationError.self) { try CivilDate.parse("2023-1-1", field: "d") }
    }

    @Test func dayArithmetic() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1)!.daysSinceEpoch == 11_017)
        for days in stride(from: -30_000, through: 60_000, by: 37) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 2024, month: 2, day: 29)!.adding(years: 1) == CivilDate(year: 2025, month: 2, day: 28))
        #expect(CivilDate(year: 2025, month: 1, day: 31)!.adding(months: 1) == CivilDate(year: 2025, month: 2, day: 28))
        #expect(CivilDate(year: 2025, month: 12, day: 31)!.adding(days: 1) == CivilDate(year: 2026, month: 1, day: 1))
    }

    @Test func fromInstantUsesChinaStandardTime() {
        // 2025-01-01T16:30:00Z is already 2 January in Beijing.
        let instant = Date(timeIntervalSince1970: 1_735_749_000)
        #expect(CivilDate(instant) == CivilDate(year: 2025, month: 1, day: 2))
        #expect(CivilDate(instant, timeZone: TimeZone(secondsFromGMT: 0)!) == CivilDate(year: 2025, month: 1, day: 1))
    }

    @Test func ordering() {
        #expect(CivilDate(year: 2024, month: 12, day: 31)! < CivilDate(year: 2025, month: 1, day: 1)!)
        #expect(CivilDate(year: 2025, month: 1, day: 2)! > CivilDate(year: 2025, month: 1, day: 1)!)
    }
}
