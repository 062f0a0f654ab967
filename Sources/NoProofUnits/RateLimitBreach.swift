/// A lookup refused by `RateLimiter`: which limit, the count already reached, and the limit.
package struct RateLimitBreach: Hashable, Sendable, CustomStringConvertible {
    /// The limit that was reached.
    package enum Limit: Hashable, Sendable {
        /// Lookups for one case reference.
        case perCase(caseReference: String)
        /// Lookups by one staff member within a minute.
        case perStaffPerMinute(staffID: String)
        /// Lookups by one staff member within a civil day.
        case perStaffPerDay(staffID: String)
        /// Case references one staff member opened within a civil day.
        case newCasesPerStaffPerDay(staffID: String)
        /// Lookups with one credential within a clock minute.
        case perCredentialPerMinute(credentialID: String)
        /// Lookups with one credential within a civil day.
        case perCredentialPerDay(credentialID: String)
        /// Lookups by the unit within a clock minute.
        case perUnitPerMinute
        /// Lookups by the unit within a civil day.
        case perUnitPerDay
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

    /// Stable token for the breach log: `per_case`, `per_staff_per_minute`, `per_staff_per_day`,
    /// `new_cases_per_staff_per_day`, `per_credential_per_minute`, `per_credential_per_day`,
    /// `per_unit_per_minute` or `per_unit_per_day`.
    package var code: String {
        switch limit {
        case .perCase: "per_case"
        case .perStaffPerMinute: "per_staff_per_minute"
        case .perStaffPerDay: "per_staff_per_day"
        case .newCasesPerStaffPerDay: "new_cases_per_staff_per_day"
        case .perCredentialPerMinute: "per_credential_per_minute"
        case .perCredentialPerDay: "per_credential_per_day"
        case .perUnitPerMinute: "per_unit_per_minute"
        case .perUnitPerDay: "per_unit_per_day"
        }
    }

    /// A message for `RESOURCE_EXHAUSTED`.
    package var message: String {
        switch limit {
        case .perCase(let reference):
            "case \(reference) has already had \(currentCount) lookups, the limit per case is \(maximum); lookups are for handling a case, not for collecting data"
        case .perStaffPerMinute(let staff):
            "staff member \(staff) made \(currentCount) lookups in the last minute, the limit is \(maximum) per minute; wait and try again"
        case .perStaffPerDay(let staff):
            "staff member \(staff) made \(currentCount) lookups today, the limit is \(maximum) a day; it resets at midnight (China Standard Time)"
        case .newCasesPerStaffPerDay(let staff):
            "staff member \(staff) opened \(currentCount) case references today, the limit is \(maximum) new cases a day; cite a case already opened, or ask the task force office if your workload needs more"
        case .perCredentialPerMinute(let credential):
            "credential \(credential) made \(currentCount) lookups this minute, the limit is \(maximum) per minute per credential; wait and try again"
        case .perCredentialPerDay(let credential):
            "credential \(credential) made \(currentCount) lookups today, the limit is \(maximum) a day per credential; it resets at midnight (China Standard Time)"
        case .perUnitPerMinute:
            "the unit made \(currentCount) lookups this minute, the limit is \(maximum) per minute for the whole unit; wait and try again"
        case .perUnitPerDay:
            "the unit made \(currentCount) lookups today, the limit is \(maximum) a day for the whole unit; it resets at midnight (China Standard Time)"
        }
    }

    package var description: String { message }
}
