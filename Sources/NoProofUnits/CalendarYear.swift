import Foundation
package import NoProofDomain

/// One year's working-day calendar as the task force office publishes it: the public holidays
/// (放假, days off that would otherwise be working days) and the adjusted working days (调休上班,
/// weekend days worked), following the State Council's yearly arrangement. A year is data, not
/// code: it is loaded over RPC (`noproof calendar load`), stored with its version and audited.
package struct CalendarYear: Hashable, Sendable, Codable {
    /// The year (2000...2100).
    package var year: Int
    /// Days off (weekend days may be listed too; they are days off anyway).
    package var holidays: [CivilDate]
    /// Weekend days that are working days.
    package var workingDays: [CivilDate]
    /// Not yet the State Council's published arrangement (for example statutory days only): the
    /// data is used, but every answer that depends on it says so.
    package var provisional: Bool
    /// Where the data comes from (the notice, or why it is provisional).
    package var source: String

    enum CodingKeys: String, CodingKey {
        case year, holidays
        case workingDays = "working_days"
        case provisional, source
    }

    package init(year: Int, holidays: [CivilDate], workingDays: [CivilDate], provisional: Bool = false, source: String = "") {
        self.year = year
        self.holidays = holidays.sorted()
        self.workingDays = workingDays.sorted()
        self.provisional = provisional
        self.source = source
    }

    /// Checks the year: a plausible year, every date in it, no date both a holiday and a working
    /// day, adjusted working days on weekends only, no duplicates.
    /// - Throws: `ValidationError` naming the field.
    package func validate() throws(ValidationError) {
        guard (2000...2100).contains(year) else {
            throw ValidationError(field: "year", reason: "year \(year) is outside 2000...2100")
        }
        for (field, dates) in [("holidays", holidays), ("working_days", workingDays)] {
            var seen = Set<CivilDate>()
            for (index, date) in dates.enumerated() {
                guard date.year == year else {
                    throw ValidationError(field: "\(field)[\(index)]", reason: "\(date) is not in \(year); publish each year separately")
                }
                guard seen.insert(date).inserted else {
                    throw ValidationError(field: "\(field)[\(index)]", reason: "\(date) is listed twice")
                }
            }
        }
        for (index, date) in workingDays.enumerated() {
            let weekday = HolidayCalendar.weekday(date)
            guard weekday == 0 || weekday == 6 else {
                throw ValidationError(
                    field: "working_days[\(index)]", reason: "\(date) is a weekday, a working day anyway; list only weekend days worked (调休上班)")
            }
            if holidays.contains(date) {
                throw ValidationError(field: "working_days[\(index)]", reason: "\(date) is also listed as a holiday; a day is one or the other")
            }
        }
        if source.count > 500 { throw ValidationError(field: "source", reason: "source must be at most 500 characters") }
    }

    private static func days(_ year: Int, _ spans: [(Int, Int, Int)]) -> [CivilDate] {
        spans.flatMap { month, from, to in (from...to).map { CivilDate(year: year, month: month, day: $0)! } }
    }

    /// 2025, as published by the General Office of the State Council (国务院办公厅关于2025年部分
    /// 节假日安排的通知, 国办发明电〔2024〕12号, 12 November 2024): causes of list changes
    /// reported early in 2026 arose in 2025.
    package static let prc2025 = CalendarYear(
        year: 2025,
        holidays: days(2025, [(1, 1, 1), (1, 28, 31), (2, 1, 4), (4, 4, 6), (5, 1, 5), (5, 31, 31), (6, 1, 2), (10, 1, 8)]),
        workingDays: days(2025, [(1, 26, 26), (2, 8, 8), (4, 27, 27), (9, 28, 28), (10, 11, 11)]),
        source: "国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 12 November 2024)")

    /// 2026, as published by the General Office of the State Council (国务院办公厅关于2026年部分
    /// 节假日安排的通知, 4 November 2025).
    package static let prc2026 = CalendarYear(
        year: 2026,
        holidays: days(2026, [(1, 1, 3), (2, 15, 23), (4, 4, 6), (5, 1, 5), (6, 19, 21), (9, 25, 27), (10, 1, 7)]),
        workingDays: days(2026, [(1, 4, 4), (2, 14, 14), (2, 28, 28), (5, 9, 9), (9, 20, 20), (10, 10, 10)]),
        source: "国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025)")

    /// 2027, PROVISIONAL: the State Council's arrangement for 2027 was not available when the
    /// demo data was prepared, so this is the statutory holidays of 《全国年节及纪念日放假办法》
    /// (2024 revision) on their 2027 dates, each statutory day falling on a weekend made up on the
    /// next weekday, and no adjusted working days. Replace it with `noproof calendar load` when
    /// the notice is published.
    package static let provisional2027 = CalendarYear(
        year: 2027,
        holidays: days(
            2027,
            [
                (1, 1, 1),  // 元旦 (Fri)
                (2, 5, 10),  // 春节: 除夕 5 Feb (Fri) to 初三 8 Feb (Mon); 6, 7 made up on 9, 10
                (4, 5, 5),  // 清明节 (Mon)
                (5, 1, 4),  // 劳动节: 1, 2 May (Sat, Sun), made up on 3, 4
                (6, 9, 9),  // 端午节 (Wed)
                (9, 15, 15),  // 中秋节 (Wed)
                (10, 1, 5),
            ]),  // 国庆节: 1-3 Oct (Fri-Sun), 2 and 3 made up on 4, 5
        workingDays: [],
        provisional: true,
        source: "provisional: statutory holidays (全国年节及纪念日放假办法, 2024) on their 2027 dates; the State Council's 2027 arrangement was not available")
}
