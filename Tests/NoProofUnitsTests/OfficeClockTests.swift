import Foundation
import NoProofDomain
import Testing
@testable import NoProofUnits

/// Office time (Art. 10 limits run only in the office hours of working days), without sockets
/// or sleeping: instants in, instants out.
@Suite("Office clock")
struct OfficeClockTests {
    let clock = OfficeClock(calendar: .default, hours: .standard)
    func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int) -> Date { Fixtures.cst(y, m, d, h, min) }

    /// Issue 16: a request filed on Friday at 17:50 reached second breach at 18:50. In office
    /// time its 30 minutes end on Monday at 09:00 and the supervisor's at 09:30.
    @Test func fridayEveningRunsToMondayMorning() throws {
        let filed = at(2026, 3, 13, 17, 50)  // Friday
        let answerBy = try clock.adding(30 * 60, to: filed)
        #expect(answerBy == at(2026, 3, 16, 9, 0))
        #expect(try clock.adding(30 * 60, to: answerBy) == at(2026, 3, 16, 9, 30))
        #expect(try clock.officeTime(from: filed, to: answerBy) == 30 * 60)
    }

    @Test func theLunchBreakAndTheEndOfTheDayPauseTheClock() throws {
        #expect(try clock.adding(30 * 60, to: at(2026, 3, 10, 11, 50)) == at(2026, 3, 10, 13, 50))
        #expect(try clock.adding(30 * 60, to: at(2026, 3, 10, 17, 0)) == at(2026, 3, 10, 17, 30))
        #expect(try clock.adding(30 * 60, to: at(2026, 3, 10, 7, 0)) == at(2026, 3, 10, 9, 0))
        #expect(try clock.adding(30 * 60, to: at(2026, 3, 10, 12, 40)) == at(2026, 3, 10, 14, 0))
    }

    /// 24 hours of office time are three working days (7.5 h each) and an hour and a half.
    @Test func twentyFourHoursAreCountedInOfficeTime() throws {
        let filed = at(2026, 3, 9, 8, 30)  // Monday
        #expect(try clock.adding(24 * 3600, to: filed) == at(2026, 3, 12, 10, 0))
    }

    @Test func holidaysAndAdjustedWorkingDaysAreFollowed() throws {
        // Wed 30 Sep 2026 17:20: ten minutes that day, then the National Day holidays (1-7 Oct);
        // Thu 8 Oct is a working day.
        #expect(try clock.adding(30 * 60, to: at(2026, 9, 30, 17, 20)) == at(2026, 10, 8, 8, 50))
        // Friday 9 Oct 17:40, then Saturday 10 Oct, an adjusted working day (调休上班).
        #expect(try clock.adding(30 * 60, to: at(2026, 10, 9, 17, 40)) == at(2026, 10, 10, 9, 0))
    }

    @Test func aCountReachingAnUnpublishedYearIsRefused() throws {
        let only2026 = OfficeClock(calendar: .prc2026, hours: .standard)
        #expect(throws: CalendarError.self) { try only2026.adding(30 * 60, to: at(2026, 12, 31, 17, 20)) }
        #expect(try only2026.adding(30 * 60, to: at(2026, 12, 31, 10, 0)) == at(2026, 12, 31, 10, 30))
    }

    @Test func roundTheClockIsTheWallClock() throws {
        let filed = at(2026, 3, 13, 17, 50)
        #expect(try OfficeClock.roundTheClock.adding(30 * 60, to: filed) == filed.addingTimeInterval(30 * 60))
    }

    @Test func officeHoursParse() throws {
        #expect(try OfficeHours.parse("08:30-12:00,13:30-17:30") == .standard)
        #expect(OfficeHours.standard.description == "08:30-12:00,13:30-17:30")
        #expect(OfficeHours.standard.secondsPerDay == 27_000)
        #expect(try OfficeHours.parse("always") == .roundTheClock)
        #expect(throws: ValidationError.self) { try OfficeHours.parse("12:00-08:30") }
        #expect(throws: ValidationError.self) { try OfficeHours.parse("08:30-12:00,11:00-17:30") }
        #expect(throws: ValidationError.self) { try OfficeHours.parse("nine to five") }
    }
}
