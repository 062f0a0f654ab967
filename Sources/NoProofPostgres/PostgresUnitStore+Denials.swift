import Foundation
import Logging
package import NoProofDomain
import NoProofUnits
package import NoProofUnitStore
import PostgresNIO

/// The denial log and its hash chain (`DenialChain`: the same hash of the same fields as in SQLite).
///
/// Appends lock the one row of `denial_log_head` (the last sequence number and chain hash), so
/// appends from every instance form one gapless, chained sequence; a rolled-back append leaves no
/// gap because the sequence number is the head's, not a PostgreSQL sequence's.
extension PostgresUnitStore {
    @discardableResult
    package func appendDenial(_ record: DenialRecord) async throws(NoProofError) -> Int64 {
        guard let sequence = try await appendDenials([record]).first else {
            throw NoProofError.unitStorage("the denial log returned no sequence number")
        }
        return sequence
    }

    @discardableResult
    package func appendDenials(_ records: [DenialRecord]) async throws(NoProofError) -> [Int64] {
        if records.isEmpty { return [] }
        let logger = self.logger
        return try await write { connection in
            guard
                let head = try await Self.rows(
                    connection, "SELECT sequence, encode(chain_hash, 'hex') AS chain_hex FROM denial_log_head FOR UPDATE", logger: logger
                ).first
            else {
                throw NoProofError.unitStorage("the denial log head row is missing")
            }
            var (sequence, previous) = try Self.decodeHead(head)
            var sequences: [Int64] = [], atMillis: [Int64] = [], hashes: [String] = []
            var columns = [[String]](repeating: [], count: 8)
            for record in records {
                sequence += 1
                let texts = Self.texts(of: record)
                previous = DenialChain.hash(previous: previous, sequence: sequence, atMillis: Self.millis(record.at), texts: texts)
                sequences.append(sequence)
                atMillis.append(Self.millis(record.at))
                hashes.append(Self.hex(previous))
                for (index, text) in texts.enumerated() { columns[index].append(text) }
            }
            try await connection.query(
                """
                INSERT INTO denial_log (sequence, at_millis, unit_code, staff_id, item_code, case_reference, type_code, kind, reason,
                                        message, chain_hash)
                SELECT u.sequence, u.at_millis, u.unit_code, u.staff_id, u.item_code, u.case_reference, u.type_code, u.kind, u.reason,
                       u.message, decode(u.chain_hash, 'hex')
                FROM unnest(\(sequences)::int8[], \(atMillis)::int8[], \(columns[0])::text[], \(columns[1])::text[],
                            \(columns[2])::text[], \(columns[3])::text[], \(columns[4])::text[], \(columns[5])::text[],
                            \(columns[6])::text[], \(columns[7])::text[], \(hashes)::text[])
                     AS u(sequence, at_millis, unit_code, staff_id, item_code, case_reference, type_code, kind, reason, message, chain_hash)
                """, logger: logger)
            try await connection.query(
                "UPDATE denial_log_head SET sequence = \(sequence), chain_hash = decode(\(Self.hex(previous)), 'hex')", logger: logger)
            return sequences
        }
    }

    package func denials(unit: UnifiedSocialCreditCode?, limit: Int) async throws(NoProofError) -> [DenialRecord] {
        let logger = self.logger
        let limit = max(0, limit)
        return try await read { connection in
            let query: PostgresQuery =
                if let unit {
                    "SELECT \(unescaped: Self.denialColumns) FROM denial_log WHERE unit_code = \(unit.value) ORDER BY sequence DESC LIMIT \(limit)"
                } else {
                    "SELECT \(unescaped: Self.denialColumns) FROM denial_log ORDER BY sequence DESC LIMIT \(limit)"
                }
            return try await Self.rows(connection, query, logger: logger).map(Self.decodeDenial)
        }
    }

    /// Verifies the denial log's chain (as `DenialChain.verify` does for SQLite): the first entry that
    /// does not verify (edited, a gap of deleted entries, deleted from the end past the head's
    /// counter), or nil with the number of entries checked.
    package func verifyDenialChain() async throws(NoProofError) -> (checked: Int, firstBreak: String?) {
        try await Self.verifyDenialChain(in: database)
    }

