import Foundation
import GRDB
import NoProofDomain
import NoProofTestSupport
import NoProofUnits
import Testing
@testable import NoProofUnitStore

/// The unit store behaviour (`UnitStoreBehaviour`) on the embedded SQLite backend, and what only
/// SQLite has (its durability pragmas, the chain check on the file).
@Suite("SQLiteUnitStore")
struct SQLiteUnitStoreTests {
    @Test func writerIsFullySynchronousAndWAL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteUnitStore(directory: directory.url)
        let (synchronous, journal) = try await store.dbPool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous")!, try String.fetchOne(db, sql: "PRAGMA journal_mode")!)
        }
        #expect(synchronous == 2)
        #expect(journal == "wal")
        let readerSynchronous = try await store.dbPool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous")! }
        #expect(readerSynchronous == 2)
        try store.close()
    }

    // The shared behaviour, as on PostgreSQL (PostgresUnitStoreBehaviourTests).
    @Test func unitsAndStaffRoundTripAndSurviveReopening() async throws { try await UnitStoreBehaviour.unitsAndStaffRoundTripAndSurviveReopening(.sqlite) }
    @Test func staffChangesEnforceArticle10Atomically() async throws { try await UnitStoreBehaviour.staffChangesEnforceArticle10Atomically(.sqlite) }
    @Test func noPathGivesAUnitTwoSupervisors() async throws { try await UnitStoreBehaviour.noPathGivesAUnitTwoSupervisors(.sqlite) }
    @Test func calendarYearsArePublishedAsVersionsAndPersist() async throws {
        try await UnitStoreBehaviour.calendarYearsArePublishedAsVersionsAndPersist(.sqlite)
    }
    @Test func credentialsStoreOnlyHashesAndRevocationPersists() async throws {
        try await UnitStoreBehaviour.credentialsStoreOnlyHashesAndRevocationPersists(.sqlite)
    }
    @Test func listLifeCycleThroughTheStore() async throws { try await UnitStoreBehaviour.listLifeCycleThroughTheStore(.sqlite) }
    @Test func demoSeedIsIdempotentAndDrivesTheAccessPolicy() async throws {
        try await UnitStoreBehaviour.demoSeedIsIdempotentAndDrivesTheAccessPolicy(.sqlite)
    }
    @Test func denialLogAppendsDurably() async throws { try await UnitStoreBehaviour.denialLogAppendsDurably(.sqlite) }
    @Test func bulkLoadFromJSONAndCSVWithAReport() async throws { try await UnitStoreBehaviour.bulkLoadFromJSONAndCSVWithAReport(.sqlite) }
}

/// The denial log is hash-chained (issue 15): an entry edited or deleted afterwards is named.
@Suite("Denial log chain")
struct DenialChainTests {
    @Test func anEditedOrDeletedDenialIsNamed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteUnitStore(directory: directory.url)
        func denial(_ index: Int) -> DenialRecord {
            DenialRecord(
                at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)), unitCode: "91370400MA3C7WX81E", staffID: "agent-0001",
                itemCode: "SW-KH-001", caseReference: "CASE-\(index)", typeCode: "JHZ", kind: .denial, reason: "not_listed",
                message: "JHZ is not a proof of item SW-KH-001")
        }
        try await store.appendDenial(denial(0))
        try await store.appendDenials((1..<6).map(denial))
        try store.close()
        let database = try DatabaseQueue(path: directory.url.appendingPathComponent("units.sqlite").path)
        #expect(try await database.read { db in try DenialChain.verify(db) } == (6, nil as String?))
        try await database.write { db in try db.execute(sql: "UPDATE denial_log SET reason = 'rate_limited' WHERE sequence = 3") }
        #expect(try await database.read { db in try DenialChain.verify(db) }.firstBreak?.contains("entry 3") == true)
        try await database.write { db in
            try db.execute(sql: "UPDATE denial_log SET reason = 'not_listed' WHERE sequence = 3")
            try db.execute(sql: "DELETE FROM denial_log WHERE sequence = 4")
        }
        #expect(try await database.read { db in try DenialChain.verify(db) }.firstBreak?.contains("entries 4–4 are missing") == true)
        try await database.write { db in try db.execute(sql: "DELETE FROM denial_log WHERE sequence >= 4") }
        #expect(try await database.read { db in try DenialChain.verify(db) }.firstBreak?.contains("deleted from the end") == true)
    }
}
