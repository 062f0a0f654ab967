import Foundation
import NoProofDomain
import NoProofLicenceStore
import NoProofPostgres
import NoProofTestSupport

/// Where one test's store lives, so that it can be opened (and reopened) and cleaned up.
final class LicenceStoreFixture: @unchecked Sendable {
    let backend: LicenceStoreBackend
    let directory: TemporaryDirectory?
    let schema: String?
    private var closers: [() async throws -> Void] = []

    init(backend: LicenceStoreBackend, directory: TemporaryDirectory?, schema: String?) {
        self.backend = backend
        self.directory = directory
        self.schema = schema
    }

    /// Opens the store (again: a new connection or pool on the same data), without licence types.
    func open() async throws -> any LicenceStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteLicenceStore(directory: directory!.url)
            closers.append { try store.close() }
            return store
        case .postgres:
            guard let url = PostgresTestDatabase.url else { throw NoProofError(.unavailable, "\(PostgresTestDatabase.variable) is not set") }
            let database = try PostgresStoreDatabase.connect(url: url, schema: schema!)
            closers.append { await database.shutdown() }
            return try await PostgresLicenceStore.open(database)
        }
    }

    /// Closes every store opened so far.
    func closeAll() async throws {
        let pending = closers
        closers = []
        for close in pending.reversed() { try await close() }
    }

    /// Closes the stores and removes the data (the SQLite folder, or the PostgreSQL schema).
    func remove() async throws {
        try await closeAll()
        directory?.remove()
        if let url = PostgresTestDatabase.url, let schema {
            let database = try PostgresStoreDatabase.connect(url: url, schema: schema)
            try? await database.dropSchema()
            await database.shutdown()
        }
    }
}
