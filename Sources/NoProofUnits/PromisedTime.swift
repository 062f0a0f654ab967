/// The promised completion time of a commitment item (承诺时限).
package enum PromisedTime: Hashable, Sendable, CustomStringConvertible {
    /// A number of working days.
    case workingDays(Int)
    /// A number of hours.
    case hours(Int)

    /// `5 working days` / `48 hours`.
    package var description: String {
        switch self {
        case .workingDays(let days): "\(days) working day\(days == 1 ? "" : "s")"
        case .hours(let hours): "\(hours) hour\(hours == 1 ? "" : "s")"
        }
    }

    /// Whether the amount is in 1...365 days or 1...8760 hours.
    package var isPlausible: Bool {
        switch self {
        case .workingDays(let days): (1...365).contains(days)
        case .hours(let hours): (1...8760).contains(hours)
        }
    }
}
