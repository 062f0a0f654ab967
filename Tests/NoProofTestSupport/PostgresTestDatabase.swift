import Foundation
package import Testing

/// The PostgreSQL the PostgreSQL store tests run against: `NOPROOF_TEST_POSTGRES_URL`, set by
/// scripts/test.sh (and so CI) to a throwaway cluster from scripts/postgres-test-server.sh. When it
/// is unset those tests are skipped, with `skipReason` shown, never passed silently.
package enum PostgresTestDatabase {
    /// The environment variable naming the test database.
    package static let variable = "NOPROOF_TEST_POSTGRES_URL"

    /// The test database's URL, or nil when the variable is unset or empty.
    package static var url: String? {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { return nil }
        return value
    }

    /// Whether the PostgreSQL tests can run.
    package static var isConfigured: Bool { url != nil }

    /// Why they are skipped otherwise.
    package static let skipReason: Comment = """
        \(variable) is not set: run scripts/test.sh, or start a cluster with \
        scripts/postgres-test-server.sh start DIR and export its URL
        """

    /// A schema name no other test uses (each test works in a fresh, empty schema).
    package static func freshSchema(_ prefix: String = "t") -> String {
        "\(prefix)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    }
}
