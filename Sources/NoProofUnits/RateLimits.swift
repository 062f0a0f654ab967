/// Limits against bulk harvesting of proofs by one unit (configurable per deployment).
package struct RateLimits: Hashable, Sendable, Codable {
    /// Most lookups allowed for one case reference of one unit within `caseWindowSeconds`.
    package var maxLookupsPerCase: Int
    /// How long a case's lookup count is kept, counted from its first lookup.
    package var caseWindowSeconds: Double
    /// Most lookups one staff member of one unit may make in any 60-second span.
    package var maxLookupsPerStaffPerMinute: Int

    /// Creates limits; defaults are 20 per case (over 24 hours) and 60 per staff member per minute.
    package init(maxLookupsPerCase: Int = 20, caseWindowSeconds: Double = 86_400, maxLookupsPerStaffPerMinute: Int = 60) {
        self.maxLookupsPerCase = maxLookupsPerCase
        self.caseWindowSeconds = caseWindowSeconds
        self.maxLookupsPerStaffPerMinute = maxLookupsPerStaffPerMinute
    }

    /// The default limits.
    package static let standard = RateLimits()
}
