import Foundation
import Logging
import NoProofDomain
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import PostgresNIO
import Testing
@testable import NoProofPostgres

/// Several instances (pools) on one schema (issue 18): the serving lock shared by every instance
/// and exclusive for an offline import, the start-up lock ordering instances that start together,
/// and the migrations of every store applied once when instances open a fresh schema at once.
/// Skipped, with the reason shown, without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresSchemaLockTests {
    @Test func instancesShareTheServingLockAndAnOfflineImportIsRefusedWhileAnyServes() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            let a = try await PostgresSchemaLock.serving(databases[0])
            let b = try await PostgresSchemaLock.serving(databases[1])
            #expect(a.isHeld && b.isHeld)
            await #expect {
                _ = try await PostgresSchemaLock.offline(databases[0], holder: "noproofd import")
            } throws: { error in
                let error = try #require(error as? NoProofError)
                return error.code == .conflict && error.message.contains("noproofd is serving")
            }
            await a.release()
            // One instance still serves.
            await #expect(throws: NoProofError.self) { _ = try await PostgresSchemaLock.offline(databases[0], holder: "noproofd import") }
            await b.release()
            let offline = try await PostgresSchemaLock.offline(databases[0], holder: "noproofd import")
            // An instance is refused while the import holds it, saying so.
            await #expect {
                _ = try await PostgresSchemaLock.serving(databases[1])
            } throws: { error in
                let error = try #require(error as? NoProofError)
                return error.code == .conflict && error.message.contains("offline noproofd import")
            }
            await offline.release()
            let again = try await PostgresSchemaLock.serving(databases[1])
            await again.release()
        }
    }

    @Test func aKilledHoldersLockIsFreedByPostgreSQL() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            let serving = try await PostgresSchemaLock.serving(databases[0])
            let (losses, signal) = AsyncStream<Void>.makeStream()
            serving.onLoss { signal.yield() }
            // The holder's backend ends (as when its process is killed): the lock goes with it.
            try await Self.terminate(serving.backendPID, through: databases[1])
            for await _ in losses { break }
            #expect(!serving.isHeld)
            let offline = try await PostgresSchemaLock.offline(databases[1], holder: "noproofd import")
            await offline.release()
        }
    }

    @Test func instancesStartingTogetherSeedOneAfterTheOther() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            // What noproofd --demo does at start, on two instances at once: the migrations, then
            // the demo units and lists (check-then-create) under the start-up lock.
            let outcomes = try await withThrowingTaskGroup(of: UnitDemoSeeding.Outcome.self) { group in
                for database in databases {
                    group.addTask {
                        let startup = try await PostgresSchemaLock.startup(database)
                        let store = try await PostgresUnitStore.open(database)
                        let outcome = try await UnitDemoSeeding.seed(into: store)
                        await startup.release()
                        return outcome
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.map(\.unitsCreated).sorted() == [0, UnitDemoData.units.count])
            #expect(outcomes.map(\.listsPublished).sorted().first == 0)
            let store = try await PostgresUnitStore.open(databases[0])
            #expect(try await store.units().count == UnitDemoData.units.count)
        }
    }

    @Test func everyStoresMigrationsAreAppliedOnceWhenInstancesOpenAFreshSchemaAtOnce() async throws {
        try await PostgresLicenceStoreTests.withDatabases(3) { databases in
            // The order of DaemonStores.openPostgres, on three instances at once (no start-up lock).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for database in databases {
                    group.addTask {
                        _ = try await PostgresLicenceStore.open(database)
                        _ = try await PostgresUnitStore.open(database)
                        _ = try await PostgresVerificationStore.open(database)
                        _ = try await PostgresOversightStore.open(database)
                        _ = try await PostgresRateCounts.open(database)
                        _ = try await PostgresSessionFeed.open(database)
                    }
                }
                try await group.waitForAll()
            }
            let applied = try await PostgresLicenceStoreTests.appliedMigrations(databases[0])
            #expect(Set(applied).count == applied.count)
            #expect(applied.contains("licences v1") && applied.contains("units-1") && applied.contains("verification-1"))
        }
    }

    /// Ends a backend as a killed process's end would (its connection closed by the server).
    static func terminate(_ pid: Int32, through database: PostgresStoreDatabase) async throws {
        try await database.withConnection { connection in
            for try await ended in try await connection.query("SELECT pg_terminate_backend(\(pid))", logger: Logger(label: "test")).decode(Bool.self) {
                #expect(ended)
            }
        }
    }
}
