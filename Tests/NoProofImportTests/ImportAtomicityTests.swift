import Foundation
import GRDB
import NoProofDomain
import NoProofTestSupport
import Synchronization
import Testing
@testable import NoProofLicenceStore
@testable import NoProofDemoData

/// ImportLicences is written in one transaction, as `licences.proto` says (issue 15: kill -9 after
/// the first 5,000-row transaction left 5,000 of 9,000 rows): one call, one commit.
@Suite struct ImportAtomicityTests {
    /// Counts the commits that changed the `licence` table.
    final class CommitCounter: TransactionObserver, Sendable {
        let commits = Mutex(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "licence" }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func aLargeImportIsOneTransaction() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteLicenceStore(directory: dir.url)
        try await store.upsertLicenceTypes(LicenceTypeCatalogue.starter)
        let counter = CommitCounter()
        store.dbPool.add(transactionObserver: counter, extent: .observerLifetime)
        let licences = DemoDataGenerator(seed: 4, licenceCount: 9_000).makeLicences()
        let outcome = try await store.importBatch(licences)
        #expect(outcome.inserted == 9_000)
        #expect(counter.commits.withLock { $0 } == 1)
        try store.close()
    }
}
