package import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2025-06-30T08:15:00.123Z`): the stores' time
/// columns (audit records, licence status changes and supersessions) and the times the store
/// protocols return, whatever the backend.
package enum Timestamp {
    /// The current time.
    package static func now() -> String { format(Date()) }

    /// Formats `date` without Foundation formatters (fast and thread-safe).
    package static func format(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int((Double(millis) / 86_400_000).rounded(.down))
        var rest = millis - days * 86_400_000
        let day = CivilDate(daysSinceEpoch: days)
        let hour = rest / 3_600_000; rest %= 3_600_000
        let minute = rest / 60_000; rest %= 60_000
        let second = rest / 1000, ms = rest % 1000
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        return "\(day)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(ms, 3))Z"
    }

    /// Milliseconds since the epoch of a timestamp written by `format` (`2025-06-30T08:15:00.123Z`,
    /// the fraction optional), or nil if it is not one.
    package static func millis(_ text: String) -> Int64? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, text.hasSuffix("Z"), let day = try? CivilDate.parse(String(parts[0]), field: "at") else { return nil }
        let clock = parts[1].dropLast().split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        let secondParts = clock[2].split(separator: ".", maxSplits: 1)
        guard let second = Int(secondParts[0]) else { return nil }
        var ms = 0
        if secondParts.count == 2 {
            let fraction = String(secondParts[1].prefix(3))
            guard let value = Int(fraction) else { return nil }
            ms = value * [100, 10, 1][fraction.count - 1]
        }
        return Int64(day.daysSinceEpoch) * 86_400_000 + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + ms)
    }
}
