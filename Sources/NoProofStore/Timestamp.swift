import Foundation
import NoProofDomain

/// ISO 8601 UTC timestamps with milliseconds (`2025-06-30T08:15:00.123Z`) for audit columns.
enum Timestamp {
    /// The current time.
    static func now() -> String { format(Date()) }

    /// Formats `date` without Foundation formatters (fast and thread-safe).
    static func format(_ date: Date) -> String {
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
}
