package import Foundation
import NoProofDomain

/// Deadline arithmetic in office time: a limit of Art. 10 ("within 30 minutes", "within 24
/// hours") runs only during the office hours of working days. A request filed on Friday at
/// 17:50 with 30 minutes to answer is due on the next working day at 09:00; one filed at 11:50
/// is due at 13:50. Pure: no clock of its own, the instant comes in.
package struct OfficeClock: Hashable, Sendable {
    /// Which days are working days.
    package var calendar: HolidayCalendar
    /// When the clock runs on a working day.
    package var hours: OfficeHours

    package init(calendar: HolidayCalendar, hours: OfficeHours) {
        self.calendar = calendar
        self.hours = hours
    }

    /// The wall clock (every second counts): the behaviour before office hours.
    package static let roundTheClock = OfficeClock(calendar: .weekendsOnly, hours: .roundTheClock)

    /// The instant at which `limit` seconds of office time have run from `start`.
    /// - Throws: `CalendarError` when the count reaches a year with no published calendar.
    package func adding(_ limit: TimeInterval, to start: Date) throws(CalendarError) -> Date {
        if hours.roundTheClock { return start.addingTimeInterval(limit) }
        var remaining = max(0, limit)
        let offset = TimeInterval(hours.secondsFromGMT)
        var day = CivilDate(daysSinceEpoch: Int(((start.timeIntervalSince1970 + offset) / 86_400).rounded(.down)))
        var cursor = start
        // A year has at least one working day per week; 3660 days is ten years of searching.
        for _ in 0..<3660 {
            if try calendar.checkedIsWorkingDay(day) {
                let midnight = TimeInterval(day.daysSinceEpoch) * 86_400 - offset
                for period in hours.periods {
                    let opens = Date(timeIntervalSince1970: midnight + TimeInterval(period.start * 60))
                    let closes = Date(timeIntervalSince1970: midnight + TimeInterval(period.end * 60))
                    guard closes > cursor else { continue }
                    let from = max(cursor, opens)
                    let available = closes.timeIntervalSince(from)
                    if remaining <= available { return from.addingTimeInterval(remaining) }
                    remaining -= available
                    cursor = closes
                }
            }
            day = day.adding(days: 1)
        }
        throw CalendarError(date: day, publishedYears: Array(calendar.publishedYears ?? []))
    }

    /// Office seconds between `start` and `end` (0 when `end <= start`).
    /// - Throws: `CalendarError` for a day in a year with no published calendar.
    package func officeTime(from start: Date, to end: Date) throws(CalendarError) -> TimeInterval {
        guard end > start else { return 0 }
        if hours.roundTheClock { return end.timeIntervalSince(start) }
        let offset = TimeInterval(hours.secondsFromGMT)
        var day = CivilDate(daysSinceEpoch: Int(((start.timeIntervalSince1970 + offset) / 86_400).rounded(.down)))
        var total: TimeInterval = 0
        while TimeInterval(day.daysSinceEpoch) * 86_400 - offset < end.timeIntervalSince1970 {
            if try calendar.checkedIsWorkingDay(day) {
                let midnight = TimeInterval(day.daysSinceEpoch) * 86_400 - offset
                for period in hours.periods {
                    let opens = Date(timeIntervalSince1970: midnight + TimeInterval(period.start * 60))
                    let closes = Date(timeIntervalSince1970: midnight + TimeInterval(period.end * 60))
                    let from = max(start, opens), to = min(end, closes)
                    if to > from { total += to.timeIntervalSince(from) }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }
}
