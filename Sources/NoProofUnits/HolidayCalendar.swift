import Foundation
package import NoProofDomain

/// Which days are working days (工作日): Monday to Friday, less public holidays, plus adjusted
/// working days (调休上班) that fall on a weekend. Used for the Art. 5 three-working-day reporting
/// window of list changes, items promised in working days, and the office clock of Art. 10.
///
/// A calendar built from published years (`init(years:)`) answers only for those years: a date
/// outside every published year throws `CalendarError` rather than being guessed. A calendar
/// built from bare day sets (`init(holidays:makeUpWorkingDays:)`, for tests) answers for every year.
package struct HolidayCalendar: Hashable, Sendable {
    /// Public holidays (days off that would otherwise be working days; weekend days may be listed too).
    package var holidays: Set<CivilDate>
    /// Weekend days that are working days (调休).
    package var makeUpWorkingDays: Set<CivilDate>
    /// The years published, or `nil` for a calendar that answers for every year.
    package var publishedYears: Set<Int>?
    /// Published years whose data is provisional.
    package var provisionalYears: Set<Int>

    /// Creates a calendar that answers for every year.
    package init(holidays: Set<CivilDate> = [], makeUpWorkingDays: Set<CivilDate> = []) {
        self.holidays = holidays
        self.makeUpWorkingDays = makeUpWorkingDays
        self.publishedYears = nil
        self.provisionalYears = []
    }

    /// The calendar of the published `years` (a later entry for the same year wins).
    package init(years: [CalendarYear]) {
        var byYear: [Int: CalendarYear] = [:]
        for year in years { byYear[year.year] = year }
        holidays = Set(byYear.values.flatMap(\.holidays))
        makeUpWorkingDays = Set(byYear.values.flatMap(\.workingDays))
        publishedYears = Set(byYear.keys)
        provisionalYears = Set(byYear.values.filter(\.provisional).map(\.year))
    }

    /// Weekends only, no holidays, every year (tests).
    package static let weekendsOnly = HolidayCalendar()

    /// The years the demo (and a new data folder) ships: 2025 and 2026 as published, 2027 provisional.
    package static let shippedYears: [CalendarYear] = [.prc2025, .prc2026, .provisional2027]

    /// 2026 only.
    package static let prc2026 = HolidayCalendar(years: [.prc2026])

    /// The default calendar: the shipped years.
    package static let `default` = HolidayCalendar(years: shippedYears)

    /// The union of two calendars (for adding further years).
    package func merging(_ other: HolidayCalendar) -> HolidayCalendar {
        var merged = HolidayCalendar(holidays: holidays.union(other.holidays), makeUpWorkingDays: makeUpWorkingDays.union(other.makeUpWorkingDays))
        if let mine = publishedYears, let theirs = other.publishedYears { merged.publishedYears = mine.union(theirs) }
        merged.provisionalYears = provisionalYears.union(other.provisionalYears)
        return merged
    }

    /// Day of the week, 0 = Sunday ... 6 = Saturday.
    package static func weekday(_ date: CivilDate) -> Int {
        // 1970-01-01 was a Thursday.
        let r = (date.daysSinceEpoch + 4) % 7
        return r < 0 ? r + 7 : r
    }

    /// Whether the calendar answers for `date`'s year.
    package func covers(_ date: CivilDate) -> Bool {
        publishedYears.map { $0.contains(date.year) } ?? true
    }

    /// Throws unless the calendar answers for `date`.
    package func requireCovered(_ date: CivilDate) throws(CalendarError) {
        guard covers(date) else { throw CalendarError(date: date, publishedYears: Array(publishedYears ?? [])) }
    }

    /// Whether `date` is a working day (for a date the calendar covers; see `requireCovered`).
    package func isWorkingDay(_ date: CivilDate) -> Bool {
        if makeUpWorkingDays.contains(date) { return true }
        if holidays.contains(date) { return false }
        let weekday = HolidayCalendar.weekday(date)
        return weekday != 0 && weekday != 6
    }

    /// Whether `date` is a working day.
    /// - Throws: `CalendarError` when no calendar is published for its year.
    package func checkedIsWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        try requireCovered(date)
        return isWorkingDay(date)
    }

    /// Number of working days after `start` up to and including `end` (0 when `end <= start`).
    /// - Throws: `CalendarError` when a day counted lies in a year with no published calendar.
    package func workingDays(after start: CivilDate, through end: CivilDate) throws(CalendarError) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if try checkedIsWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The `n`-th working day after `start` (n >= 1): the last on-time day of an n-working-day window.
    /// - Throws: `CalendarError` when the count runs into a year with no published calendar.
    package func workingDay(_ n: Int, after start: CivilDate) throws(CalendarError) -> CivilDate {
        var day = start
        var remaining = max(1, n)
        while remaining > 0 {
            day = day.adding(days: 1)
            if try checkedIsWorkingDay(day) { remaining -= 1 }
        }
        return day
    }
}
