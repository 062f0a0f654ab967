package import Logging
import NIOSSL
package import NoProofDomain
package import PostgresNIO

/// One PostgreSQL database and schema, shared by the PostgreSQL stores: owns a postgres-nio
/// `PostgresClient` pool, runs it in a task of its own from `connect` until `shutdown()`.
///
/// Every connection of the pool starts with `search_path` set to the store schema alone (a startup
/// parameter), so the stores' SQL is static text with `$n` parameters — prepared and parameterised,
/// never built from values — and tests can give each store a fresh schema. Writes are committed
/// before a store method returns; PostgreSQL's default `synchronous_commit = on` makes a commit
/// durable (flushed to the WAL) before it is acknowledged.
package final class PostgresStoreDatabase: Sendable {
    /// The client pool (its `run()` is the task `connect` started).
    package let client: PostgresClient
    /// The schema holding the stores' tables.
    package let schema: String
    /// Where the database is (without the password, for messages).
    package let url: PostgresDatabaseURL
    package let logger: Logger
    private let runner: Task<Void, Never>

    /// The schema used when none is given.
    package static let defaultSchema = "noproof"

    /// Starts a client pool for `url`, its connections working in `schema` (or the URL's
    /// `?schema=`, else `noproof`; created by the first store's migration if missing). Nothing is
    /// connected until the first query.
    /// - Throws: `.invalid` for a malformed URL or schema name.
    package static func connect(
        url: String, schema: String? = nil, maximumConnections: Int = 20,
        logger: Logger = Logger(label: "noproof.postgres")
    ) throws(NoProofError) -> PostgresStoreDatabase {
        let parsed: PostgresDatabaseURL
        do { parsed = try PostgresDatabaseURL(parsing: url) } catch { throw NoProofError.invalid(error) }
        let schema = schema ?? parsed.schema ?? defaultSchema
        try validateSchemaName(schema)
        return PostgresStoreDatabase(url: parsed, schema: schema, maximumConnections: maximumConnections, logger: logger)
    }

    private init(url: PostgresDatabaseURL, schema: String, maximumConnections: Int, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: url.tls == .require ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("search_path", schema), ("application_name", "noproofd")]
        // postgres-nio's own background messages at error level and above only: it warns when the
        // first query races the run task's start, which is harmless (the lease waits for the pool);
        // a connection that fails is reported to the query as an error (a `.unavailable` NoProofError).
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        self.schema = schema
        self.url = url
        self.logger = logger
        self.runner = Task { await client.run() }
        logger.debug("postgres client started", metadata: ["url": "\(url)", "schema": "\(schema)"])
    }

    /// Closes every connection; the stores on this database must not be used afterwards.
    package func shutdown() async {
        runner.cancel()
        await runner.value
        logger.debug("postgres client shut down", metadata: ["url": "\(url)"])
    }

    /// Drops the schema and every table in it: for the fresh schemas of tests and benchmarks.
    package func dropSchema() async throws(NoProofError) {
        let schema = self.schema
        let logger = self.logger
        try await withConnection { connection in
            // The name was validated (an identifier, not a value).
            _ = try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"), logger: logger)
        }
    }

    /// A schema name is an SQL identifier (it is not a value, so it cannot be a parameter): lower-case
    /// letters, digits and `_`, starting with a letter or `_`, at most 63 bytes, not `pg_…`.
    static func validateSchemaName(_ name: String) throws(NoProofError) {
        let ok =
            !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
            } && !(name.utf8.first! >= 0x30 && name.utf8.first! <= 0x39)
        guard ok else {
            throw NoProofError.invalid(
                ValidationError(
                    field: "schema",
                    reason: "\(name) is not a schema name: lower-case letters, digits and _, not starting with a digit, at most 63 bytes"))
        }
        guard !name.hasPrefix("pg_") else {
            throw NoProofError.invalid(ValidationError(field: "schema", reason: "\(name) is not a schema name: PostgreSQL reserves the prefix pg_"))
        }
    }

    // MARK: - Access helpers

    /// Runs `body` in one transaction (`BEGIN` … `COMMIT`, rolled back when `body` throws). With
    /// `retryingDeadlocks`, a transaction PostgreSQL aborted as a deadlock victim or a serialisation
    /// failure (SQLSTATE 40P01, 40001) is run again, up to 3 times in all.
    package func transaction<T: Sendable>(
        retryingDeadlocks: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws(NoProofError) -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch {
                if retryingDeadlocks, attempt < 3, let state = Self.sqlState(of: error), state == "40P01" || state == "40001" {
                    logger.debug("postgres transaction retried", metadata: ["sqlstate": "\(state)", "attempt": "\(attempt)"])
                    attempt += 1
                    continue
                }
                throw Self.storeError(error)
            }
        }
    }

    /// Runs `body` on a pooled connection, outside any explicit transaction.
    package func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(NoProofError) -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// A `NoProofError` for anything thrown while talking to PostgreSQL: store errors thrown inside a
    /// transaction pass through; PostgreSQL's own errors keep their SQLSTATE and message.
    package static func storeError(_ error: any Error) -> NoProofError {
        if let error = error as? NoProofError { return error }
        if let error = error as? ValidationError { return .invalid(error) }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return storeError(inner) }
        }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                let message = info[.message] ?? "no message"
                return NoProofError(.unavailable, "PostgreSQL refused: \(message) (SQLSTATE \(state))")
            }
            return NoProofError(.unavailable, "PostgreSQL unavailable: \(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
        }
        return NoProofError(.unavailable, "licence store failure: \(error)")
    }

    /// The SQLSTATE of a PostgreSQL error (`23505` for a unique violation), if it is one.
    package static func sqlState(of error: any Error) -> String? {
        if let error = error as? PostgresTransactionError, let inner = error.closureError { return sqlState(of: inner) }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
