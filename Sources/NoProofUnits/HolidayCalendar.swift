import Foundation
import NoProofDomain

/// Which days are working days (工作日): Monday to Friday, less public holidays, plus make-up
/// working days (调休上班) that fall on a weekend. Used for the Art. 5 three-working-day reporting
/// window of list changes.
package struct HolidayCalendar: Hashable, Sendable {
    /// Public holidays (days off that would otherwise be working days; weekend days may be listed too).
    package var holidays: Set<CivilDate>
    /// Weekend days that are working days (调休).
    package var makeUpWorkingDays: Set<CivilDate>

    /// Creates a calendar.
    package init(holidays: Set<CivilDate> = [], makeUpWorkingDays: Set<CivilDate> = []) {
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
    }

    /// Weekends only, no holidays.
    package static let weekendsOnly = HolidayCalendar()

    /// The PRC public holidays of 2026 and their make-up working days, as published by the
    /// General Office of the State Council (国办发明电〔2025〕, 4 November 2025).
    package static let prc2026: HolidayCalendar = {
        func d(_ m: Int, _ day: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: day)! }
        func span(_ m: Int, _ from: Int, _ to: Int) -> [CivilDate] { (from...to).map { d(m, $0) } }
        let holidays: [CivilDate] =
            span(1, 1, 3)          // 元旦
            + span(2, 15, 23)      // 春节
            + span(4, 4, 6)        // 清明节
            + span(5, 1, 5)        // 劳动节
            + span(6, 19, 21)      // 端午节
            + span(9, 25, 27)      // 中秋节
            + span(10, 1, 7)       // 国庆节
        let makeUp = [d(1, 4), d(2, 14), d(2, 28), d(5, 9), d(9, 20), d(10, 10)]
        return HolidayCalendar(holidays: Set(holidays), makeUpWorkingDays: Set(makeUp))
    }()

    /// The default calendar: `prc2026`.
    package static let `default` = prc2026

    /// The union of two calendars (for adding further years).
    package func merging(_ other: HolidayCalendar) -> HolidayCalendar {
        HolidayCalendar(holidays: holidays.union(other.holidays), makeUpWorkingDays: makeUpWorkingDays.union(other.makeUpWorkingDays))
    }

    /// Day of the week, 0 = Sunday ... 6 = Saturday.
    package static func weekday(_ date: CivilDate) -> Int {
        // 1970-01-01 was a Thursday.
        let r = (date.daysSinceEpoch + 4) % 7
        return r < 0 ? r + 7 : r
    }

    /// Whether `date` is a working day.
    package func isWorkingDay(_ date: CivilDate) -> Bool {
        if makeUpWorkingDays.contains(date) { return true }
        if holidays.contains(date) { return false }
        let weekday = HolidayCalendar.weekday(date)
        return weekday != 0 && weekday != 6
    }

    /// Number of working days after `start` up to and including `end` (0 when `end <= start`).
    package func workingDays(after start: CivilDate, through end: CivilDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The `n`-th working day after `start` (n >= 1): the last on-time day of an n-working-day window.
    package func workingDay(_ n: Int, after start: CivilDate) -> CivilDate {
        var day = start
        var remaining = max(1, n)
        while remaining > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }
}
