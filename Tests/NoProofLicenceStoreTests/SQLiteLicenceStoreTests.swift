import Foundation
import GRDB
import NoProofTestSupport
import Testing
import NoProofDomain
@testable import NoProofSQLite
@testable import NoProofLicenceStore

/// The licence store behaviour (`LicenceStoreBehaviour`) on the embedded SQLite backend, and what
/// only SQLite has (its durability pragmas).
@Suite struct SQLiteLicenceStoreTests {
    @Test func pragmasAreDurable() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteLicenceStore(directory: dir.url)
        let writer = try await store.dbPool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(writer.0 == 2)
        #expect(writer.1 == "wal")
        let reader = try await store.dbPool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(reader == 2)
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("licences.sqlite").path))
        try store.close()
    }

    // The shared behaviour, as on PostgreSQL (PostgresLicenceStoreBehaviourTests).
    @Test func licenceTypesRoundTrip() async throws { try await LicenceStoreBehaviour.licenceTypesRoundTrip(.sqlite) }
    @Test func issueAndGet() async throws { try await LicenceStoreBehaviour.issueAndGet(.sqlite) }
    @Test func duplicatesAreRejected() async throws { try await LicenceStoreBehaviour.duplicatesAreRejected(.sqlite) }
    @Test func invalidLicencesAreRefusedNamingTheField() async throws { try await LicenceStoreBehaviour.invalidLicencesAreRefusedNamingTheField(.sqlite) }
    @Test func amendKeepsOldVersions() async throws { try await LicenceStoreBehaviour.amendKeepsOldVersions(.sqlite) }
    @Test func suspendReinstateRevoke() async throws { try await LicenceStoreBehaviour.suspendReinstateRevoke(.sqlite) }
    @Test func importBatchIsIdempotent() async throws { try await LicenceStoreBehaviour.importBatchIsIdempotent(.sqlite) }
    @Test func revokedLicencesAreNotChangedByImport() async throws { try await LicenceStoreBehaviour.revokedLicencesAreNotChangedByImport(.sqlite) }
    @Test func dataSurvivesReopen() async throws { try await LicenceStoreBehaviour.dataSurvivesReopen(.sqlite) }
    @Test func chunkedIterationVisitsEveryLicenceOnce() async throws { try await LicenceStoreBehaviour.chunkedIterationVisitsEveryLicenceOnce(.sqlite) }
    @Test func holderLookupReturnsAllTypes() async throws { try await LicenceStoreBehaviour.holderLookupReturnsAllTypes(.sqlite) }
}
