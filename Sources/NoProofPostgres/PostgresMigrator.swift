package import Logging
package import NoProofDomain
package import PostgresNIO

/// Versioned schema migrations of a PostgreSQL store, recorded in the schema's `schema_migrations`
/// table (`id`, `applied_at`). `migrate` applies the ones not yet recorded, in order, in one
/// transaction holding an advisory lock on the schema, so that two instances opening the same
/// database at once apply each migration exactly once. Ids carry the store's name
/// (`licences v1`), the stores sharing the table.
package struct PostgresMigrator: Sendable {
    /// One migration: its id and its statements (DDL, no values), run in order, then `seed` (rows
    /// the new tables start with, written with parameters), all in the migration's transaction.
    package struct Migration: Sendable {
        package var id: String
        package var statements: [String]
        package var seed: (@Sendable (PostgresConnection, Logger) async throws -> Void)?

        package init(
            _ id: String, _ statements: [String],
            seed: (@Sendable (PostgresConnection, Logger) async throws -> Void)? = nil
        ) {
            self.id = id
            self.statements = statements
            self.seed = seed
        }
    }

    package var migrations: [Migration]

    package init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Creates the schema if needed and applies the missing migrations; returns the ids applied now.
    @discardableResult
    package func migrate(_ database: PostgresStoreDatabase) async throws(NoProofError) -> [String] {
        let schema = database.schema
        let migrations = self.migrations
        let logger = database.logger
        let applied = try await database.transaction { connection -> [String] in
            // The schema name was validated by PostgresStoreDatabase (an identifier, not a value).
            try await connection.query(
                PostgresQuery(stringLiteral: "SELECT pg_advisory_xact_lock(hashtext('noproof-migrate:' || current_setting('search_path')))"),
                logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var done = Set<String>()
            for try await id in try await connection.query("SELECT id FROM schema_migrations", logger: logger).decode(String.self) {
                done.insert(id)
            }
            var appliedNow: [String] = []
            for migration in migrations where !done.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await migration.seed?(connection, logger)
                try await connection.query("INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: logger)
                appliedNow.append(migration.id)
            }
            return appliedNow
        }
        if !applied.isEmpty {
            logger.debug("postgres migrations applied", metadata: ["schema": "\(schema)", "migrations": "\(applied)"])
        }
        return applied
    }
}
