import Foundation

/// Civil days (YYYY-MM-DD, China Standard Time, as the supervision report counts them) and the
/// months a period spans, for the report's charts.
struct CivilPeriod: Sendable, Equatable {
    var from: String
    var to: String

    /// The most months one page charts (each is one report call).
    static let maxMonths = 24

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }()

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// `from`/`to` as given (either may be nil: the default is the current month and the five
    /// before it, up to today).
    static func parse(from: String?, to: String?, today: Date) throws(Invalid) -> CivilPeriod {
        let now = calendar.dateComponents([.year, .month, .day], from: today)
        let defaultTo = format(now.year!, now.month!, now.day!)
        var start = DateComponents(year: now.year!, month: now.month!, day: 1)
        start = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .month, value: -5, to: calendar.date(from: start)!)!)
        let defaultFrom = format(start.year!, start.month!, 1)
        let period = CivilPeriod(from: from.flatMap { $0.isEmpty ? nil : $0 } ?? defaultFrom, to: to.flatMap { $0.isEmpty ? nil : $0 } ?? defaultTo)
        guard let first = components(period.from) else { throw Invalid(description: "from must be a date YYYY-MM-DD, not '\(period.from)'") }
        guard let last = components(period.to) else { throw Invalid(description: "to must be a date YYYY-MM-DD, not '\(period.to)'") }
        guard period.from <= period.to else { throw Invalid(description: "from (\(period.from)) is after to (\(period.to))") }
        let months = (last.year - first.year) * 12 + (last.month - first.month) + 1
        guard months <= maxMonths else {
            throw Invalid(description: "the period spans \(months) months; at most \(maxMonths) are charted on one page")
        }
        return period
    }

    /// Each month of the period clipped to it: (label YYYY-MM, first day, last day).
    var months: [(label: String, from: String, to: String)] {
        guard let first = Self.components(from), let last = Self.components(to) else { return [] }
        var out: [(label: String, from: String, to: String)] = []
        var (year, month) = (first.year, first.month)
        while (year, month) <= (last.year, last.month) {
            let days = Self.calendar.range(of: .day, in: .month, for: Self.calendar.date(from: DateComponents(year: year, month: month, day: 1))!)!.count
            let start = (year, month) == (first.year, first.month) ? from : Self.format(year, month, 1)
            let end = (year, month) == (last.year, last.month) ? to : Self.format(year, month, days)
            out.append((Self.format(year, month, nil), start, end))
            month += 1
            if month > 12 { (year, month) = (year + 1, 1) }
        }
        return out
    }

    private static func format(_ year: Int, _ month: Int, _ day: Int?) -> String {
        let ym = String(year).leftPadded(to: 4) + "-" + String(month).leftPadded(to: 2)
        return day.map { ym + "-" + String($0).leftPadded(to: 2) } ?? ym
    }

    /// Year, month and day of a valid YYYY-MM-DD, else nil.
    private static func components(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return nil }
        let date = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        guard day <= calendar.range(of: .day, in: .month, for: date)!.count else { return nil }
        return (year, month, day)
    }

    /// Unix milliseconds as "YYYY-MM-DD HH:mm" in China Standard Time ("—" for 0).
    static func time(_ millis: Int64) -> String {
        guard millis != 0 else { return "—" }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(millis) / 1000))
        return format(parts.year!, parts.month!, parts.day!) + " " + String(parts.hour!).leftPadded(to: 2) + ":" + String(parts.minute!).leftPadded(to: 2)
    }
}
