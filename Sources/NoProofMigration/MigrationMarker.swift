import Logging
package import NoProofDomain
package import NoProofPostgres
import PostgresNIO

/// The row that says a PostgreSQL schema holds a data folder's migration, and whether it finished
/// (`data_folder_migration`, one row): written, committed, before the first record is copied, and
/// marked complete after the copy verified. A schema whose row is not complete holds a partial copy
/// (the migration was interrupted or the target failed verification); it is refused by a new
/// migration and by noproofd's start, both saying to drop it.
package enum MigrationMarker {
    /// What the schema holds, as far as a migration is concerned.
    package enum State: Sendable, Equatable {
        /// Nothing a migration would overwrite (no such schema, or the stores' tables without records).
        case empty
        /// A migration from `source` began at `startedMillis` and did not complete.
        case partial(source: String, startedMillis: Int64)
        /// A migration from `source` completed at `completedMillis`.
        case complete(source: String, completedMillis: Int64)
        /// Records written otherwise (a schema noproofd served): `table` holds some.
        case holdsRecords(table: String)
    }

    static let table = "data_folder_migration"

    static let migrator = PostgresMigrator([
        .init(
            "data-folder-migration-1",
            [
                """
                CREATE TABLE data_folder_migration (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    source TEXT NOT NULL,
                    started_ms BIGINT NOT NULL,
                    completed_ms BIGINT
                )
                """
            ])
    ])

    /// The schema's state: the marker row if there is one, else whether any migrated table holds rows.
    package static func state(of database: PostgresStoreDatabase) async throws(NoProofError) -> State {
        let logger = database.logger
        let schema = database.schema
        let targets = MigrationTable.all.filter { !$0.seeded }.map(\.target)
        return try await database.withConnection { connection -> State in
            var present = Set<String>()
            for try await name in try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema)", logger: logger
            ).decode(String.self) {
                present.insert(name)
            }
            if present.contains(table) {
                for try await (source, started, completed) in try await connection.query(
                    "SELECT source, started_ms, completed_ms FROM data_folder_migration WHERE id = 1", logger: logger
                ).decode((String, Int64, Int64?).self) {
                    if let completed { return .complete(source: source, completedMillis: completed) }
                    return .partial(source: source, startedMillis: started)
                }
            }
            for target in targets where present.contains(target) {
                // The name is one of `MigrationTable.all`'s (an identifier, not a value).
                for try await exists in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \"\(target)\")"), logger: logger
                ).decode(Bool.self) where exists {
                    return .holdsRecords(table: target)
                }
            }
            return .empty
        }
    }

    /// Records, committed, that a migration from `source` begins (before any record is copied).
    static func begin(_ database: PostgresStoreDatabase, source: String, at millis: Int64) async throws(NoProofError) {
        try await migrator.migrate(database)
        let logger = database.logger
        try await database.withConnection { connection in
            try await connection.query(
                "INSERT INTO data_folder_migration (id, source, started_ms) VALUES (1, \(source), \(millis))", logger: logger)
        }
    }

    /// Marks the migration complete (after the target verified).
    static func complete(_ database: PostgresStoreDatabase, at millis: Int64) async throws(NoProofError) {
        let logger = database.logger
        try await database.withConnection { connection in
            try await connection.query("UPDATE data_folder_migration SET completed_ms = \(millis) WHERE id = 1", logger: logger)
        }
    }

    /// How to start over on `database`'s schema.
    static func dropAdvice(_ database: PostgresStoreDatabase) -> String {
        "drop it (psql \(database.url) -c 'DROP SCHEMA \(database.schema) CASCADE') and run noproofd migrate again"
    }

    /// For noproofd's start on PostgreSQL: `.conflict` when the schema holds a migration that did
    /// not complete (its records are a partial copy, not to be served).
    package static func refuseIfPartial(_ database: PostgresStoreDatabase) async throws(NoProofError) {
        if case .partial(let source, _) = try await state(of: database) {
            throw NoProofError(
                .conflict,
                "the PostgreSQL schema \(database.schema) holds a partial migration of the data folder \(source) "
                    + "(noproofd migrate was interrupted or its copy failed verification): it is not to be served; "
                    + dropAdvice(database))
        }
    }
}
