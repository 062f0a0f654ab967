import Foundation
import NoProofTestSupport

/// A backend the unit store behaviour tests run against: the embedded SQLite store, or the
/// PostgreSQL one (each test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL`).
enum UnitStoreBackend: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A fresh, empty place for a store of this backend.
    func makeFixture() throws -> UnitStoreFixture {
        switch self {
        case .sqlite:
            return UnitStoreFixture(backend: self, directory: try TemporaryDirectory(), schema: nil)
        case .postgres:
            return UnitStoreFixture(backend: self, directory: nil, schema: PostgresTestDatabase.freshSchema("units"))
        }
    }
}
