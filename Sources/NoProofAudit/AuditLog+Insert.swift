import Crypto
import GRDB
import GRDBSQLite
import NoProofAuditChain

/// The batch writer's inner loop, close to SQLite: the chain hash through a reused scratch buffer
/// and the row bound straight to the prepared statement. GRDB's `execute(arguments:)` boxes each of
/// the 14 values in an existential and an array; on the lookup path that boxing measured ~8% of
/// the server's CPU (perf, 64 connections x 16 in flight).
extension AuditLog {
    /// Copies bound text and blobs into SQLite (the Swift buffers do not outlive the bind call).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Inserts `records` as rows `first`, `first + 1`, ... chained from `previous` (inside the
    /// caller's write transaction). Returns the last record's chain hash.
    @discardableResult
    static func insertChained(
        _ records: [AuditRecord], firstSequence first: Int64, previous: [UInt8],
        into statement: Statement, _ db: Database
    ) throws -> [UInt8] {
        let handle = statement.sqliteStatement
        var previous = previous
        var scratch: [UInt8] = []
        scratch.reserveCapacity(512)
        var sequence = first
        for record in records {
            previous = chainHash(previous: previous, record: record, sequence: sequence, scratch: &scratch)
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, sequence)
            sqlite3_bind_int64(handle, 2, record.atMillis)
            bindText(handle, 3, record.unitCode)
            bindText(handle, 4, record.credentialID)
            bindText(handle, 5, record.staff)
            bindText(handle, 6, record.action.rawValue)
            bindText(handle, 7, record.itemCode)
            bindText(handle, 8, record.caseReference)
            bindText(handle, 9, record.holderID)
            bindText(handle, 10, record.typeCode)
            bindText(handle, 11, record.licenceID)
            bindText(handle, 12, record.result.rawValue)
            bindText(handle, 13, record.proofSerial)
            previous.withUnsafeBytes { bytes in
                _ = sqlite3_bind_blob(handle, 14, bytes.baseAddress, Int32(bytes.count), transient)
            }
            bindText(handle, 15, record.counterpartUnit)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
            sequence += 1
        }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        return previous
    }

    private static func bindText(_ handle: OpaquePointer, _ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            // A non-nil pointer even for "": SQLite stores NULL for a nil pointer, and the columns are NOT NULL.
            let base = utf8.baseAddress ?? ("" as StaticString).utf8Start
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), transient)
        }
    }

    /// `chainHash(previous:record:)` for a record about to get `sequence`, encoded into `scratch`
    /// (emptied first, capacity kept) instead of a new array per record.
    static func chainHash(previous: [UInt8], record: AuditRecord, sequence: Int64, scratch bytes: inout [UInt8]) -> [UInt8] {
        AuditChainHash.hash(previous: previous, record: record, sequence: sequence, scratch: &bytes)
    }
}
