package import Foundation
package import NoProofDomain
package import NoProofOversight
package import NoProofUnitStore

/// The supervision report's oversight figures read from the oversight records themselves
/// (`OversightStore.counts`: indexed range counts per unit, no scans).
///
/// A report period is civil days in China Standard Time, `from` through `through` inclusive; the
/// store counts instants in [start of `from`, start of the day after `through`). Overdue post-checks
/// are judged as of the end of the period, or now when the period is still running.
package struct OversightStoreFigures: OversightCountsSource {
    private let store: any OversightStore
    private let units: any UnitStore
    private let now: @Sendable () -> Date

    package init(store: any OversightStore, units: any UnitStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.units = units
        self.now = now
    }

    package func oversightCounts(from: CivilDate, through: CivilDate, unitCode: String?) async throws -> [String: OversightFigures] {
        let start = Self.startOfDay(from)
        let end = Self.startOfDay(through.adding(days: 1))
        let asOf = min(end, now())
        let codes: [String]
        if let unitCode {
            codes = [unitCode]
        } else {
            codes = try await units.units().map(\.code.value)
        }
        var figures: [String: OversightFigures] = [:]
        for code in codes {
            let counts = try await store.counts(unit: code, from: start, to: end, asOf: asOf)
            figures[code] = Self.figures(counts)
        }
        return figures
    }

    /// The report's view of one unit's counts.
    package static func figures(_ c: OversightCounts) -> OversightFigures {
        OversightFigures(
            commitmentsRecorded: c.commitmentsRecorded, checksConfirmed: c.checksConfirmed, checksFoundFalse: c.checksFoundFalse,
            checksOverdue: c.checksOverdue, ledgerEntries: c.ledgerEntries, ledgerEntriesForNoProofItems: c.ledgerEntriesNotToBeAskedFor,
            mismatchesOpened: c.mismatchesOpened, mismatchesResolved: c.mismatchesResolved, appeals: c.appealsFiled,
            complaintsByBreachType: Dictionary(c.complaintsByBreach.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +))
    }

    /// 00:00 China Standard Time on `day`.
    static func startOfDay(_ day: CivilDate) -> Date {
        Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 - Double(CivilDate.chinaStandardTime.secondsFromGMT()))
    }
}
