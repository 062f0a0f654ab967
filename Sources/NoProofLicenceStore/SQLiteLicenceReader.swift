import Foundation
import GRDBSQLite
import NoProofDomain
import Synchronization

/// The licence store's fast read path, for a cache miss: a few read-only SQLite connections of
/// its own, each with the miss queries prepared once (`SQLITE_PREPARE_PERSISTENT`) and run on the
/// calling thread — no hop to a reader queue and back, no row boxing. A point query on the
/// `(holder_key, type_code)` index in the page cache takes microseconds; through GRDB's
/// asynchronous pool read the same query measured 230–360 µs, most of it in the hops.
///
/// WAL mode: each query sees the last commit (a statement starts its own read transaction), so a
/// licence revoked and committed is never read back as valid. The connections are owned here and
/// closed in `close()` (or `deinit`): their statements are finalised first.
final class SQLiteLicenceReader: Sendable {
    /// One connection and its prepared statements, used by one caller at a time.
    private final class Connection: @unchecked Sendable {
        // Only touched under `lock`.
        var handle: OpaquePointer?
        var byHolder: OpaquePointer?
        var byHolderAndType: OpaquePointer?
        var byID: OpaquePointer?
        let lock = Mutex(())

        deinit { close() }

        func close() {
            for statement in [byHolder, byHolderAndType, byID] { sqlite3_finalize(statement) }
            byHolder = nil
            byHolderAndType = nil
            byID = nil
            if let handle { sqlite3_close_v2(handle) }
            handle = nil
        }
    }

    private let connections: [Connection]
    private let next = Atomic<Int>(0)

    static let columns = "id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json"

    /// Opens `count` read-only connections to the database at `path` (which must exist, migrated).
    init(path: String, count: Int = 2, busyTimeoutMilliseconds: Int32 = 5_000) throws(NoProofError) {
        var opened: [Connection] = []
        for _ in 0..<max(1, count) {
            let connection = Connection()
            opened.append(connection)
            var handle: OpaquePointer?
            let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            connection.handle = handle
            guard code == SQLITE_OK, let handle else {
                let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
                throw NoProofError(.unavailable, "cannot open a licence reader on \(path): \(message)")
            }
            sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
            // No ORDER BY: the index (holder_key, type_code) does not hold `id`, so SQLite would
            // build a temporary B-tree per query to sort a handful of rows; they are sorted here.
            connection.byHolder = try Self.prepare(handle, "SELECT \(Self.columns) FROM licence WHERE holder_key = ?")
            connection.byHolderAndType = try Self.prepare(handle, "SELECT \(Self.columns) FROM licence WHERE holder_key = ? AND type_code = ?")
            connection.byID = try Self.prepare(handle, "SELECT \(Self.columns) FROM licence WHERE id = ?")
        }
        connections = opened
    }

    /// Closes every connection; reads afterwards fail.
    func close() {
        for connection in connections { connection.lock.withLock { _ in connection.close() } }
    }

    /// Current versions of the holder's licences, optionally of one type, ordered as
    /// `LicenceStore.licences(holder:typeCode:)` says (type code then identifier). Rows carry
    /// `holder` itself (its key is what was asked for): the number is not parsed again per row.
    func licences(holder: Holder, typeCode: String?) throws(NoProofError) -> [Licence] {
        let holderKey = holder.key
        return try withConnection { connection throws(NoProofError) in
            var licences =
                if let typeCode {
                    try Self.run(connection.byHolderAndType, connection.handle, [holderKey, typeCode], holder: holder)
                } else {
                    try Self.run(connection.byHolder, connection.handle, [holderKey], holder: holder)
                }
            // ORDER BY type_code, id (BINARY collation: the identifiers are ASCII, so String's order is the same).
            if licences.count > 1 {
                licences.sort { $0.typeCode != $1.typeCode ? $0.typeCode < $1.typeCode : $0.id.description < $1.id.description }
            }
            return licences
        }
    }

    /// The current version of the licence `id`, or nil.
    func licence(id: String) throws(NoProofError) -> Licence? {
        try withConnection { connection throws(NoProofError) in try Self.run(connection.byID, connection.handle, [id]).first }
    }

    private func withConnection<T>(_ body: (Connection) throws(NoProofError) -> T) throws(NoProofError) -> T {
        // Round robin over the connections; a busy one is skipped for the next free one, and when
        // all are busy the caller waits for its round-robin pick.
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<connections.count {
            let connection = connections[(start &+ offset) % connections.count]
            let result: Result<T, NoProofError>? = connection.lock.withLockIfAvailable { _ in
                do throws(NoProofError) { return .success(try body(connection)) } catch { return .failure(error) }
            }
            if let result { return try result.get() }
        }
        let connection = connections[start % connections.count]
        return try connection.lock.withLock { _ throws(NoProofError) in try body(connection) }
    }

    private static func prepare(_ handle: OpaquePointer, _ sql: String) throws(NoProofError) -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw NoProofError(.unavailable, "cannot prepare a licence read (\(String(cString: sqlite3_errmsg(handle)))): \(sql)")
        }
        return statement
    }

    /// SQLite copies bound text (the Swift buffers do not outlive the bind call).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private static func run(
        _ statement: OpaquePointer?, _ handle: OpaquePointer?, _ arguments: [String], holder: Holder? = nil
    ) throws(NoProofError) -> [Licence] {
        guard let statement, let handle else { throw NoProofError(.unavailable, "the licence reader is closed") }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, argument) in arguments.enumerated() {
            var argument = argument
            argument.withUTF8 { utf8 in
                let base = utf8.baseAddress ?? ("" as StaticString).utf8Start
                _ = sqlite3_bind_text(
                    statement, Int32(index + 1), UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                    Int32(utf8.count), transient)
            }
        }
        var licences: [Licence] = []
        let holderKey = holder.map { Array($0.key.utf8) }
        /// The column's bytes (SQLite's own, valid until the next step), nil for NULL.
        func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
            guard let text = sqlite3_column_text(statement, Int32(column)) else { return nil }
            return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, Int32(column))))
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return licences }
            guard code == SQLITE_ROW else {
                throw NoProofError(.unavailable, "licence read failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            licences.append(
                try SQLiteLicenceStore.decodeLicence { column in
                    guard let text = sqlite3_column_text(statement, Int32(column)) else { return nil }
                    let count = Int(sqlite3_column_bytes(statement, Int32(column)))
                    return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
                } integer: { column in
                    Int(sqlite3_column_int64(statement, Int32(column)))
                } fields: { column in
                    let count = Int(sqlite3_column_bytes(statement, Int32(column)))
                    guard let text = sqlite3_column_text(statement, Int32(column)) else {
                        return CanonicalJSON.parseObject("")
                    }
                    return CanonicalJSON.parseObject(utf8: UnsafeBufferPointer(start: text, count: count))
                } date: { column, field throws(ValidationError) in
                    try bytes(column).map { utf8 throws(ValidationError) in try CivilDate.parse(utf8: utf8, field: field) }
                } holder: { column throws(ValidationError) in
                    let stored = bytes(column) ?? UnsafeBufferPointer(start: nil, count: 0)
                    if let holder, let holderKey, stored.elementsEqual(holderKey) { return holder }
                    return try Holder.parse(String(decoding: stored, as: UTF8.self))
                })
        }
    }
}
