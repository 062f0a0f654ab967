/// Limits against bulk harvesting of proofs by one unit (configurable per deployment).
///
/// Every limit counts admitted data-sharing calls (lookups, licence reads, checks), found or
/// not — a miss costs as much as a hit. They are keyed by what the caller cannot mint: the
/// credential (issued by the task force office), the unit, and the registered staff member (the
/// server checks the staff id against the unit's staff, docs/SECURITY.md); a case reference is
/// the unit's own (counted per unit), so a fresh reference per call resets nothing but the
/// per-case count, and opening new cases is itself limited per staff member per day.
package struct RateLimits: Hashable, Sendable, Codable {
    /// Most lookups allowed for one case reference of one unit within `caseWindowSeconds`.
    package var maxLookupsPerCase: Int
    /// How long a case's lookup count is kept, counted from its first lookup.
    package var caseWindowSeconds: Double
    /// Most lookups one staff member of one unit may make in any 60-second span.
    package var maxLookupsPerStaffPerMinute: Int
    /// Most lookups one staff member of one unit may make in one civil day (China Standard Time).
    package var maxLookupsPerStaffPerDay: Int
    /// Most case references one staff member may open (cite for the first time) in one civil day.
    package var maxNewCasesPerStaffPerDay: Int
    /// Most lookups made with one credential in one clock minute, whatever staff it names.
    package var maxLookupsPerCredentialPerMinute: Int
    /// Most lookups made with one credential in one civil day.
    package var maxLookupsPerCredentialPerDay: Int
    /// Most lookups by one unit (all its credentials and staff) in one clock minute.
    package var maxLookupsPerUnitPerMinute: Int
    /// Most lookups by one unit in one civil day.
    package var maxLookupsPerUnitPerDay: Int

    /// Creates limits. Defaults: 20 per case (over 24 hours); per staff member 60 a minute,
    /// 1,000 a day and 200 new cases a day; per credential 600 a minute and 20,000 a day; per unit
    /// 1,200 a minute and 50,000 a day.
    package init(
        maxLookupsPerCase: Int = 20, caseWindowSeconds: Double = 86_400, maxLookupsPerStaffPerMinute: Int = 60,
        maxLookupsPerStaffPerDay: Int = 1_000, maxNewCasesPerStaffPerDay: Int = 200,
        maxLookupsPerCredentialPerMinute: Int = 600, maxLookupsPerCredentialPerDay: Int = 20_000,
        maxLookupsPerUnitPerMinute: Int = 1_200, maxLookupsPerUnitPerDay: Int = 50_000
    ) {
        self.maxLookupsPerCase = maxLookupsPerCase
        self.caseWindowSeconds = caseWindowSeconds
        self.maxLookupsPerStaffPerMinute = maxLookupsPerStaffPerMinute
        self.maxLookupsPerStaffPerDay = maxLookupsPerStaffPerDay
        self.maxNewCasesPerStaffPerDay = maxNewCasesPerStaffPerDay
        self.maxLookupsPerCredentialPerMinute = maxLookupsPerCredentialPerMinute
        self.maxLookupsPerCredentialPerDay = maxLookupsPerCredentialPerDay
        self.maxLookupsPerUnitPerMinute = maxLookupsPerUnitPerMinute
        self.maxLookupsPerUnitPerDay = maxLookupsPerUnitPerDay
    }

    /// The default limits.
    package static let standard = RateLimits()

    /// The first limit below 1, by its config-file key, or nil when every limit is usable.
    package var firstInvalid: String? {
        let named: [(String, Int)] = [
            ("maxLookupsPerCase", maxLookupsPerCase), ("maxLookupsPerStaffPerMinute", maxLookupsPerStaffPerMinute),
            ("maxLookupsPerStaffPerDay", maxLookupsPerStaffPerDay), ("maxNewCasesPerStaffPerDay", maxNewCasesPerStaffPerDay),
            ("maxLookupsPerCredentialPerMinute", maxLookupsPerCredentialPerMinute),
            ("maxLookupsPerCredentialPerDay", maxLookupsPerCredentialPerDay),
            ("maxLookupsPerUnitPerMinute", maxLookupsPerUnitPerMinute), ("maxLookupsPerUnitPerDay", maxLookupsPerUnitPerDay),
        ]
        return named.first { $0.1 < 1 }?.0
    }
}
