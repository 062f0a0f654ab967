package import NoProofDomain

/// Where the supervision report gets the oversight figures — notification-commitments and their
/// post-checks, the voluntary-proof ledger, mismatches and appeals, complaints (Art. 2, 7, 11, 12,
/// 18) — which other parts of the system record. The report asks once per call, for the whole
/// period, and shows these figures as "not recorded" when the server has no source.
package protocol OversightCountsSource: Sendable {
    /// The counts per unit (unified social credit code) for the civil days `from` through
    /// `through` (inclusive, China Standard Time); of `unitCode` only, or of every unit when nil.
    /// Units with nothing recorded may be left out (they count as zero).
    func oversightCounts(from: CivilDate, through: CivilDate, unitCode: String?) async throws -> [String: OversightFigures]
}
