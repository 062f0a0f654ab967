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

    @Test func schemaParameterNamesTheSchema() async throws {
        let url = try PostgresDatabaseURL(parsing: "postgres://app@127.0.0.1/city?sslmode=require&schema=district_a")
        #expect(url.schema == "district_a")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://app@127.0.0.1:5432/city?sslmode=require&schema=district_a")
        #expect(try PostgresDatabaseURL(parsing: "postgres://app@127.0.0.1/city").schema == nil)
        #expect(throws: ValidationError(field: "database", reason: "schema needs a name (?schema=NAME)")) {
            try PostgresDatabaseURL(parsing: "postgres://app@127.0.0.1/city?schema=")
        }
        // The URL's schema is the store database's unless the caller names one; it is validated like one.
        // (Nothing connects until a query: each pool is shut down unused.)
        for (text, given, expected) in [
            ("postgres://u@127.0.0.1/d?schema=district_a", nil, "district_a"),
            ("postgres://u@127.0.0.1/d?schema=district_a", "other", "other"),
            ("postgres://u@127.0.0.1/d", nil, "noproof"),
        ] as [(String, String?, String)] {
            let database = try PostgresStoreDatabase.connect(url: text, schema: given)
            #expect(database.schema == expected, "\(text), schema \(given ?? "nil")")
            await database.shutdown()
        }
        #expect(throws: NoProofError.self) { try PostgresStoreDatabase.connect(url: "postgres://u@127.0.0.1/d?schema=Bad-Name") }
    }

    @Test(arguments: [
        ("mysql://u@h/d", "the URL scheme must be postgres:// or postgresql://"),
        ("postgres://h/d", "the URL names no user (postgres://USER@HOST/DATABASE)"),
        ("postgres://u@h", "the URL names no database (postgres://USER@HOST/DATABASE)"),
        ("postgres://u@h/d?sslmode=prefer", "sslmode must be disable or require"),
        ("postgres://u@h/d?timeout=3", "unknown URL parameter timeout (only sslmode and schema are understood)"),
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
