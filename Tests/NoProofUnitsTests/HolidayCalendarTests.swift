import NoProofDomain
import Testing
@testable import NoProofUnits

@Suite("Working days")
struct HolidayCalendarTests {
    let calendar = HolidayCalendar.prc2026
    func d(_ s: String) -> CivilDate { Fixtures.date(s) }

    @Test func weekdaysAreComputed() throws {
        #expect(HolidayCalendar.weekday(d("2026-01-01")) == 4)  // Thursday
        #expect(HolidayCalendar.weekday(d("2026-03-07")) == 6)  // Saturday
        #expect(HolidayCalendar.weekday(d("2026-03-08")) == 0)  // Sunday
    }

    @Test func weekendsAreSkipped() throws {
        // Thursday 5 March: Fri 6, Mon 9, Tue 10 are the three working days after it.
        #expect(try calendar.workingDays(after: d("2026-03-05"), through: d("2026-03-10")) == 3)
        #expect(try calendar.workingDays(after: d("2026-03-05"), through: d("2026-03-11")) == 4)
        #expect(try calendar.workingDay(3, after: d("2026-03-05")) == d("2026-03-10"))
        #expect(!calendar.isWorkingDay(d("2026-03-07")))
    }

    @Test func holidaysAreSkipped() throws {
        // Qingming: Sat 4 - Mon 6 April are off.
        #expect(!calendar.isWorkingDay(d("2026-04-06")))
        #expect(try calendar.workingDays(after: d("2026-04-02"), through: d("2026-04-08")) == 3)
        #expect(try HolidayCalendar.weekendsOnly.workingDays(after: d("2026-04-02"), through: d("2026-04-08")) == 4)
        #expect(try calendar.workingDay(3, after: d("2026-04-02")) == d("2026-04-08"))
        // National Day week.
        #expect(try calendar.workingDays(after: d("2026-09-30"), through: d("2026-10-08")) == 1)
    }

    @Test func makeUpWorkingDaysCount() throws {
        #expect(calendar.isWorkingDay(d("2026-05-09")))  // Saturday make-up for Labour Day
        #expect(calendar.isWorkingDay(d("2026-02-14")))
        #expect(calendar.isWorkingDay(d("2026-01-04")))  // Sunday
        #expect(!calendar.isWorkingDay(d("2026-02-16")))
        // Thu 30 April: May 1-5 off, then Wed 6, Thu 7, Fri 8, Sat 9 (make-up).
        #expect(try calendar.workingDays(after: d("2026-04-30"), through: d("2026-05-09")) == 4)
        #expect(try calendar.workingDay(3, after: d("2026-04-30")) == d("2026-05-08"))
    }

    @Test func calendarsMerge() {
        let extra = HolidayCalendar(holidays: [d("2027-01-01")])
        let merged = calendar.merging(extra)
        #expect(!merged.isWorkingDay(d("2027-01-01")))
        #expect(!merged.isWorkingDay(d("2026-10-01")))
    }

    /// Issue 16: from 1 January 2027 public holidays counted as working days. A calendar of
    /// published years refuses a date outside them instead of guessing.
    @Test func aDateOutsideThePublishedYearsIsRefused() throws {
        #expect(calendar.covers(d("2026-12-31")))
        #expect(!calendar.covers(d("2027-01-01")))
        #expect(throws: CalendarError.self) { try calendar.workingDays(after: d("2026-12-30"), through: d("2027-01-04")) }
        do {
            _ = try calendar.workingDay(3, after: d("2026-12-30"))
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message.contains("no working-day calendar is published for 2027"))
            #expect(error.message.contains("noproof calendar load"))
        }
        // The shipped calendar has 2027 (provisional) and still refuses 2028.
        let shipped = HolidayCalendar.default
        #expect(shipped.provisionalYears == [2027])
        #expect(try !shipped.checkedIsWorkingDay(d("2027-01-01")))
        #expect(try !shipped.checkedIsWorkingDay(d("2027-02-09")))  // Spring Festival, made up for 7 Feb
        #expect(try shipped.checkedIsWorkingDay(d("2027-02-11")))
        #expect(throws: CalendarError.self) { try shipped.checkedIsWorkingDay(d("2028-01-03")) }
        // Bare day sets (tests) answer for every year.
        #expect(try HolidayCalendar.weekendsOnly.checkedIsWorkingDay(d("2040-01-02")))
    }

    @Test func publishedYearsAreChecked() throws {
        try CalendarYear.prc2025.validate()
        try CalendarYear.prc2026.validate()
        #expect(CalendarYear.prc2025.holidays.count == 28 && CalendarYear.prc2025.workingDays.count == 5)
        try CalendarYear.provisional2027.validate()
        #expect(CalendarYear.prc2026.holidays.count == 33 && CalendarYear.prc2026.workingDays.count == 6)
        let weekday = CalendarYear(year: 2027, holidays: [], workingDays: [d("2027-03-03")])
        #expect(throws: ValidationError.self) { try weekday.validate() }
        let otherYear = CalendarYear(year: 2027, holidays: [d("2026-10-01")], workingDays: [])
        #expect(throws: ValidationError.self) { try otherYear.validate() }
        let both = CalendarYear(year: 2027, holidays: [d("2027-03-06")], workingDays: [d("2027-03-06")])
        #expect(throws: ValidationError.self) { try both.validate() }
        // A later publication of a year replaces the earlier one.
        let corrected = CalendarYear(year: 2027, holidays: [d("2027-01-01")], workingDays: [])
        let merged = HolidayCalendar(years: [.provisional2027, corrected])
        #expect(merged.isWorkingDay(d("2027-02-09")))
        #expect(merged.provisionalYears.isEmpty)
    }
}
