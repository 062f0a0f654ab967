import Logging
import NoProofDemoData
import NoProofDomain
import NoProofImport
import NoProofLicenceStore
import NoProofTestSupport
import PostgresNIO
import Testing
@testable import NoProofPostgres

/// What only the PostgreSQL licence store has to show (the shared behaviour is
/// `PostgresLicenceStoreBehaviourTests`): its migration, several instances on one database, and
/// concurrent imports from two clients. Skipped, with the reason shown, without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresLicenceStoreTests {
    static let logger = Logger(label: "noproof.postgres-tests")

    /// Runs `body` with `count` independent client pools on one fresh schema, dropped and shut down afterwards.
    static func withDatabases(_ count: Int, _ body: ([PostgresStoreDatabase]) async throws -> Void) async throws {
        let url = try #require(PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema("postgres_only")
        var databases: [PostgresStoreDatabase] = []
        for _ in 0..<count { databases.append(try PostgresStoreDatabase.connect(url: url, schema: schema)) }
        var failure: (any Error)?
        do { try await body(databases) } catch { failure = error }
        try? await databases[0].dropSchema()
        for database in databases { await database.shutdown() }
        if let failure { throw failure }
    }

    static func appliedMigrations(_ database: PostgresStoreDatabase) async throws -> [String] {
        try await database.withConnection { connection in
            var ids: [String] = []
            for try await id in try await connection.query("SELECT id FROM schema_migrations ORDER BY id", logger: Self.logger).decode(String.self) {
                ids.append(id)
            }
            return ids
        }
    }

    @Test func migrationRunsOnceAndIsIdempotentOnReopen() async throws {
        try await Self.withDatabases(2) { databases in
            // Both instances open the fresh schema at once: one applies the migration, neither fails.
            async let first = PostgresLicenceStore.migrator.migrate(databases[0])
            async let second = PostgresLicenceStore.migrator.migrate(databases[1])
            let applied = try await [first, second]
            #expect(applied.flatMap { $0 } == ["licences v1", "licences v2: change feed"])
            // Reopening applies nothing and keeps the data.
            let store = try await PostgresLicenceStore.open(databases[0])
            try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            #expect(try await PostgresLicenceStore.migrator.migrate(databases[1]) == [])
            _ = try await PostgresLicenceStore.open(databases[1])
            #expect(try await Self.appliedMigrations(databases[1]) == ["licences v1", "licences v2: change feed"])
            #expect(try await store.licenceTypes().count == LicenceTypeCatalogue.starter.count)
        }
    }

    @Test func aSecondInstanceSeesTheFirstsWritesAtOnce() async throws {
        try await Self.withDatabases(2) { databases in
            let a = try await PostgresLicenceStore.open(databases[0])
            let b = try await PostgresLicenceStore.open(databases[1])
            try await a.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            let licence = try LicenceStoreFixtures.marriage()
            #expect(try await b.licence(byID: licence.id) == nil)
            try await a.issue(licence)
            #expect(try await b.licence(byID: licence.id) == licence)
            try await a.revoke(licence.id, reason: "annulled")
            #expect(try await b.licence(byID: licence.id)?.status == .revoked)
            // and the other way round: B's write conflicts with A's state
            do throws(NoProofError) {
                try await b.suspend(licence.id, reason: "x")
                Issue.record("suspending a licence revoked by the other instance was accepted")
            } catch {
                #expect(error.code == .conflict)
                #expect(error.message == "licence \(licence.id) is revoked and cannot be suspended")
            }
            #expect(try await b.statusChanges(of: licence.id).map(\.to) == [.revoked])
        }
    }

    @Test func concurrentImportsOfTheSameRowsCreateNoDuplicateVersions() async throws {
        try await Self.withDatabases(2) { databases in
            let a = try await PostgresLicenceStore.open(databases[0])
            let b = try await PostgresLicenceStore.open(databases[1])
            try await a.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            let licences = DemoDataGenerator(seed: 11, licenceCount: 400).makeLicences()
            // The same new rows from two clients at once: each is inserted exactly once.
            async let fromA = a.importBatch(licences)
            async let fromB = b.importBatch(licences)
            let inserted = try await [fromA, fromB]
            #expect(inserted.map(\.inserted).reduce(0, +) == 400)
            #expect(inserted.map(\.unchanged).reduce(0, +) == 400)
            #expect(inserted.allSatisfy { $0.updated == 0 && $0.rejected.isEmpty })
            // The same changed rows from two clients at once: each becomes version 2 exactly once;
            // the later batch waits for the earlier one's row locks and finds its rows unchanged.
            let renamed = licences.map { licence in
                var changed = licence
                changed.holderName += "（更名）"
                return changed
            }
            // (Revoked licences are never changed by import: both clients have those rows rejected.)
            let changeable = licences.filter { $0.status != .revoked }
            #expect(changeable.count > 300 && changeable.count < 400)
            async let updateA = a.importBatch(renamed)
            async let updateB = b.importBatch(renamed)
            let updated = try await [updateA, updateB]
            #expect(updated.map(\.updated).reduce(0, +) == changeable.count)
            #expect(updated.map(\.unchanged).reduce(0, +) == changeable.count)
            #expect(updated.allSatisfy { $0.rejected.count == 400 - changeable.count })
            #expect(try await a.count() == 400)
            for licence in changeable.prefix(50) {
                #expect(try await b.versions(of: licence.id).map(\.version) == [1, 2])
            }
            let archived = try await databases[0].withConnection { connection in
                var total = 0
                for try await n in try await connection.query("SELECT count(*) FROM licence_version", logger: Self.logger).decode(Int.self) { total = n }
                return total
            }
            #expect(archived == changeable.count)
        }
    }

    @Test func theVersionKeyRefusesASecondCopyOfAVersion() async throws {
        try await Self.withDatabases(1) { databases in
            let store = try await PostgresLicenceStore.open(databases[0])
            try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
            let licence = try LicenceStoreFixtures.marriage()
            try await store.issue(licence)
            try await store.amend(licence.id, changes: LicenceAmendment(holderName: "张伟伟"), reason: "name change")
            // A writer that skipped the row lock and archived version 1 again is refused by the key.
            let id = licence.id.description
            do throws(NoProofError) {
                _ = try await databases[0].transaction { connection in
                    try await connection.query(
                        """
                        INSERT INTO licence_version (id, version, holder_key, holder_name, issuer_name, issue_date, valid_from,
                                                     status, fields_json, change_reason)
                        SELECT id, 1, holder_key, holder_name, issuer_name, issue_date, valid_from, status, fields_json, 'again'
                        FROM licence WHERE id = \(id)
                        """, logger: Self.logger)
                }
                Issue.record("a duplicate archived version was accepted")
            } catch {
                #expect(error.code == .unavailable)
                #expect(error.message.contains("SQLSTATE 23505"))
            }
            #expect(try await store.versions(of: licence.id).map(\.version) == [1, 2])
        }
    }
}
