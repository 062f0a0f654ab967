import Foundation
import GRDB
import NoProofDomain

/// One SQLite file of the data folder, opened read-only for a migration (the folder's lock is
/// held, so nothing writes it meanwhile): its tables, their columns and primary keys, and pages of
/// rows in primary-key order.
final class SQLiteSource: Sendable {
    let path: String
    private let queue: DatabaseQueue

    /// One cell, as SQLite stores it.
    enum Cell: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])

        var sqliteType: String {
            switch self {
            case .null: "NULL"
            case .integer: "INTEGER"
            case .real: "REAL"
            case .text: "TEXT"
            case .blob: "BLOB"
            }
        }
    }

    init(path: String) throws(NoProofError) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        do { queue = try DatabaseQueue(path: path, configuration: configuration) } catch {
            throw NoProofError(.unavailable, "cannot open \(path) to migrate it: \(error)", cause: error)
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(NoProofError) -> T {
        do { return try queue.read(body) } catch {
            throw NoProofError(.unavailable, "cannot read \(path): \(error)", cause: error)
        }
    }

    func hasTable(_ name: String) throws(NoProofError) -> Bool {
        try read { db in try db.tableExists(name) }
    }

    /// `.invalid` when the file holds a table the migration does not know: its rows would be lost.
    func refuseUnknownTables(expected: Set<String>) throws(NoProofError) {
        let names = try read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        let unknown = names.filter { !expected.contains($0) && !MigrationTable.isBookkeeping($0) }
        guard unknown.isEmpty else {
            throw NoProofError(
                .invalid,
                "\(path) holds tables this noproofd cannot migrate (\(unknown.joined(separator: ", "))): a newer noproofd wrote "
                    + "them; migrate with that version. Nothing was copied")
        }
    }

    /// The table's columns, in order, and the columns of its primary key (`rowid` for a table without one).
    func layout(of table: String) throws(NoProofError) -> (columns: [String], key: [String]) {
        try read { db in
            (try db.columns(in: table).map(\.name), try db.primaryKey(table).columns)
        }
    }

    func count(_ table: String) throws(NoProofError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0 }
    }

    /// Up to `limit` rows of `columns` (then the key's columns not among them), in key order, after
    /// the row whose key is `after` (from the first with nil).
    func page(
        _ table: String, columns: [String], key: [String], after: [Cell]?, limit: Int
    ) throws(NoProofError) -> [[Cell]] {
        let extra = key.filter { !columns.contains($0) }
        let selected = (columns + extra).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        let keyList = key.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        var sql = "SELECT \(selected) FROM \(table.quotedDatabaseIdentifier)"
        var arguments: [DatabaseValue] = []
        if let after {
            sql += " WHERE (\(keyList)) > (\(key.map { _ in "?" }.joined(separator: ", ")))"
            arguments = after.map(\.databaseValue)
        }
        sql += " ORDER BY \(keyList) LIMIT \(limit)"
        let width = columns.count + extra.count
        let sqlText = sql
        return try read { db in
            try Row.fetchAll(db, sql: sqlText, arguments: StatementArguments(arguments.map { $0 as (any DatabaseValueConvertible)? })).map { row in
                (0..<width).map { index in Cell(row[index] as DatabaseValue) }
            }
        }
    }
}

extension SQLiteSource.Cell {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }
}
