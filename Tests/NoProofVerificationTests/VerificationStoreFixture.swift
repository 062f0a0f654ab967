import NoProofPostgres
import NoProofTestSupport
import NoProofVerification
import NoProofVerificationStore

/// Where one test's verification store lives (`StoreFixture`).
typealias VerificationStoreFixture = StoreFixture<VerificationStoreBackend>

extension StoreFixture where Backend == VerificationStoreBackend {
    /// Opens a store on the fixture's data: a new SQLite pool on the folder, or a new PostgreSQL
    /// client pool on the schema.
    func open() async throws -> any VerificationStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteVerificationStore(directory: directory!.url)
            return opened(store) { try store.close() }
        case .postgres:
            return try await PostgresVerificationStore.open(try database())
        }
    }

    /// Runs `body` with a fresh fixture of `backend`, removing it afterwards whether `body` throws or not.
    static func with(_ backend: VerificationStoreBackend, _ body: (VerificationStoreFixture) async throws -> Void) async throws {
        try await using(try backend.makeFixture(), body)
    }
}
