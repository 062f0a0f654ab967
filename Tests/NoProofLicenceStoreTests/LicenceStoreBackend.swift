import Foundation
import NoProofDomain
import NoProofLicenceStore
import NoProofPostgres
import NoProofTestSupport

/// A backend the licence store behaviour tests run against: the embedded SQLite store, or the
/// PostgreSQL one (each test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL`).
enum LicenceStoreBackend: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A fresh, empty store of this backend.
    func makeFixture() async throws -> LicenceStoreFixture {
        switch self {
        case .sqlite:
            return LicenceStoreFixture(backend: self, directory: try TemporaryDirectory(), schema: nil)
        case .postgres:
            return LicenceStoreFixture(backend: self, directory: nil, schema: PostgresTestDatabase.freshSchema("licences"))
        }
    }
}
