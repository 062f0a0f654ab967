import Foundation
import GRDB
import NoProofOversight
import NoProofOversightStore
import NoProofTestSupport
import NoProofUnits
import Testing
import NoProofDomain

/// The oversight store behaviour (`OversightStoreBehaviour`) on the embedded SQLite backend, and
/// what only SQLite has (its durability pragma, its v3 data migration, its query plans).
@Suite("Oversight store (SQLite)")
struct SQLiteOversightStoreTests {
    static func withStore(_ body: (SQLiteOversightStore, URL) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-oversight")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteOversightStore(directory: directory)
        try await body(store, directory)
        try? store.close()
    }

    @Test("durable: synchronous=FULL on the writer")
    func durability() async throws {
        try await Self.withStore { store, _ in
            let level = try store.synchronousLevel()
            #expect(level == 2)
        }
    }

    @Test("migration v3: ledger entries of unlisted proofs recorded as 'not to be asked for' are corrected")
    func unlistedLedgerMigration() async throws {
        try await Self.withStore { store, directory in
            var old = try LedgerEntry.make(
                id: "LG-OLD", unit: Fixtures.water, unitName: "", holderID: Fixtures.holder, holderName: "",
                itemCode: "SW-KH-001", caseReference: "SW-1", proofType: "ABC", proofName: "", listed: nil,
                note: "", by: "agent-0001", at: Fixtures.t0)
            old.notToBeAskedFor = true  // as the rule before v3 recorded it
            let cancelled = try LedgerEntry.make(
                id: "LG-CAN", unit: Fixtures.water, unitName: "", holderID: Fixtures.holder, holderName: "",
                itemCode: "SW-KH-001", caseReference: "SW-2", proofType: "WYZM", proofName: "", listed: .cancelled,
                note: "", by: "agent-0001", at: Fixtures.t0)
            _ = try await store.insertLedgerEntry(old)
            _ = try await store.insertLedgerEntry(cancelled)
            try await store.dbPool.write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3: unlisted ledger proofs'") }
            try store.close()
            let reopened = try SQLiteOversightStore(directory: directory)
            let entries = try await reopened.ledgerEntries(unit: Fixtures.water, from: nil, to: nil, limit: 10)
            #expect(entries.first { $0.id == "LG-OLD" }?.notToBeAskedFor == false)
            #expect(entries.first { $0.id == "LG-CAN" }?.notToBeAskedFor == true)
            let counts = try await reopened.counts(unit: Fixtures.water, from: Fixtures.day(-1), to: Fixtures.day(1), asOf: Fixtures.day(1))
            #expect(counts.ledgerEntries == 2 && counts.ledgerEntriesNotToBeAskedFor == 1)
            try reopened.close()
        }
    }

    @Test("every count query searches an index; none scans a table")
    func countPlans() async throws {
        try await Self.withStore { store, _ in
            let plans = try store.countPlans()
            #expect(plans.count == 11)
            for plan in plans {
                #expect(plan.contains("USING") && plan.contains("INDEX"), "\(plan)")
                #expect(!plan.contains("SCAN"), "\(plan)")
            }
        }
    }

    // The shared behaviour, as on PostgreSQL (PostgresOversightStoreTests).
    @Test("records survive reopening")
    func survivesReopening() async throws { try await OversightStoreBehaviour.survivesReopening(.sqlite) }
    @Test("false commitments by holder (any unit, newest check first); correction notices once per unit and case")
    func memoryAndNotices() async throws { try await OversightStoreBehaviour.memoryAndNotices(.sqlite) }
    @Test("round trips, natural keys (a second insert returns the first), updates, listings and scopes")
    func roundTrip() async throws { try await OversightStoreBehaviour.roundTrip(.sqlite) }
    @Test("counts for a period against a seeded history with known figures")
    func counts() async throws { try await OversightStoreBehaviour.counts(.sqlite) }
    @Test("the demo history seeds once, with one false commitment, one overdue check, a ledger entry for a no-proof item")
    func demoHistory() async throws { try await OversightStoreBehaviour.demoHistory(.sqlite) }
    @Test("exemptions: once per unit, flag and period; listed by overlap, oldest first")
    func exemptions() async throws { try await OversightStoreBehaviour.exemptions(.sqlite) }
}
