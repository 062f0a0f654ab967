import NoProofOversight
import NoProofOversightStore
import NoProofPostgres
import NoProofTestSupport

/// Where one test's oversight store lives (`StoreFixture`).
typealias OversightStoreFixture = StoreFixture<OversightStoreBackend>

extension StoreFixture where Backend == OversightStoreBackend {
    /// Opens a store on the fixture's data: a new SQLite pool on the folder, or a new PostgreSQL
    /// client pool on the schema.
    func open() async throws -> any OversightStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteOversightStore(directory: directory!.url)
            return opened(store) { try store.close() }
        case .postgres:
            return try await PostgresOversightStore.open(try database())
        }
    }

    /// Runs `body` with a fresh fixture of `backend` and a store opened in it, removing both
    /// afterwards whether `body` throws or not.
    static func withStore(
        _ backend: OversightStoreBackend,
        _ body: (any OversightStore, OversightStoreFixture) async throws -> Void
    ) async throws {
        try await using(try backend.makeFixture()) { fixture in try await body(try await fixture.open(), fixture) }
    }
}
