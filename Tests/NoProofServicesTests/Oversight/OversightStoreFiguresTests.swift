import Foundation
import NoProofDomain
import NoProofOversight
import NoProofOversightStore
import NoProofTestSupport
import NoProofUnits
import NoProofUnitStore
import Testing
@testable import NoProofServices

/// The supervision report's oversight figures read from a real oversight store: civil days in
/// China Standard Time, one unit or every registered unit, the fields mapped one to one.
@Suite("Oversight figures for the supervision report (OversightStoreFigures)")
struct OversightStoreFiguresTests {
    static let civil = "11370400004315119G"
    static let water = "91370400MA3C7WX81E"
    static let holder = "370404199306107807"

    /// An instant given in China Standard Time.
    static func cst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        let date = CivilDate(year: year, month: month, day: day)!
        return Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 + Double(hour * 3600 + minute * 60) - 8 * 3600)
    }

    @Test func countsCivilDaysInChinaStandardTimeForOneUnitOrAll() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-figures")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteOversightStore(directory: directory)
        let units = try SQLiteUnitStore(directory: directory)
        defer {
            try? store.close()
            try? units.close()
        }
        _ = try await UnitDemoSeeding.seed(into: units)

        func ledger(_ id: String, unit: String = Self.civil, listed: ObtainingMethod?, at: Date) async throws {
            _ = try await store.insertLedgerEntry(
                try LedgerEntry.make(
                    id: id, unit: unit, unitName: "", holderID: Self.holder, holderName: "", itemCode: "MZ-HY-001", caseReference: id,
                    proofType: "HKB", proofName: "", listed: listed, note: "", by: "agent-0001", at: at))
        }
        // 1 November CST runs from 31 October 16:00 UTC to 1 November 16:00 UTC.
        try await ledger("L-before", listed: .dataSharing, at: Self.cst(2026, 10, 31, 23, 59))  // the day before
        try await ledger("L-first", listed: .dataSharing, at: Self.cst(2026, 11, 1, 0, 1))  // not to be asked for
        try await ledger("L-late", listed: nil, at: Self.cst(2026, 11, 1, 23, 59))  // not listed: the list says nothing about it
        try await ledger("L-next", listed: .dataSharing, at: Self.cst(2026, 11, 2, 0, 0))  // the day after
        try await ledger("L-water", unit: Self.water, listed: .dataSharing, at: Self.cst(2026, 11, 1, 12))

        let figures = OversightStoreFigures(store: store, units: units, now: { Self.cst(2026, 11, 30, 12) })
        let day = CivilDate(year: 2026, month: 11, day: 1)!
        let one = try await figures.oversightCounts(from: day, through: day, unitCode: Self.civil)
        #expect(one.keys.sorted() == [Self.civil])
        #expect(one[Self.civil]?.ledgerEntries == 2)
        #expect(one[Self.civil]?.ledgerEntriesForNoProofItems == 1)

        let all = try await figures.oversightCounts(from: day, through: day, unitCode: nil)
        #expect(all.count == (try await units.units()).count, "every registered unit gets a row")
        #expect(all[Self.water]?.ledgerEntries == 1)
        #expect(all[Self.civil]?.ledgerEntries == 2)

        let twoDays = try await figures.oversightCounts(from: day, through: day.adding(days: 1), unitCode: Self.civil)
        #expect(twoDays[Self.civil]?.ledgerEntries == 3)
    }

    @Test func startOfDayIsMidnightInChinaStandardTime() {
        let day = CivilDate(year: 2026, month: 11, day: 1)!
        #expect(OversightStoreFigures.startOfDay(day) == Self.cst(2026, 11, 1, 0))
        #expect(CivilDate(OversightStoreFigures.startOfDay(day)) == day)
        #expect(CivilDate(OversightStoreFigures.startOfDay(day).addingTimeInterval(-1)) == day.adding(days: -1))
    }

    @Test func mapsEveryCount() {
        var counts = OversightCounts()
        counts.commitmentsRecorded = 1
        counts.checksConfirmed = 2
        counts.checksFoundFalse = 3
        counts.checksOverdue = 4
        counts.ledgerEntries = 5
        counts.ledgerEntriesNotToBeAskedFor = 6
        counts.mismatchesOpened = 7
        counts.mismatchesResolved = 8
        counts.appealsFiled = 9
        counts.complaintsByBreach = [.refusedToVerify: 10, .sealMisuse: 11]
        let figures = OversightStoreFigures.figures(counts)
        #expect(
            figures
                == OversightFigures(
                    commitmentsRecorded: 1, checksConfirmed: 2, checksFoundFalse: 3, checksOverdue: 4, ledgerEntries: 5,
                    ledgerEntriesForNoProofItems: 6, mismatchesOpened: 7, mismatchesResolved: 8, appeals: 9,
                    complaintsByBreachType: ["refused_to_verify": 10, "seal_misuse": 11]))
    }
}