    /// `verifyDenialChain()` on `database`'s schema without opening the store (no migration, nothing
    /// written): `noproofd audit-verify --database`, while a server may be serving the database. A
    /// schema without the unit store's tables is an error (`.unavailable`), not an empty log.
    package static func verifyDenialChain(in database: PostgresStoreDatabase) async throws(NoProofError) -> (checked: Int, firstBreak: String?) {
        let logger = database.logger
        return try await database.withConnection { connection in
            do {
                return try await Self.verifyDenialChain(connection, logger: logger)
            } catch let error as PSQLError {
                throw error
            } catch {
                throw NoProofError.unitStore(error)
            }
        }
    }

    static func verifyDenialChain(_ connection: PostgresConnection, logger: Logger) async throws -> (checked: Int, firstBreak: String?) {
        // The head's counter first: entries appended while the pages are read are then checked
        // too, and never mistaken for entries deleted from the end.
        let counter =
            try await Self.rows(connection, "SELECT sequence, encode(chain_hash, 'hex') AS chain_hex FROM denial_log_head", logger: logger)
            .first.map { try Self.decodeHead($0).0 } ?? 0
        var previous = DenialChain.genesis
        var expected: Int64 = 1
        var checked = 0
        // Pages in sequence order, so the whole log never sits in memory.
        while true {
            let page = try await Self.rows(
                connection,
                """
                SELECT \(unescaped: Self.denialColumns), encode(chain_hash, 'hex') AS chain_hex FROM denial_log WHERE sequence >= \(expected)
                ORDER BY sequence LIMIT 1000
                """, logger: logger)
            if page.isEmpty { break }
            for row in page {
                let record = try Self.decodeDenial(row)
                let sequence = record.sequence ?? 0
                if sequence != expected {
                    return (checked, "denial log entries \(expected)–\(sequence - 1) are missing (deleted)")
                }
                // The stored integer, not the Date made from it (which need not convert back exactly).
                let cells = row.makeRandomAccess()
                let stored = try cells["chain_hex"].decode(String.self), atMillis = try cells["at_millis"].decode(Int64.self)
                let computed = DenialChain.hash(previous: previous, sequence: sequence, atMillis: atMillis, texts: Self.texts(of: record))
                guard Self.hex(computed) == stored else {
                    return (checked, "denial log entry \(sequence): stored chain hash does not match — the entry (or the one before, with its hash) was edited")
                }
                previous = computed
                expected += 1
                checked += 1
            }
        }
        if counter >= expected {
            return (checked, "denial log entries \(expected)–\(counter) are missing (deleted from the end)")
        }
        return (checked, nil)
    }

    static let denialColumns = "sequence, at_millis, unit_code, staff_id, item_code, case_reference, type_code, kind, reason, message"

    /// The hashed texts of a record, in `DenialChain.textColumns` order.
    static func texts(of record: DenialRecord) -> [String] {
        [
            record.unitCode, record.staffID, record.itemCode, record.caseReference, record.typeCode, record.kind.rawValue,
            record.reason, record.message,
        ]
    }

    static func decodeDenial(_ row: PostgresRow) throws -> DenialRecord {
        let cells = row.makeRandomAccess()
        let kindText = try cells["kind"].decode(String.self)
        return DenialRecord(
            sequence: try cells["sequence"].decode(Int64.self), at: date(try cells["at_millis"].decode(Int64.self)),
            unitCode: try cells["unit_code"].decode(String.self), staffID: try cells["staff_id"].decode(String.self),
            itemCode: try cells["item_code"].decode(String.self), caseReference: try cells["case_reference"].decode(String.self),
            typeCode: try cells["type_code"].decode(String.self), kind: DenialRecord.Kind(rawValue: kindText) ?? .denial,
            reason: try cells["reason"].decode(String.self), message: try cells["message"].decode(String.self))
    }

    static func decodeHead(_ row: PostgresRow) throws -> (Int64, [UInt8]) {
        let cells = row.makeRandomAccess()
        let hex = Array(try cells["chain_hex"].decode(String.self).utf8)
        guard hex.count == 64, let hash = Self.bytes(hex: hex) else {
            throw NoProofError.unitStorage("the denial log head holds a chain hash of \(hex.count / 2) bytes")
        }
        return (try cells["sequence"].decode(Int64.self), hash)
    }

    /// The bytes of lower-case hex digits (`encode(…, 'hex')`), or nil for anything else.
    static func bytes(hex: [UInt8]) -> [UInt8]? {
        func nibble(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
