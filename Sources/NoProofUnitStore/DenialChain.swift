import Crypto
package import Foundation
package import GRDB

/// The denial log's hash chain (docs/AUDIT.md, "The denial log"): like the audit trail, each
/// `denial_log` row carries SHA-256 of the previous row's hash and its own fields, computed in the
/// transaction that inserts it, so an entry edited, deleted or reordered afterwards is named by
/// `verify`:
///
///     chain_hash = SHA-256( previous (32 bytes; 32 zero bytes before the first)
///                         ‖ "noproof.denial.v1" ‖ sequence (8 bytes BE) ‖ at_millis (8 bytes BE)
///                         ‖ unit_code ‖ staff_id ‖ item_code ‖ case_reference ‖ type_code ‖ kind ‖ reason ‖ message )
///
/// with each text as its UTF-8 length (4 bytes BE) and bytes.
package enum DenialChain {
    package static let genesis = [UInt8](repeating: 0, count: 32)
    static let textColumns = ["unit_code", "staff_id", "item_code", "case_reference", "type_code", "kind", "reason", "message"]

    package static func hash(previous: [UInt8], sequence: Int64, atMillis: Int64, texts: [String]) -> [UInt8] {
        var bytes = previous
        func field(_ text: String) {
            withUnsafeBytes(of: UInt32(text.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: text.utf8)
        }
        field("noproof.denial.v1")
        withUnsafeBytes(of: UInt64(bitPattern: sequence).bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: atMillis).bigEndian) { bytes.append(contentsOf: $0) }
        for text in texts { field(text) }
        return Array(SHA256.hash(data: bytes))
    }

    /// The hash of the last row before `sequence` (genesis when none), inside a write transaction.
    static func lastHash(_ db: Database, before sequence: Int64 = .max) throws -> [UInt8] {
        try Data.fetchOne(
            db, sql: "SELECT chain_hash FROM denial_log WHERE sequence < ? ORDER BY sequence DESC LIMIT 1",
            arguments: [sequence]
        ).map { [UInt8]($0) } ?? genesis
    }

    /// Chains the row just inserted as `sequence` after `previous`; returns its hash.
    static func chain(_ db: Database, sequence: Int64, previous: [UInt8]) throws -> [UInt8] {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT at_millis, \(textColumns.joined(separator: ", ")) FROM denial_log WHERE sequence = ?",
                arguments: [sequence])
        else { return previous }
        let texts = (0..<textColumns.count).map { (row[1 + $0] as String?) ?? "" }
        let hash = hash(previous: previous, sequence: sequence, atMillis: row[0], texts: texts)
        try db.execute(sql: "UPDATE denial_log SET chain_hash = ? WHERE sequence = ?", arguments: [Data(hash), sequence])
        return hash
    }

    /// Adds the column and chains the rows written before (migration).
    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE denial_log ADD COLUMN chain_hash BLOB")
        var previous = genesis
        for sequence in try Int64.fetchAll(db, sql: "SELECT sequence FROM denial_log ORDER BY sequence") {
            previous = try chain(db, sequence: sequence, previous: previous)
        }
    }

    /// The first entry that does not verify (edited, a gap of deleted entries, deleted from the
    /// end past the table's counter, or no hash), or nil with the number of entries checked.
    package static func verify(_ db: Database) throws -> (checked: Int, firstBreak: String?) {
        var previous = genesis
        var expected: Int64 = 1
        var checked = 0
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT sequence, at_millis, \(textColumns.joined(separator: ", ")), chain_hash FROM denial_log ORDER BY sequence")
        while let row = try cursor.next() {
            let sequence: Int64 = row[0]
            if sequence != expected {
                return (checked, "denial log entries \(expected)–\(sequence - 1) are missing (deleted)")
            }
            var texts: [String] = []
            for offset in 0..<textColumns.count {
                guard case .string(let text) = (row[2 + offset] as DatabaseValue).storage else {
                    return (checked, "denial log entry \(sequence): \(textColumns[offset]) holds a value of the wrong type (edited)")
                }
                texts.append(text)
            }
            guard case .int64(let at) = (row[1] as DatabaseValue).storage else {
                return (checked, "denial log entry \(sequence): at_millis holds a value of the wrong type (edited)")
            }
            guard case .blob(let stored) = (row[2 + textColumns.count] as DatabaseValue).storage, stored.count == 32 else {
                return (checked, "denial log entry \(sequence) has no chain hash (written outside noproofd)")
            }
            let computed = hash(previous: previous, sequence: sequence, atMillis: at, texts: texts)
            guard computed == [UInt8](stored) else {
                return (checked, "denial log entry \(sequence): stored chain hash does not match — the entry (or the one before, with its hash) was edited")
            }
            previous = computed
            expected += 1
            checked += 1
        }
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'denial_log'") ?? 0
        if counter >= expected {
            return (checked, "denial log entries \(expected)–\(counter) are missing (deleted from the end)")
        }
        return (checked, nil)
    }

    /// Opens `units.sqlite` in `directory` read-only and verifies the denial log (offline, `noproofd audit-verify`).
    package static func verify(directory: URL) throws -> (checked: Int, firstBreak: String?)? {
        let path = directory.appendingPathComponent("units.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        return try database.read { db in
            guard try db.columns(in: "denial_log").contains(where: { $0.name == "chain_hash" }) else { return nil }
            return try verify(db)
        }
    }
}
