package import NoProofDomain

/// The thresholds of the report's flag rules, per flag code, and the two periods the list rules
/// use. Defaults are `SupervisionThresholds.defaults`; noproofd's config key `flagThresholds`
/// (an object of flag code to count) replaces any of them, `staleListDays` and
/// `systemUnusedMinimumDays` the periods (README, "noproofd config").
package struct SupervisionThresholds: Hashable, Sendable {
    /// The default threshold of every flag code (a flag is raised when its figure reaches it).
    package static let defaults: [String: UInt64] = [
        "no_item_list": 1,
        "stale_item_list": 1,
        "system_not_used": 1,
        "repeated_overdue": 2,
        "second_breach": 1,
        "late_returns": 1,
        "late_list_change": 1,
        "denied_calls": 5,
        "rate_limited": 1,
        "harvesting_suspected": 1,
        "demanded_no_proof_items": 1,
        "commitments_found_false": 1,
        "commitment_checks_overdue": 1,
    ]

    private var values: [String: UInt64]
    /// A declared change whose cause arose more than this many days before the period's end and
    /// that is still not in the list in force makes the list stale (Art. 16 (4)).
    package var staleListDays: Int
    /// A unit with items in force but no lookups and no verification requests is flagged as not
    /// using the system (Art. 16 (7)) only over a period of at least this many days.
    package var systemUnusedMinimumDays: Int

    package static let standard = SupervisionThresholds()

    private init() {
        values = Self.defaults
        staleListDays = 30
        systemUnusedMinimumDays = 7
    }

    /// The defaults with `overrides` (flag code → threshold) applied.
    /// - Throws: `ValidationError` naming an unknown flag code, a threshold of 0, or a period below 1 day.
    package init(overrides: [String: UInt64], staleListDays: Int? = nil, systemUnusedMinimumDays: Int? = nil) throws(ValidationError) {
        self.init()
        for (code, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard Self.defaults[code] != nil else {
                throw ValidationError(
                    field: "flagThresholds.\(code)",
                    reason: "not a flag code; use one of \(Self.defaults.keys.sorted().joined(separator: ", "))")
            }
            guard value >= 1 else { throw ValidationError(field: "flagThresholds.\(code)", reason: "a threshold must be at least 1") }
            values[code] = value
        }
        if let staleListDays {
            guard staleListDays >= 1 else { throw ValidationError(field: "staleListDays", reason: "must be at least 1 day") }
            self.staleListDays = staleListDays
        }
        if let systemUnusedMinimumDays {
            guard systemUnusedMinimumDays >= 1 else { throw ValidationError(field: "systemUnusedMinimumDays", reason: "must be at least 1 day") }
            self.systemUnusedMinimumDays = systemUnusedMinimumDays
        }
    }

    /// The threshold of `code` (1 for a code without one).
    package func threshold(_ code: String) -> UInt64 { values[code] ?? 1 }
}
