import NoProofLicenceStore
import NoProofPostgres
import NoProofTestSupport

/// Where one test's licence store lives (`StoreFixture`).
typealias LicenceStoreFixture = StoreFixture<LicenceStoreBackend>

extension StoreFixture where Backend == LicenceStoreBackend {
    /// Opens the store (again: a new connection or pool on the same data), without licence types.
    func open() async throws -> any LicenceStore {
        switch backend {
        case .sqlite:
            let store = try SQLiteLicenceStore(directory: directory!.url)
            return opened(store) { try store.close() }
        case .postgres:
            return try await PostgresLicenceStore.open(try database())
        }
    }
}
