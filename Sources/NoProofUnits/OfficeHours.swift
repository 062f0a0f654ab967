import Foundation
package import NoProofDomain

/// The office hours of working days during which the Art. 10 clocks run (default 08:30–12:00
/// and 13:30–17:30 China Standard Time). `roundTheClock` counts every second of every day (the
/// plain wall clock; used by tests that are not about office hours).
package struct OfficeHours: Hashable, Sendable, CustomStringConvertible {
    /// One period of a working day, in minutes after midnight (`start < end <= 1440`).
    package struct Period: Hashable, Sendable {
        package var start: Int
        package var end: Int
        package init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
    }

    /// The periods, in order and not overlapping; empty with `roundTheClock`.
    package var periods: [Period]
    /// Whether the clock runs all the time (no working days, no office hours).
    package var roundTheClock: Bool
    /// Offset of the zone the hours are written in, seconds east of UTC (China Standard Time).
    package var secondsFromGMT: Int

    package init(periods: [Period], secondsFromGMT: Int = 8 * 3600) {
        self.periods = periods
        self.roundTheClock = false
        self.secondsFromGMT = secondsFromGMT
    }

    /// 08:30–12:00, 13:30–17:30 China Standard Time.
    package static let standard = OfficeHours(periods: [Period(start: 8 * 60 + 30, end: 12 * 60), Period(start: 13 * 60 + 30, end: 17 * 60 + 30)])

    /// The wall clock: every second counts.
    package static let roundTheClock: OfficeHours = {
        var hours = OfficeHours(periods: [])
        hours.roundTheClock = true
        return hours
    }()

    /// Office seconds in one working day.
    package var secondsPerDay: Int { periods.reduce(0) { $0 + ($1.end - $1.start) * 60 } }

    /// `08:30-12:00,13:30-17:30`, or `always`.
    package var description: String {
        if roundTheClock { return "always" }
        func hm(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
        return periods.map { "\(hm($0.start))-\(hm($0.end))" }.joined(separator: ",")
    }

    /// Parses `08:30-12:00,13:30-17:30` (China Standard Time) or `always`.
    /// - Throws: `ValidationError` for `field` saying what is wrong.
    package static func parse(_ text: String, field: String = "officeHours") throws(ValidationError) -> OfficeHours {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "always" { return .roundTheClock }
        func minutes(_ part: Substring) throws(ValidationError) -> Int {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let h = Int(pieces[0]), let m = Int(pieces[1]), (0...24).contains(h), (0..<60).contains(m),
                h * 60 + m <= 1440
            else {
                throw ValidationError(field: field, reason: "'\(part)' is not a time HH:MM")
            }
            return h * 60 + m
        }
        var periods: [Period] = []
        for piece in trimmed.split(separator: ",") {
            let ends = piece.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard ends.count == 2 else {
                throw ValidationError(field: field, reason: "'\(piece)' is not a period HH:MM-HH:MM")
            }
            let period = Period(start: try minutes(ends[0]), end: try minutes(ends[1]))
            guard period.start < period.end else {
                throw ValidationError(field: field, reason: "period '\(piece)' ends before it starts")
            }
            if let last = periods.last, period.start < last.end {
                throw ValidationError(field: field, reason: "periods must be in order and must not overlap ('\(piece)')")
            }
            periods.append(period)
        }
        guard !periods.isEmpty else {
            throw ValidationError(field: field, reason: "give at least one period, e.g. 08:30-12:00,13:30-17:30 (or 'always')")
        }
        return OfficeHours(periods: periods)
    }
}
