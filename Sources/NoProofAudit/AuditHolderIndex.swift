import Dispatch
import Foundation
import GRDB
import Logging
import NoProofAuditChain
import Synchronization

/// The audit trail's index by holder ("who looked at me"), kept in its own file
/// (`audit-holders.sqlite`) and brought up to date off the commit path.
///
/// An index on `audit(holder_id)` inside `audit.sqlite` took an insert at a random place per record:
/// each group commit rewrote one index page per record (4 KiB of WAL per lookup) before its
/// `fdatasync`, and that more than halved the lookups answered per second. This index is derived
/// data instead: the records themselves stay in `audit.sqlite`, durable before any answer leaves,
/// and this file follows them about a second behind, up to 65,536 records per
/// transaction, on its own connection and thread. `indexed_through` is written in the same
/// transaction as the rows it covers, so the index never claims a record it does not hold.
///
/// Readers get exact answers at any moment: `AuditLog.records(aboutHolder:)` takes the indexed
/// part from here and reads the few records after `indexed_through` straight from the log.
/// The file needs no durability of its own (`synchronous=NORMAL`): after a crash, or if the file is
/// deleted, the index catches up again from the log.
final class AuditHolderIndex: Sendable {
    /// Records indexed per transaction. Its inserts land all over the B-tree, so a transaction
    /// rewrites about one page per record until it covers every leaf: few, large transactions
    /// write each page once for many records. (At 8,192 records every 200 ms the index's page
    /// writes and checkpoint flushes stalled the trail's own fsyncs for up to 0.5 s under load.)
    static let chunk = 65_536
    static let fileName = "audit-holders.sqlite"

    private struct State {
        var scheduled = false
        var closed = false
    }

    /// `audit-holders.sqlite`, with `audit.sqlite` attached as `trail` (read only by this
    /// connection): new records are copied across in one INSERT ... SELECT, without waiting for
    /// the log's writer and without a Swift value per row.
    private let index: DatabaseQueue
    private let queue = DispatchQueue(label: "noproof.audit-holder-index")
    private let state = Mutex(State())
    /// How long after a commit the index catches up (records committed meanwhile join the same pass).
    private let delay: DispatchTimeInterval
    private let logger = Logger(label: "noproof.audit-holder-index")

