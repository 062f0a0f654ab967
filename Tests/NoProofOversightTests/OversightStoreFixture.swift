import NoProofDomain
import NoProofOversight
import NoProofOversightStore
import NoProofPostgres
import NoProofTestSupport

/// Where one test's oversight store lives, so that it can be opened (again, or twice at once: two
/// instances on one database) and cleaned up.
final class OversightStoreFixture: @unchecked Sendable {
    let backend: OversightStoreBackend
    let directory: TemporaryDirectory?
    let schema: String?
    private var closers: [() async throws -> Void] = []

    init(backend: OversightStoreBackend, directory: TemporaryDirectory?, schema: String?) {
        self.backend = backend
        self.directory = directory
        self.schema = schema
    }

    /// Opens a store on the fixture's data: a new SQLite pool on the folder, or a new PostgreSQL
    /// client pool on the schema.
    func open() async throws -> any OversightStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteOversightStore(directory: directory!.url)
            closers.append { try store.close() }
            return store
        case .postgres:
            guard let url = PostgresTestDatabase.url else { throw NoProofError(.unavailable, "\(PostgresTestDatabase.variable) is not set") }
            let database = try PostgresStoreDatabase.connect(url: url, schema: schema!)
            closers.append { await database.shutdown() }
            return try await PostgresOversightStore.open(database)
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

    /// Runs `body` with a fresh fixture of `backend` and a store opened in it, removing both
    /// afterwards whether `body` throws or not.
    static func withStore(
        _ backend: OversightStoreBackend,
        _ body: (any OversightStore, OversightStoreFixture) async throws -> Void
    ) async throws {
        let fixture = try backend.makeFixture()
        do {
            try await body(try await fixture.open(), fixture)
        } catch {
            try? await fixture.remove()
            throw error
        }
        try await fixture.remove()
    }
}
