/// A lookup refused by `RateLimiter`: which limit, the count already reached, and the limit.
package struct RateLimitBreach: Hashable, Sendable, CustomStringConvertible {
    /// The limit that was reached.
    package enum Limit: Hashable, Sendable {
        /// Lookups for one case reference.
        case perCase(caseReference: String)
        /// Lookups by one staff member within a minute.
        case perStaffPerMinute(staffID: String)
    }

    /// The limit reached.
    package var limit: Limit
    /// Lookups already counted against it (the refused one is not counted).
    package var currentCount: Int
    /// The configured maximum.
    package var maximum: Int

    /// Creates a breach.
    package init(limit: Limit, currentCount: Int, maximum: Int) {
        self.limit = limit
        self.currentCount = currentCount
        self.maximum = maximum
    }

    /// Stable token for the breach log: `per_case` or `per_staff_per_minute`.
    package var code: String {
        switch limit {
        case .perCase: "per_case"
        case .perStaffPerMinute: "per_staff_per_minute"
        }
    }

    /// A message for `RESOURCE_EXHAUSTED`.
    package var message: String {
        switch limit {
        case .perCase(let reference):
            "case \(reference) has already had \(currentCount) lookups, the limit per case is \(maximum); lookups are for handling a case, not for collecting data"
        case .perStaffPerMinute(let staff):
            "staff member \(staff) made \(currentCount) lookups in the last minute, the limit is \(maximum) per minute; wait and try again"
        }
    }

    package var description: String { message }
}