    /// Opens the index in `directory`; one that cannot be opened (a damaged file) is derived data,
    /// so it is deleted and built again from the trail instead of stopping the server.
    static func open(directory: URL, delay: DispatchTimeInterval = .seconds(1)) throws -> AuditHolderIndex {
        do {
            return try AuditHolderIndex(directory: directory, delay: delay)
        } catch {
            Logger(label: "noproof.audit-holder-index").warning(
                "the holder index could not be opened; deleting it and rebuilding it from the audit trail",
                metadata: ["file": "\(fileName)", "error": "\(error)"])
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(fileName + suffix))
            }
            return try AuditHolderIndex(directory: directory, delay: delay)
        }
    }

    init(directory: URL, delay: DispatchTimeInterval = .seconds(1)) throws {
        self.delay = delay
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Checkpoint every 10,000 pages (40 MiB of WAL) rather than 1,000: a page rewritten
            // by several catch-ups is copied into the file, and flushed, once.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        configuration.label = "NoProofStore.AuditHolderIndex"
        configuration.busyMode = .timeout(AuditLog.defaultBusyTimeout)
        index = try DatabaseQueue(path: directory.appendingPathComponent(Self.fileName).path, configuration: configuration)
        try Self.migrator.migrate(index)
        try index.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS trail", arguments: [directory.appendingPathComponent("audit.sqlite").path])
        }
        try resetIfAheadOfLog()
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: holder index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE holder_records (
                        holder_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        action TEXT NOT NULL,
                        PRIMARY KEY (holder_id, sequence)
                    ) WITHOUT ROWID;
                    CREATE TABLE indexed_through (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        sequence INTEGER NOT NULL
                    );
                    INSERT INTO indexed_through (id, sequence) VALUES (1, 0);
                    """)
        }
        return migrator
    }

    /// The last audit sequence the index covers.
    func indexedThrough() throws -> Int64 {
        try index.read { db in try Self.indexedThrough(db) }
    }

    private static func indexedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT sequence FROM indexed_through WHERE id = 1") ?? 0
    }

    /// An index that covers more than the log holds belongs to another log (the audit file was
    /// replaced, say from a backup): it is emptied and rebuilt.
    private func resetIfAheadOfLog() throws {
        try writeDeferred { db in
            let logHead = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM trail.audit") ?? 0
            let through = try Self.indexedThrough(db)
            if through > logHead {
                logger.warning(
                    "the holder index covers records the audit trail does not hold; rebuilding it",
                    metadata: ["indexed_through": "\(through)", "log_head": "\(logHead)"])
                try db.execute(sql: "DELETE FROM holder_records")
                try db.execute(sql: "UPDATE indexed_through SET sequence = 0 WHERE id = 1")
            }
        }
    }

    /// A write transaction that locks only this file. `BEGIN IMMEDIATE` (GRDB's default) would
    /// also take the write lock of the attached trail, which is the audit writer's.
    private func writeDeferred<T>(_ body: (Database) throws -> T) throws -> T {
        try index.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Asks for a catch-up pass after `delay`; calls made while one is pending are folded into it.
    func schedule() {
        let start = state.withLock { state -> Bool in
            if state.scheduled || state.closed { return false }
            state.scheduled = true
            return true
        }
        guard start else { return }
        queue.asyncAfter(deadline: .now() + delay) {
            self.state.withLock { $0.scheduled = false }
            do {
                _ = try self.catchUp()
            } catch {
                self.logger.error(
                    "could not bring the holder index up to date; who-looked queries read the log instead",
                    metadata: ["error": "\(error)"])
            }
        }
    }

    /// Indexes every record after `indexed_through`, `chunk` records per transaction; returns how
    /// many records it went through.
    @discardableResult
    func catchUp() throws -> Int {
        var total = 0
        while true {
            if state.withLock({ $0.closed }) { return total }
            let copied: Int = try writeDeferred { db in
                let through = try Self.indexedThrough(db)
                let range = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*), MAX(sequence) FROM (SELECT sequence FROM trail.audit WHERE sequence > ? ORDER BY sequence LIMIT ?)
                        """, arguments: [through, Self.chunk])
                guard let range, let last: Int64 = range[1] else { return 0 }
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO holder_records (holder_id, sequence, action)
                        SELECT holder_id, sequence, action FROM trail.audit WHERE sequence > ? AND sequence <= ? AND holder_id <> ''
                        """, arguments: [through, last])
                try db.execute(sql: "UPDATE indexed_through SET sequence = ? WHERE id = 1", arguments: [last])
                return range[0]
            }
            total += copied
            if copied < Self.chunk { return total }
        }
    }

    /// The indexed records about `holderID` with one of `actions` and a sequence below `before`,
    /// newest first, at most `limit`; and how far the index reaches (records after it are not in it).
    func sequences(aboutHolder holderID: String, actions: [AuditAction], before: Int64, limit: Int) throws -> (through: Int64, sequences: [Int64]) {
        try index.read { db in
            let through = try Self.indexedThrough(db)
            let placeholders = Array(repeating: "?", count: max(1, actions.count)).joined(separator: ", ")
            var arguments: StatementArguments = [holderID, before]
            arguments += StatementArguments(actions.isEmpty ? [""] : actions.map(\.rawValue))
            arguments += [max(0, limit)]
            let sequences = try Int64.fetchAll(
                db,
                sql: """
                    SELECT sequence FROM holder_records WHERE holder_id = ? AND sequence < ? AND action IN (\(placeholders))
                    ORDER BY sequence DESC LIMIT ?
                    """, arguments: arguments)
            return (through, sequences)
        }
    }

    /// Brings the index up to date a last time (so that the next start has nothing to catch up),
    /// then stops scheduling passes.
    func close() {
        queue.sync {
            do { try self.catchUp() } catch {
                self.logger.error("could not bring the holder index up to date at close", metadata: ["error": "\(error)"])
            }
            self.state.withLock { $0.closed = true }
        }
    }
}
