import NoProofDomain
import Testing
@testable import NoProofUnits

@Suite("Working days")
struct HolidayCalendarTests {
    let calendar = HolidayCalendar.prc2026
    func d(_ s: String) -> CivilDate { Fixtures.date(s) }

    @Test func weekdaysAreComputed() {
        #expect(HolidayCalendar.weekday(d("2026-01-01")) == 4)  // Thursday
        #expect(HolidayCalendar.weekday(d("2026-03-07")) == 6)  // Saturday
        #expect(HolidayCalendar.weekday(d("2026-03-08")) == 0)  // Sunday
    }

    @Test func weekendsAreSkipped() {
        // Thursday 5 March: Fri 6, Mon 9, Tue 10 are the three working days after it.
        #expect(calendar.workingDays(after: d("2026-03-05"), through: d("2026-03-10")) == 3)
        #expect(calendar.workingDays(after: d("2026-03-05"), through: d("2026-03-11")) == 4)
        #expect(calendar.workingDay(3, after: d("2026-03-05")) == d("2026-03-10"))
        #expect(!calendar.isWorkingDay(d("2026-03-07")))
    }

    @Test func holidaysAreSkipped() {
        // Qingming: Sat 4 - Mon 6 April are off.
        #expect(!calendar.isWorkingDay(d("2026-04-06")))
        #expect(calendar.workingDays(after: d("2026-04-02"), through: d("2026-04-08")) == 3)
        #expect(HolidayCalendar.weekendsOnly.workingDays(after: d("2026-04-02"), through: d("2026-04-08")) == 4)
        #expect(calendar.workingDay(3, after: d("2026-04-02")) == d("2026-04-08"))
        // National Day week.
        #expect(calendar.workingDays(after: d("2026-09-30"), through: d("2026-10-08")) == 1)
    }

    @Test func makeUpWorkingDaysCount() {
        #expect(calendar.isWorkingDay(d("2026-05-09")))  // Saturday make-up for Labour Day
        #expect(calendar.isWorkingDay(d("2026-02-14")))
        #expect(calendar.isWorkingDay(d("2026-01-04")))  // Sunday
        #expect(!calendar.isWorkingDay(d("2026-02-16")))
        // Thu 30 April: May 1-5 off, then Wed 6, Thu 7, Fri 8, Sat 9 (make-up).
        #expect(calendar.workingDays(after: d("2026-04-30"), through: d("2026-05-09")) == 4)
        #expect(calendar.workingDay(3, after: d("2026-04-30")) == d("2026-05-08"))
    }

    @Test func calendarsMerge() {
        let extra = HolidayCalendar(holidays: [d("2027-01-01")])
        let merged = calendar.merging(extra)
        #expect(!merged.isWorkingDay(d("2027-01-01")))
        #expect(!merged.isWorkingDay(d("2026-10-01")))
    }
}
