import Foundation

/// What one unit's oversight records show for a period `[from, to)` — the figures the
/// supervision report takes from `OversightStore.counts(unit:from:to:asOf:)`.
///
/// - `commitmentsRecorded`: commitments the unit recorded in the period;
/// - `checksConfirmed` / `checksFoundFalse`: post-checks recorded in the period, by outcome;
/// - `checksOverdue`: commitments whose check fell due in the period (before `asOf`) and was
///   not recorded by its due date (still unchecked at `asOf`, or checked late);
/// - `ledgerEntries`: voluntary proofs the unit recorded in the period, and
///   `ledgerEntriesNotToBeAskedFor` of them for proofs its list says not to ask for;
/// - `mismatchesOpened` / `mismatchesResolved`: cases the unit opened / whose issuing-unit
///   finding was recorded in the period (cases of the unit as opener);
/// - `appealsFiled` / `appealsDecided`: administrative reviews of the unit's cases recorded / decided in the period;
/// - `complaintsByBreach`: complaints about the unit registered in the period, by breach type
///   (types with none are absent).
package struct OversightCounts: Codable, Hashable, Sendable {
    package var commitmentsRecorded = 0
    package var checksConfirmed = 0
    package var checksFoundFalse = 0
    package var checksOverdue = 0
    package var ledgerEntries = 0
    package var ledgerEntriesNotToBeAskedFor = 0
    package var mismatchesOpened = 0
    package var mismatchesResolved = 0
    package var appealsFiled = 0
    package var appealsDecided = 0
    package var complaintsByBreach: [BreachType: Int] = [:]

    package init() {}

    /// All complaints about the unit in the period.
    package var complaints: Int { complaintsByBreach.values.reduce(0, +) }
}
