import NoProofDomain
import Testing
@testable import NoProofPostgres

/// `--database`-style URLs: what is understood, and a clear refusal for the rest (no server needed).
@Suite struct PostgresDatabaseURLTests {
    @Test func parsesUserPasswordHostPortAndDatabase() throws {
        let url = try PostgresDatabaseURL(parsing: "postgres://noproof:s%40cret@db.example:6543/library")
        #expect(url.username == "noproof")
        #expect(url.password == "s@cret")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "library")
        #expect(url.tls == .disable)
        #expect(url.description == "postgres://noproof:***@db.example:6543/library")
        let defaults = try PostgresDatabaseURL(parsing: "postgresql://app@127.0.0.1/noproof_test?sslmode=require")
        #expect(defaults.port == 5432)
        #expect(defaults.password == nil)
        #expect(defaults.tls == .require)
    }

    @Test(arguments: [
        ("mysql://u@h/d", "the URL scheme must be postgres:// or postgresql://"),
        ("postgres://h/d", "the URL names no user (postgres://USER@HOST/DATABASE)"),
        ("postgres://u@h", "the URL names no database (postgres://USER@HOST/DATABASE)"),
        ("postgres://u@h/d?sslmode=prefer", "sslmode must be disable or require"),
        ("postgres://u@h/d?timeout=3", "unknown URL parameter timeout (only sslmode is understood)"),
    ])
    func refusesMalformedURLsSayingWhy(text: String, reason: String) {
        #expect(throws: ValidationError(field: "database", reason: reason)) { try PostgresDatabaseURL(parsing: text) }
    }

    @Test func refusesSchemaNamesThatAreNotPlainIdentifiers() {
        for bad in ["", "Licences", "1st", "a-b", "pg_catalog", "x\"; DROP TABLE licence; --", String(repeating: "a", count: 64)] {
            do {
                _ = try PostgresStoreDatabase.connect(url: "postgres://u@127.0.0.1/d", schema: bad)
                Issue.record("schema \(bad) accepted")
            } catch {
                guard let validation = error.validation else { Issue.record("wrong kind \(error)"); continue }
                #expect(validation.field == "schema")
            }
        }
    }
}
