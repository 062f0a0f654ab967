import Foundation
import NoProofDomain
import NoProofPostgres
import NoProofTestSupport
import NoProofUnits
import PostgresNIO
import Testing
@testable import NoProofUnitStore

/// The unit store behaviour (`UnitStoreBehaviour`) on the PostgreSQL backend, each test in a fresh
/// schema of `NOPROOF_TEST_POSTGRES_URL` (skipped, with the reason shown, when it is unset;
/// scripts/test.sh and so CI always set it); and what only several instances on one database can
/// show: two stores (two pools, as two noproofd) racing on one unit.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresUnitStoreBehaviourTests {
    static let demo = UnitDemoData.self
    static let t0 = UnitDemoData.effectiveAt

    @Test func unitsAndStaffRoundTripAndSurviveReopening() async throws { try await UnitStoreBehaviour.unitsAndStaffRoundTripAndSurviveReopening(.postgres) }
    @Test func staffChangesEnforceArticle10Atomically() async throws { try await UnitStoreBehaviour.staffChangesEnforceArticle10Atomically(.postgres) }
    @Test func noPathGivesAUnitTwoSupervisors() async throws { try await UnitStoreBehaviour.noPathGivesAUnitTwoSupervisors(.postgres) }
    @Test func calendarYearsArePublishedAsVersionsAndPersist() async throws {
        try await UnitStoreBehaviour.calendarYearsArePublishedAsVersionsAndPersist(.postgres)
    }
    @Test func credentialsStoreOnlyHashesAndRevocationPersists() async throws {
        try await UnitStoreBehaviour.credentialsStoreOnlyHashesAndRevocationPersists(.postgres)
    }
    @Test func listLifeCycleThroughTheStore() async throws { try await UnitStoreBehaviour.listLifeCycleThroughTheStore(.postgres) }
    @Test func demoSeedIsIdempotentAndDrivesTheAccessPolicy() async throws {
        try await UnitStoreBehaviour.demoSeedIsIdempotentAndDrivesTheAccessPolicy(.postgres)
    }
    @Test func denialLogAppendsDurably() async throws { try await UnitStoreBehaviour.denialLogAppendsDurably(.postgres) }
    @Test func bulkLoadFromJSONAndCSVWithAReport() async throws { try await UnitStoreBehaviour.bulkLoadFromJSONAndCSVWithAReport(.postgres) }

    /// Two instances racing to open the next list version of one unit: exactly one opens it, every
    /// other attempt is refused as a conflict naming the open version (found under the unit's row
    /// lock; without the lock the version's primary key refuses the loser with another message),
    /// and the unit has one version.
    @Test func twoInstancesRacingToOpenAListVersionOpenOne() async throws {
        try await UnitStoreFixture.with(.postgres) { fixture in
            let first = try await fixture.open(), second = try await fixture.open()
            try await first.createUnit(Self.demo.water, staff: Self.demo.staff(of: Self.demo.water.code), at: Self.t0)
            let unit = Self.demo.water.code
            let stores: [any UnitStoreUnderTest] = [first, second, first, second, first, second, first, second]
            let outcomes = await withTaskGroup(of: Result<Int, NoProofError>.self) { group in
                for store in stores {
                    group.addTask {
                        do throws(NoProofError) {
                            return .success(try await store.createDraft(unit: unit, by: "agent-0001", at: Self.t0).version)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var outcomes: [Result<Int, NoProofError>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let opened = outcomes.compactMap { try? $0.get() }
            #expect(opened == [1])
            let refusals = outcomes.compactMap { outcome -> NoProofError? in
                if case .failure(let error) = outcome { return error } else { return nil }
            }
            #expect(refusals.count == stores.count - 1)
            #expect(refusals.allSatisfy { $0.code == .conflict && $0.message.contains("already has version 1 open") }, "\(refusals)")
            #expect(try await second.listHistory(unit: unit).map(\.version) == [1])
            try await fixture.closeAll()
        }
    }

    /// Two instances each deactivating one of a unit's two agents at once: Art. 10 needs one agent
    /// left, so exactly one deactivation succeeds (the other sees it and refuses), round after round.
    @Test func twoInstancesCannotTogetherBreakTheStaffRule() async throws {
        try await UnitStoreFixture.with(.postgres) { fixture in
            let first = try await fixture.open(), second = try await fixture.open()
            let unit = Self.demo.water.code
            let staff = Self.demo.staff(of: unit)  // supervisor-0001, agent-0001, agent-0002
            try await first.createUnit(Self.demo.water, staff: staff, at: Self.t0)
            for _ in 0..<5 {
                try await first.replaceStaff(of: unit, with: staff, at: Self.t0)
                async let a: NoProofError? = Self.outcome { () async throws(NoProofError) in
                    try await first.deactivateStaff("agent-0001", of: unit, at: Self.t0)
                }
                async let b: NoProofError? = Self.outcome { () async throws(NoProofError) in
                    try await second.deactivateStaff("agent-0002", of: unit, at: Self.t0)
                }
                let refusals = [await a, await b].compactMap { $0 }
                #expect(refusals.count == 1)
                #expect(refusals.first?.code == .conflict && refusals.first?.message.contains("at least one agent") == true, "\(refusals)")
                let active = try await second.staff(of: unit, includeInactive: false)
                #expect(active.filter { $0.role == .agent }.count == 1)
            }
            try await fixture.closeAll()
        }
    }

    /// The denial log's chain across instances: appends from two stores at once form one gapless,
    /// chained sequence; an entry edited or deleted afterwards is named (as `DenialChainTests` on SQLite).
    @Test func theDenialChainIsOneSequenceAcrossInstancesAndNamesAnEditedEntry() async throws {
        try await UnitStoreFixture.with(.postgres) { fixture in
            let first = try await fixture.open(), second = try await fixture.open()
            func denial(_ index: Int) -> DenialRecord {
                DenialRecord(
                    at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)), unitCode: "91370400MA3C7WX81E", staffID: "agent-0001",
                    itemCode: "SW-KH-001", caseReference: "CASE-\(index)", typeCode: "JHZ", kind: .denial, reason: "not_listed",
                    message: "JHZ is not a proof of item SW-KH-001")
            }
            async let a = first.appendDenials((0..<10).map(denial))
            async let b = second.appendDenials((10..<20).map(denial))
            async let c = first.appendDenial(denial(20))
            let sequences = try await a + b + [c]
            #expect(sequences.sorted() == Array(1...21))
            guard let store = first as? PostgresUnitStore else {
                Issue.record("not a PostgresUnitStore")
                return
            }
            #expect(try await store.verifyDenialChain() == (21, nil as String?))
            let database = store.database
            func execute(_ sql: String) async throws {
                try await database.withConnection { connection in
                    _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: database.logger)
                }
            }
            try await execute("UPDATE denial_log SET reason = 'rate_limited' WHERE sequence = 3")
            #expect(try await store.verifyDenialChain().firstBreak?.contains("entry 3") == true)
            try await execute("UPDATE denial_log SET reason = 'not_listed' WHERE sequence = 3")
            try await execute("DELETE FROM denial_log WHERE sequence = 4")
            #expect(try await store.verifyDenialChain().firstBreak?.contains("entries 4–4 are missing") == true)
            try await execute("DELETE FROM denial_log WHERE sequence >= 4")
            #expect(try await store.verifyDenialChain().firstBreak?.contains("deleted from the end") == true)
            try await fixture.closeAll()
        }
    }

    /// A calendar year published through one instance reaches another's book at its next
    /// `refreshCalendar()` (noproofd runs it every 30 s), not before; a refresh with nothing new
    /// published reloads nothing.
    @Test func aCalendarYearPublishedOnOneInstanceReachesAnotherAtItsRefresh() async throws {
        try await UnitStoreFixture.with(.postgres) { fixture in
            guard let first = try await fixture.open() as? PostgresUnitStore, let second = try await fixture.open() as? PostgresUnitStore else {
                Issue.record("not a PostgresUnitStore")
                return
            }
            let d = { (text: String) in try! CivilDate.parse(text, field: "date") }
            let day = d("2028-01-04")
            #expect(!second.calendarBook.calendar.covers(day))
            #expect(second.calendarLoads == 1)
            // Nothing published since the store opened: the marker is unchanged, nothing reloaded.
            #expect(try await second.refreshCalendar() == false)
            #expect(second.calendarLoads == 1)

            let year2028 = CalendarYear(year: 2028, holidays: [d("2028-01-03")], workingDays: [])
            #expect(try await first.publishCalendarYear(year2028, by: "x/y", at: Self.t0).version == 1)
            #expect(first.calendarBook.calendar.covers(day))
            #expect(!second.calendarBook.calendar.covers(day))
            #expect(!second.machine.calendar.covers(day))

            #expect(try await second.refreshCalendar() == true)
            #expect(second.calendarLoads == 2)
            #expect(second.calendarBook.calendar.covers(day) && !second.calendarBook.calendar.isWorkingDay(d("2028-01-03")))
            #expect(second.machine.calendar.isWorkingDay(day))
            // Again with nothing new: not reloaded.
            #expect(try await second.refreshCalendar() == false)
            #expect(second.calendarLoads == 2)
            // The publishing instance's own book was loaded by the publication: its refresh finds nothing new.
            let loads = first.calendarLoads
            #expect(try await first.refreshCalendar() == false)
            #expect(first.calendarLoads == loads)

            // A new version of a year already in force (2027 final) reaches the other instance too.
            let final2027 = CalendarYear(
                year: 2027, holidays: [d("2027-01-01"), d("2027-02-05"), d("2027-02-08")],
                workingDays: [d("2027-02-20")], source: "test notice")
            #expect(second.calendarBook.calendar.provisionalYears == [2027])
            _ = try await second.publishCalendarYear(final2027, by: "x/y", at: Self.t0)
            #expect(first.calendarBook.calendar.provisionalYears == [2027])
            #expect(try await first.refreshCalendar() == true)
            #expect(first.calendarBook.calendar.provisionalYears.isEmpty && first.calendarBook.calendar.isWorkingDay(d("2027-02-20")))
            try await fixture.closeAll()
        }
    }

    /// The error `body` threw, or nil when it succeeded.
    static func outcome(_ body: () async throws(NoProofError) -> Void) async -> NoProofError? {
        do throws(NoProofError) {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}
