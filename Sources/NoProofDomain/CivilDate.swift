package import Foundation

/// A calendar day (proleptic Gregorian) without time or time zone, written `YYYY-MM-DD`.
///
/// Licence dates (issue date, validity bounds, birth dates) are civil days, not instants, so they
/// are kept free of `Date` and time-zone arithmetic. Conversion from an instant uses China
/// Standard Time (UTC+8) unless told otherwise.
package struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Four-digit year (1...9999).
    package let year: Int
    /// Month 1...12.
    package let month: Int
    /// Day of month 1...28/29/30/31.
    package let day: Int

    /// Creates a date if `year`/`month`/`day` name a real calendar day in years 1...9999.
    package init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates the date that is `daysSinceEpoch` days after 1970-01-01 (negative = before).
    package init(daysSinceEpoch: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// The civil day on which `instant` falls in `timeZone` (default: China Standard Time).
    package init(_ instant: Date, timeZone: TimeZone = CivilDate.chinaStandardTime) {
        let seconds = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        self.init(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
    }

    /// UTC+8, the zone in which Chinese licence dates are written.
    package static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600)!

    /// Today's date in China Standard Time (UTC+8 all year: no time-zone lookup needed, which
    /// kept Foundation's TimeZone off every lookup's path).
    package static func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int(((Date().timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)))
    }

    /// Number of days since 1970-01-01 (Howard Hinnant's days_from_civil).
    package var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative).
    package func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same month and day `years` later; 29 February becomes 28 February in common years.
    package func adding(years: Int) -> CivilDate {
        let y = year + years
        let d = min(day, CivilDate.daysInMonth(year: y, month: month))
        return CivilDate(year: y, month: month, day: d) ?? self
    }

    /// The same day `months` later, clamped to the end of the target month.
    package func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysInMonth(year: y, month: m))) ?? self
    }

    /// Whether `year` is a Gregorian leap year.
    package static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`, or 0 for a month outside 1...12.
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Parses `YYYY-MM-DD` (exactly 10 characters, zero-padded).
    /// - Throws: `ValidationError` naming `field` when the text is malformed or not a real day.
    package static func parse(_ text: String, field: String) throws(ValidationError) -> CivilDate {
        var text = text
        if let date = text.withUTF8({ parsed(utf8: $0) }) { return date }
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            throw ValidationError(field: field, reason: "date must be written YYYY-MM-DD, got \"\(text)\"")
        }
        guard bytes.indices.allSatisfy({ $0 == 4 || $0 == 7 || (bytes[$0] >= 48 && bytes[$0] <= 57) }) else {
            throw ValidationError(field: field, reason: "date must be written YYYY-MM-DD with digits, got \"\(text)\"")
        }
        throw ValidationError(field: field, reason: "\(text) is not a real calendar date")
    }

    /// `parse(_:field:)` over UTF-8 bytes (e.g. a database column), without making a String of
    /// them first; the error names `field` and quotes the bytes as the String version does.
    package static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, field: String) throws(ValidationError) -> CivilDate {
        if let date = parsed(utf8: bytes) { return date }
        return try parse(String(decoding: bytes, as: UTF8.self), field: field)
    }

    /// The day `bytes` write as `YYYY-MM-DD`, or nil when they are malformed or not a real day.
    @inline(__always)
    static func parsed(utf8 bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD`.
    package var description: String {
        var s = ""
        s.reserveCapacity(10)
        CivilDate.appendPadded(year, width: 4, to: &s)
        s.append("-")
        CivilDate.appendPadded(month, width: 2, to: &s)
        s.append("-")
        CivilDate.appendPadded(day, width: 2, to: &s)
        return s
    }

    /// Appends `value` zero-padded to `width` digits.
    package static func appendPadded(_ value: Int, width: Int, to s: inout String) {
        let digits = String(value)
        if digits.count < width { s.append(String(repeating: "0", count: width - digits.count)) }
        s.append(digits)
    }

    package static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CivilDate.parse(text, field: decoder.codingPath.last?.stringValue ?? "date")
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
