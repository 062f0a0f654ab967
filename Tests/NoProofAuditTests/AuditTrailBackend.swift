import NoProofTestSupport

/// A backend the audit trail behaviour tests run against: the embedded SQLite `AuditLog`, or
/// `PostgresAuditTrail` (each test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL`).
enum AuditTrailBackend: String, Sendable, CaseIterable {
    case sqlite, postgres

    /// A fresh, empty trail location of this backend.
    func makeFixture() throws -> AuditTrailFixture {
        switch self {
        case .sqlite:
            return AuditTrailFixture(backend: self, directory: try TemporaryDirectory(prefix: "noproof-audit-trail"), schema: nil)
        case .postgres:
            return AuditTrailFixture(backend: self, directory: nil, schema: PostgresTestDatabase.freshSchema("audit"))
        }
    }
}
