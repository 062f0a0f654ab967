import NoProofDomain
import NoProofPostgres
import NoProofTestSupport
import NoProofVerification
import NoProofVerificationStore

/// Where one test's verification store lives, so that it can be opened (again, or twice at once:
/// two instances on one database) and cleaned up.
final class VerificationStoreFixture: @unchecked Sendable {
    let backend: VerificationStoreBackend
    let directory: TemporaryDirectory?
    let schema: String?
    private var closers: [() async throws -> Void] = []

    init(backend: VerificationStoreBackend, directory: TemporaryDirectory?, schema: String?) {
        self.backend = backend
        self.directory = directory
        self.schema = schema
    }

    /// Opens a store on the fixture's data: a new SQLite pool on the folder, or a new PostgreSQL
    /// client pool on the schema.
    func open() async throws -> any VerificationStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteVerificationStore(directory: directory!.url)
            closers.append { try store.close() }
            return store
        case .postgres:
            guard let url = PostgresTestDatabase.url else { throw NoProofError(.unavailable, "\(PostgresTestDatabase.variable) is not set") }
            let database = try PostgresStoreDatabase.connect(url: url, schema: schema!)
            closers.append { await database.shutdown() }
            return try await PostgresVerificationStore.open(database)
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

    /// Runs `body` with a fresh fixture of `backend`, removing it afterwards whether `body` throws or not.
    static func with(_ backend: VerificationStoreBackend, _ body: (VerificationStoreFixture) async throws -> Void) async throws {
        let fixture = try backend.makeFixture()
        do {
            try await body(fixture)
        } catch {
            try? await fixture.remove()
            throw error
        }
        try await fixture.remove()
    }
}
