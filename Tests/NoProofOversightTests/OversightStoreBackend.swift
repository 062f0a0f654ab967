import NoProofTestSupport

/// A backend the oversight store behaviour tests run against: the embedded SQLite store, or the
/// PostgreSQL one (each test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL`).
enum OversightStoreBackend: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A fresh, empty store location of this backend.
    func makeFixture() throws -> OversightStoreFixture {
        switch self {
        case .sqlite:
            return OversightStoreFixture(backend: self, directory: try TemporaryDirectory(prefix: "noproof-oversight"), schema: nil)
        case .postgres:
            return OversightStoreFixture(backend: self, directory: nil, schema: PostgresTestDatabase.freshSchema("oversight"))
        }
    }
}
