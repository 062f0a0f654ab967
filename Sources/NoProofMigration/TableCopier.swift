import Logging
import NIOCore
import NoProofDomain
import NoProofPostgres
import PostgresNIO

/// Copies one SQLite table into its PostgreSQL table verbatim: every column the target has (its
/// other columns keep their defaults), a page of rows in primary-key order per transaction, each
/// cell bound as the target column's type (SQLite's 0/1 as a boolean, ISO 8601 text as a
/// timestamp) with an explicit cast, so a value PostgreSQL cannot take fails the batch rather than
/// change. Identity columns are written as stored (`OVERRIDING SYSTEM VALUE`).
struct TableCopier: Sendable {
    let table: MigrationTable
    let source: SQLiteSource
    /// The copied columns and their PostgreSQL types (`udt_name`: int8, text, bool, bytea, ...).
    let columns: [(name: String, type: String)]
    /// The source's primary key, and where each of its columns is in a page's rows.
    let key: [String]
    let keyPositions: [Int]
    /// Identity columns among `columns` (their sequences are moved past the copied values).
    let identities: [String]

    /// The copier of `table`, after checking that every source column has a target column.
    /// - Throws: `.invalid` naming a column with nowhere to go.
    static func prepare(_ table: MigrationTable, source: SQLiteSource, target database: PostgresStoreDatabase) async throws(NoProofError) -> TableCopier {
        let (sourceColumns, key) = try source.layout(of: table.source)
        let logger = database.logger
        let schema = database.schema
        let targetColumns = try await database.withConnection { connection in
            var columns: [(name: String, type: String, identity: Bool)] = []
            for try await (name, type, identity) in try await connection.query(
                """
                SELECT column_name::text, udt_name::text, is_identity::text FROM information_schema.columns
                WHERE table_schema = \(schema) AND table_name = \(table.target) ORDER BY ordinal_position
                """, logger: logger
            ).decode((String, String, String).self) {
                columns.append((name, type, identity == "YES"))
            }
            return columns
        }
        guard !targetColumns.isEmpty else {
            throw NoProofError(.invalid, "the PostgreSQL schema \(schema) has no table \(table.target) for \(table.file)'s \(table.source)")
        }
        let missing = sourceColumns.filter { name in !targetColumns.contains { $0.name == name } }
        guard missing.isEmpty else {
            throw NoProofError(
                .invalid,
                "\(table.file)'s table \(table.source) has columns the PostgreSQL table \(table.target) lacks "
                    + "(\(missing.joined(separator: ", "))): this noproofd cannot migrate them. Nothing was copied")
        }
        let copied = sourceColumns.map { name in
            let column = targetColumns.first { $0.name == name }!
            return (name: name, type: column.type)
        }
        let positions = key.map { name in
            sourceColumns.firstIndex(of: name) ?? (sourceColumns.count + key.filter { !sourceColumns.contains($0) }.firstIndex(of: name)!)
        }
        let identities = targetColumns.filter { column in column.identity && sourceColumns.contains(column.name) }.map(\.name)
        return TableCopier(table: table, source: source, columns: copied, key: key, keyPositions: positions, identities: identities)
    }

    /// Copies every row; returns how many the source holds.
    func copy(into database: PostgresStoreDatabase, batchSize: Int, progress: @Sendable (MigrationProgress) -> Void) async throws(NoProofError) -> Int {
        let total = try source.count(table.source)
        let logger = database.logger
        if table.seeded {
            // The rows the schema's migration seeded (the shipped calendar years) give way to the folder's.
            try await database.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \"\(table.target)\""), logger: logger)
            }
        }
        // A statement takes at most 65,535 parameters.
        let perBatch = max(1, min(batchSize, 60_000 / max(1, columns.count)))
        var after: [SQLiteSource.Cell]?
        var copied = 0
        progress(MigrationProgress(table: table.target, copied: 0, total: total))
        while true {
            let rows = try source.page(table.source, columns: columns.map(\.name), key: key, after: after, limit: perBatch)
            if rows.isEmpty { break }
            let query = try insert(rows)
            try await database.transaction { connection in
                try await connection.query(query, logger: logger)
            }
            copied += rows.count
            after = keyPositions.map { rows[rows.count - 1][$0] }
            progress(MigrationProgress(table: table.target, copied: copied, total: total))
            if rows.count < perBatch { break }
        }
        if !identities.isEmpty {
            try await database.withConnection { connection in
                for column in identities {
                    // Names from information_schema (identifiers, not values).
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT setval(pg_get_serial_sequence('"\(table.target)"', '\(column)'),
                                              COALESCE((SELECT MAX("\(column)") FROM "\(table.target)"), 0) + 1, false)
                                """), logger: logger)
                }
            }
        }
        return total
    }

    /// One multi-row INSERT of `rows`, every value a parameter cast to its column's type.
    private func insert(_ rows: [[SQLiteSource.Cell]]) throws(NoProofError) -> PostgresQuery {
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var sql = "INSERT INTO \"\(table.target)\" (" + columns.map { "\"\($0.name)\"" }.joined(separator: ", ") + ")"
        if !identities.isEmpty { sql += " OVERRIDING SYSTEM VALUE" }
        sql += " VALUES "
        var parameter = 0
        for (rowIndex, row) in rows.enumerated() {
            sql += rowIndex == 0 ? "(" : ", ("
            for (index, column) in columns.enumerated() {
                parameter += 1
                sql += (index == 0 ? "" : ", ") + "$\(parameter)::\(column.type)"
                do {
                    try Self.bind(row[index], as: column.type, into: &binds)
                } catch {
                    let keyText = keyPositions.map { "\(row[$0])" }.joined(separator: ", ")
                    throw NoProofError(
                        .invalid,
                        "\(table.file) \(table.source).\(column.name) (row \(keyText)): a \(row[index].sqliteType) value "
                            + "cannot go verbatim into the PostgreSQL column of type \(column.type). Nothing more was copied")
                }
            }
            sql += ")"
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    struct Unfit: Error {}

    /// Binds `cell` as a value PostgreSQL casts to `type` without changing it.
    static func bind(_ cell: SQLiteSource.Cell, as type: String, into binds: inout PostgresBindings) throws(Unfit) {
        switch (cell, type) {
        case (.null, _):
            binds.appendNull()
        case (.integer(let value), "bool"):
            guard value == 0 || value == 1 else { throw Unfit() }
            binds.append(value == 1)
        case (.integer(let value), "int2"), (.integer(let value), "int4"), (.integer(let value), "int8"):
            binds.append(value)
        case (.real(let value), "int2"), (.real(let value), "int4"), (.real(let value), "int8"):
            guard value.rounded() == value, let integer = Int64(exactly: value) else { throw Unfit() }
            binds.append(integer)
        case (.integer(let value), "float4"), (.integer(let value), "float8"), (.integer(let value), "numeric"):
            binds.append(Double(value))
        case (.real(let value), "float4"), (.real(let value), "float8"), (.real(let value), "numeric"):
            binds.append(value)
        case (.text(let value), "text"), (.text(let value), "varchar"), (.text(let value), "bpchar"),
            (.text(let value), "timestamptz"), (.text(let value), "timestamp"), (.text(let value), "date"):
            binds.append(value)
        case (.integer(let value), "text"):
            binds.append(String(value))
        case (.blob(let bytes), "bytea"):
            binds.append(ByteBuffer(bytes: bytes))
        default:
            throw Unfit()
        }
    }
}
