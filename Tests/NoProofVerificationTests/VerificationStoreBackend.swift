import NoProofTestSupport

/// A backend the verification store behaviour tests run against: the embedded SQLite store, or the
/// PostgreSQL one (each test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL`).
enum VerificationStoreBackend: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A fresh, empty store location of this backend.
    func makeFixture() throws -> VerificationStoreFixture {
        switch self {
        case .sqlite:
            return VerificationStoreFixture(backend: self, directory: try TemporaryDirectory(prefix: "noproof-verification"), schema: nil)
        case .postgres:
            return VerificationStoreFixture(backend: self, directory: nil, schema: PostgresTestDatabase.freshSchema("verification"))
        }
    }
}
