import Crypto
import Dispatch
package import Foundation
package import GRDB
package import NoProofAuditChain
package import NoProofSQLite
import Synchronization

/// The durable audit trail, in its own SQLite file (`audit.sqlite`, WAL, synchronous=FULL).
///
/// Records are committed in groups: whatever arrives while one commit is in flight goes into the
/// next transaction, so thousands of lookups per second cost a few fsyncs, and each caller is
/// told only after its record is on disk — the answer it guards leaves after that.
///
/// The records form a hash chain (docs/AUDIT.md): each row's `chain_hash` is SHA-256 of the previous
/// row's chain hash and the row's own canonical encoding (`chainHash(previous:record:)`), computed in
/// the transaction that inserts the row, so editing, deleting or reordering rows afterwards is found by
/// `verifyChain()` (`noproofd audit-verify`), and `head()` gives an anchor to publish.
package final class AuditLog: Sendable {
    package typealias Completion = @Sendable (Result<Int64, Error>) -> Void

    let database: DatabaseQueue
    /// The append queue: group commit on the trail's own writer queue.
    private let appends: BatchingWriter<AuditRecord, Int64>
    /// The log the append queue writes to (set once, at the end of `init`).
    private let target = AppendTarget()
    /// The chain's head after the last commit of this process (sequence, chain hash, and the
    /// table's AUTOINCREMENT counter), so a batch does not read it back from the table; nil until
    /// the first batch, and again after a failed one (read afresh).
    private let cachedHead = Mutex<(sequence: Int64, hash: [UInt8])?>(nil)
    /// Records by holder, in `audit-holders.sqlite` (nil when opened read-only).
    private let holderIndex: AuditHolderIndex?
    /// Copies the WAL into `audit.sqlite` every second, off the writer's commit path (nil when
    /// opened read-only).
    private let checkpointer: WALCheckpointer?
    /// Told of each committed batch (metrics): its records and the time its write and fsync took.
    private let batchObserver = Mutex<(@Sendable (_ records: Int, _ duration: Duration) -> Void)?>(nil)

    /// How long a connection to the trail waits for another connection's lock before failing
    /// (SQLITE_BUSY): a short lock (a backup, an operator's `sqlite3` session) delays records
    /// rather than failing them; a longer one fails them, and privileged changes are then not made.
    package static let defaultBusyTimeout: TimeInterval = 5

    /// Opens (creating or migrating) `audit.sqlite` in `directory` for writing.
    /// `walRestartPages`: from this many pages of WAL the writer finishes a background checkpoint
    /// between two batches so the WAL starts over (`WALCheckpointer`; 0: never).
    package convenience init(
        directory: URL, maxBatch: Int = 2048, busyTimeout: TimeInterval = AuditLog.defaultBusyTimeout,
        walRestartPages: Int = WALCheckpointer.defaultRestartPages
    ) throws {
        try self.init(directory: directory, maxBatch: maxBatch, readOnly: false, busyTimeout: busyTimeout, walRestartPages: walRestartPages)
    }

    /// Opens an existing `audit.sqlite` read-only, for offline verification (`noproofd audit-verify`):
    /// nothing is migrated or written. Appending to it fails.
    package static func openReadOnly(directory: URL) throws -> AuditLog {
        let path = directory.appendingPathComponent("audit.sqlite").path
        guard FileManager.default.fileExists(atPath: path) else { throw AuditLogError.noDatabase(path) }
        return try AuditLog(directory: directory, maxBatch: 1, readOnly: true, busyTimeout: defaultBusyTimeout, walRestartPages: 0)
    }

    private init(directory: URL, maxBatch: Int, readOnly: Bool, busyTimeout: TimeInterval, walRestartPages: Int) throws {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout)
        // GRDB begins writes with BEGIN IMMEDIATE, so a writer waits for another connection's
        // write lock under this timeout instead of failing at once on a lock upgrade.
        if !readOnly {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // 64 MiB of page cache (default 2 MiB): the holder index takes inserts at random
                // places, and re-reading its pages showed as pread time in the batch writer.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // No automatic checkpoint inside a commit: `checkpointer` does it on its own
                // connection (issue 19). After a checkpoint the WAL file is cut back to 64 MiB.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
        }
        database = try DatabaseQueue(path: directory.appendingPathComponent("audit.sqlite").path, configuration: configuration)
        let target = self.target
        appends = BatchingWriter(
            label: "noproof.audit-writer", maxBatch: max(1, maxBatch), closedError: AuditLogError.closed,
            write: .blocking { records in
                guard let log = target.log else { throw AuditLogError.closed }
                return try log.appendBatch(records)
            })
        if readOnly {
            let chained = try database.read { db in try db.columns(in: "audit").contains { $0.name == "chain_hash" } }
            guard chained else { throw AuditLogError.notChained }
            holderIndex = nil
            checkpointer = nil
            target.log = self
            return
        }
        try Self.migrator.migrate(database)
        checkpointer = try WALCheckpointer(
            path: directory.appendingPathComponent("audit.sqlite").path, label: "noproof.audit-checkpoint", busyTimeout: busyTimeout,
            restartPages: walRestartPages)
        checkpointer?.start()
        holderIndex = try AuditHolderIndex.open(directory: directory)
        target.log = self
        holderIndex?.schedule()  // records written before this start, or since the index was deleted
    }

    /// The schema's migrations, in order ("v1" is also used by tests to build a pre-chain database).
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        at_millis INTEGER NOT NULL,
                        unit_code TEXT NOT NULL,
                        credential_id TEXT NOT NULL,
                        staff TEXT NOT NULL,
                        action TEXT NOT NULL,
                        item_code TEXT NOT NULL,
                        case_reference TEXT NOT NULL,
                        holder_id TEXT NOT NULL,
                        type_code TEXT NOT NULL,
                        licence_id TEXT NOT NULL,
                        result TEXT NOT NULL,
                        proof_serial TEXT NOT NULL
                    );
                    CREATE INDEX audit_by_unit_time ON audit (unit_code, at_millis);
                    CREATE INDEX audit_by_holder ON audit (holder_id);
                    """)
        }
        migrator.registerMigration("v2: hash chain") { db in
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN chain_hash BLOB")
            // Backfill in sequence order, a page at a time (the rows are read before they are updated).
            var previous = AuditChain.genesis
            var after: Int64 = 0
            let update = try db.makeStatement(sql: "UPDATE audit SET chain_hash = ? WHERE sequence = ?")
            while true {
                let page = try AuditChain.fetchPage(db, after: after, limit: AuditChain.pageSize)
                if page.isEmpty { break }
                for row in page {
                    guard case .record(let record) = row.content else {
                        throw AuditLogError.unreadableRow(row.sequence)
                    }
                    previous = AuditLog.chainHash(previous: previous, record: record)
                    try update.execute(arguments: [Data(previous), row.sequence])
                }
                after = page[page.count - 1].sequence
            }
        }
        migrator.registerMigration("v3: supervision tallies") { db in
            // Per-(day, unit, metric) counters for the supervision report (SupervisionTally),
            // incremented with every append from now on; backfilled from the records written before.
            try db.execute(
                sql: """
                    CREATE TABLE supervision_tally (
                        day INTEGER NOT NULL,
                        unit_code TEXT NOT NULL,
                        metric TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        PRIMARY KEY (day, unit_code, metric)
                    ) WITHOUT ROWID
                    """)
            var counts: [SupervisionTally.Key: Int64] = [:]
            var after: Int64 = 0
            while true {
                let page = try AuditChain.fetchPage(db, after: after, limit: AuditChain.pageSize)
                if page.isEmpty { break }
                for row in page {
                    if case .record(let record) = row.content {
                        for key in SupervisionTally.keys(for: record) { counts[key, default: 0] += 1 }
                    }
                }
                after = page[page.count - 1].sequence
            }
            try Self.addTallies(counts, db)
        }
        migrator.registerMigration("v4: holder index in its own file") { db in
            // Its random inserts cost a page write per record in every group commit; the index
            // now lives in audit-holders.sqlite (AuditHolderIndex), built from the records.
            try db.execute(sql: "DROP INDEX IF EXISTS audit_by_holder")
        }
        migrator.registerMigration("v5: Merkle tree and signed heads") { db in
            // The records as an RFC 9162 tree (AuditTree), built from the chain hashes written so far,
            // and the heads signed with the audit key (AuditHeadPublisher).
            try db.execute(sql: AuditTree.schema)
            try db.execute(
                sql: """
                    CREATE TABLE tree_heads (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tree_size INTEGER NOT NULL,
                        timestamp_ms INTEGER NOT NULL,
                        root BLOB NOT NULL,
                        key_id TEXT NOT NULL,
                        signature BLOB NOT NULL
                    )
                    """)
            try AuditTree.rebuild(db)
        }
        migrator.registerMigration("v6: counterpart unit chained") { db in
            // The other unit a record concerns, stored and chained (an optional last field of the
            // encoding, so records written before keep their hashes), so that every supervision
            // tally can be recomputed from chained records (`verifyTallies`).
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN counterpart_unit TEXT NOT NULL DEFAULT ''")
        }
        return migrator
    }

    /// Queues `record`; `completion` runs (on the writer's queue) once it is durable, with its sequence.
    package func append(_ record: AuditRecord, completion: @escaping Completion) {
        appends.enqueueOrFail(record, completion: completion)
    }

    /// Appends and waits until the record is durable.
    package func append(_ record: AuditRecord) async throws -> Int64 {
        try await appends.write(record)
    }

    /// Writes `records` in one transaction on the calling thread and returns their sequences once
    /// they are durable. For callers that batch themselves (the proof issuer seals and audits a
    /// batch together); others use `append`.
    ///
    /// The chain is extended inside the same write transaction: the head (last sequence and hash, and
    /// the table's AUTOINCREMENT counter) is read once, then each record gets the next sequence and
    /// its chain hash from the previous one carried in memory. Writes are serialised by the database,
    /// so concurrent batches cannot interleave within the chain.
    package func appendBatch(_ records: [AuditRecord]) throws -> [Int64] {
        if records.isEmpty { return [] }
        let started = ContinuousClock.now
        let sequences: [Int64]
        do {
            sequences = try database.write { db in
                // Read inside the transaction: writes are serialised by the database, so the head
                // cannot move between this read and the commit.
                let (sequence, previous) = try cachedHead.withLock { $0 } ?? Self.storedHead(db)
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT INTO audit (sequence, at_millis, unit_code, credential_id, staff, action, item_code, case_reference,
                                           holder_id, type_code, licence_id, result, proof_serial, chain_hash, counterpart_unit)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                let last = try Self.insertChained(records, firstSequence: sequence + 1, previous: previous, into: statement, db)
                let sequences = Array((sequence + 1)...(sequence + Int64(records.count)))
                Self.extendTree(db, from: sequence, to: sequence + Int64(records.count))
                try Self.addTallies(SupervisionTally.counts(for: records), db)
                let head = (sequence: sequence + Int64(records.count), hash: last)
                // Kept only once the transaction commits (below the write, on success); a
                // rolled-back batch leaves the head to be read afresh.
                db.afterNextTransaction { _ in
                    self.cachedHead.withLock { $0 = head }
                } onRollback: { _ in
                    self.cachedHead.withLock { $0 = nil }
                }
                return sequences
            }
        } catch {
            cachedHead.withLock { $0 = nil }
            throw error
        }
        if let observer = batchObserver.withLock({ $0 }) { observer(records.count, ContinuousClock.now - started) }
        // Between two transactions: when the background checkpointer asks, finish its checkpoint
        // here so that the next batch starts the WAL over (issue 19; a no-op otherwise).
        checkpointer?.writerCommitted(database)
        holderIndex?.schedule()
        return sequences
    }

    /// The head as stored: the last row's sequence and chain hash, but the sequence no lower than
    /// the table's AUTOINCREMENT counter (which never reuses a sequence, even of deleted rows).
    private static func storedHead(_ db: Database) throws -> (sequence: Int64, hash: [UInt8]) {
        var sequence: Int64 = 0
        var previous = AuditChain.genesis
        if let last = try Row.fetchOne(try db.cachedStatement(sql: "SELECT sequence, chain_hash FROM audit ORDER BY sequence DESC LIMIT 1")) {
            sequence = last[0]
            let data: Data? = last[1]
            previous = data.map { [UInt8]($0) } ?? AuditChain.genesis
        }
        let counter = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'")) ?? 0
        return (max(sequence, counter), previous)
    }

    /// Calls `observer` after each committed batch (one call per transaction, not per record).
    package func observeBatches(_ observer: @escaping @Sendable (_ records: Int, _ duration: Duration) -> Void) {
        batchObserver.withLock { $0 = observer }
    }

    /// The chain hash of `record` (its `sequence` must be set) following `previous` (32 bytes; 32 zero
    /// bytes before the first record):
    ///
    ///     chain_hash = SHA-256( previous (32 bytes)
    ///                         ‖ "noproof.audit.v1" as a field
    ///                         ‖ sequence  (8 bytes, big-endian two's complement)
    ///                         ‖ at_millis (8 bytes, big-endian two's complement)
    ///                         ‖ unit_code ‖ credential_id ‖ staff ‖ action ‖ item_code ‖ case_reference
    ///                         ‖ holder_id ‖ type_code ‖ licence_id ‖ result ‖ proof_serial
    ///                         [‖ "counterpart" ‖ counterpart_unit]   only when counterpart_unit is not empty )
    ///
    /// where the tag and each text field are written as a field: its UTF-8 length (4 bytes, big-endian
    /// unsigned) then its UTF-8 bytes (no terminator, no normalisation). The fixed field order and the
    /// length prefixes make the encoding unambiguous.
    package static func chainHash(previous: [UInt8], record: AuditRecord) -> [UInt8] {
        var scratch: [UInt8] = []
        return chainHash(previous: previous, record: record, sequence: record.sequence, scratch: &scratch)
    }

    /// The chain's head: the last record's sequence and chain hash (0 and 32 zero bytes while the log
    /// is empty). Logged at start and stop and served by GetStats, so that it can be published and
    /// compared with a later `verifyChain(anchor:)`.
    package func head() throws -> AuditHead {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sequence, chain_hash FROM audit ORDER BY sequence DESC LIMIT 1") else {
                return AuditHead(sequence: 0, hash: AuditChain.genesis)
            }
            let data: Data? = row[1]
            return AuditHead(sequence: row[0], hash: data.map { [UInt8]($0) } ?? [])
        }
    }

    /// Recomputes the whole chain, a page of rows per read (so a live log keeps taking writes between
    /// pages, and millions of rows are never in memory at once), and reports the first break: a record
    /// whose stored hash does not follow from the previous hash and its fields (an edited field, a
    /// replaced hash, a rewritten predecessor, rows swapped), a gap in the sequences (deleted rows), a
    /// missing hash, or deleted trailing rows (the AUTOINCREMENT counter is past the last row).
    /// With `anchor` (a head published earlier), the record at its sequence must carry its hash.
    package func verifyChain(anchor: AuditHead? = nil, pageSize: Int = AuditChain.pageSize) throws -> ChainVerification {
        var result = ChainVerification(recordsChecked: 0, head: AuditHead(sequence: 0, hash: AuditChain.genesis), firstBreak: nil)
        var previous = AuditChain.genesis
        var expected: Int64 = 1
        var anchorSeen = false
        pages: while true {
            let after = result.head.sequence
            let page = try database.read { db in try AuditChain.fetchPage(db, after: after, limit: max(1, pageSize)) }
            if page.isEmpty { break }
            for row in page {
                if row.sequence != expected {
                    result.firstBreak = ChainBreak(sequence: expected, reason: .sequenceGap(resumesAt: row.sequence))
                    break pages
                }
                let record: AuditRecord
                switch row.content {
                case .record(let r): record = r
                case .malformed(let column):
                    result.firstBreak = ChainBreak(sequence: row.sequence, reason: .malformedField(column))
                    break pages
                }
                guard let stored = row.hash, stored.count == 32 else {
                    result.firstBreak = ChainBreak(sequence: row.sequence, reason: .missingHash)
                    break pages
                }
                let computed = Self.chainHash(previous: previous, record: record)
                guard computed == stored else {
                    result.firstBreak = ChainBreak(sequence: row.sequence, reason: .hashMismatch)
                    break pages
                }
                if let anchor, anchor.sequence == row.sequence {
                    anchorSeen = true
                    guard anchor.hash == stored else {
                        result.firstBreak = ChainBreak(sequence: row.sequence, reason: .anchorMismatch)
                        break pages
                    }
                }
                previous = stored
                expected = row.sequence + 1
                result.recordsChecked += 1
                result.head = AuditHead(sequence: row.sequence, hash: stored)
            }
        }
        if result.firstBreak == nil {
            let counter = try database.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0 }
            if counter > result.head.sequence {
                result.firstBreak = ChainBreak(
                    sequence: result.head.sequence + 1,
                    reason: .trailingRowsDeleted(through: counter))
            } else if let anchor, anchor.sequence > 0, !anchorSeen {
                result.firstBreak = ChainBreak(sequence: anchor.sequence, reason: .anchorMissing)
            }
        }
        return result
    }

    /// Adds `counts` to the supervision tallies (inside the caller's write transaction).
    static func addTallies(_ counts: [SupervisionTally.Key: Int64], _ db: Database) throws {
        if counts.isEmpty { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO supervision_tally (day, unit_code, metric, count) VALUES (?, ?, ?, ?)
                ON CONFLICT (day, unit_code, metric) DO UPDATE SET count = count + excluded.count
                """)
        for (key, count) in counts {
            try statement.execute(arguments: [key.day, key.unitCode, key.metric, count])
        }
    }

    /// The supervision tallies summed over the civil days `fromDay...throughDay` (China Standard
    /// Time, `CivilDate.daysSinceEpoch`), by unit and metric; of one unit or of all. One range
    /// read of the primary key (day first): the cost grows with units × days × metrics in the
    /// period, not with the number of audit records.
    package func tallies(fromDay: Int, throughDay: Int, unitCode: String? = nil) throws -> [String: [String: Int64]] {
        try database.read { db in
            var sql = "SELECT unit_code, metric, SUM(count) FROM supervision_tally WHERE day BETWEEN ? AND ?"
            var arguments: StatementArguments = [fromDay, throughDay]
            if let unitCode {
                sql += " AND unit_code = ?"
                arguments += [unitCode]
            }
            sql += " GROUP BY unit_code, metric"
            var result: [String: [String: Int64]] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                result[row[0], default: [:]][row[1]] = row[2]
            }
            return result
        }
    }

    /// Records about one holder, newest first, with sequence below `before` (nil: from the newest)
    /// and one of `actions`; at most `limit`. The index in `audit-holders.sqlite` gives the records
    /// it covers; the few after it (it follows the log a moment behind) are read from the log.
    package func records(aboutHolder holderID: String, actions: [AuditAction], before: Int64? = nil, limit: Int) throws -> [AuditRecord] {
        let before = before ?? Int64.max
        let limit = max(0, limit)
        let (through, indexed) = try holderIndex?.sequences(aboutHolder: holderID, actions: actions, before: before, limit: limit) ?? (0, [])
        return try database.read { db in
            let placeholders = Array(repeating: "?", count: max(1, actions.count)).joined(separator: ", ")
            var arguments: StatementArguments = [through, before, holderID]
            arguments += StatementArguments(actions.isEmpty ? [""] : actions.map(\.rawValue))
            arguments += [limit]
            // The records after the index's reach: a range of the primary key.
            var records = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit WHERE sequence > ? AND sequence < ? AND holder_id = ? AND action IN (\(placeholders))
                    ORDER BY sequence DESC LIMIT ?
                    """, arguments: arguments
            ).map(Self.record)
            let wanted = indexed.prefix(limit - records.count)
            if !wanted.isEmpty {
                let list = Array(repeating: "?", count: wanted.count).joined(separator: ", ")
                records += try Row.fetchAll(
                    db, sql: "SELECT * FROM audit WHERE sequence IN (\(list)) ORDER BY sequence DESC",
                    arguments: StatementArguments(Array(wanted))
                ).map(Self.record)
            }
            return records
        }
    }

    /// Deletes the records after `sequence` and winds the AUTOINCREMENT counter back to it, as a
    /// tamperer who knows the schema would (tests of the start-up check: `verifyChain` alone passes).
    func deleteForTesting(after sequence: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM audit WHERE sequence > ?", arguments: [sequence])
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit'", arguments: [sequence])
        }
        cachedHead.withLock { $0 = nil }
    }

    /// Brings the holder index up to date now (tests; the log does it by itself a moment after each commit).
    func catchUpHolderIndex() throws {
        try holderIndex?.catchUp()
    }

    /// The last sequence the holder index covers.
    func holderIndexReach() throws -> Int64 {
        try holderIndex?.indexedThrough() ?? 0
    }

    /// The latest record with one of `actions` and type code `typeCode`, searching back from the end
    /// (used at start-up for the seal keys, which every start records: the search stops at the
    /// previous start's records).
    package func latestRecord(actions: [AuditAction], typeCode: String) throws -> AuditRecord? {
        try database.read { db in
            let placeholders = Array(repeating: "?", count: max(1, actions.count)).joined(separator: ", ")
            var arguments = StatementArguments(actions.isEmpty ? [""] : actions.map(\.rawValue))
            arguments += [typeCode]
            return try Row.fetchOne(
                db, sql: "SELECT * FROM audit WHERE action IN (\(placeholders)) AND type_code = ? ORDER BY sequence DESC LIMIT 1",
                arguments: arguments
            ).map(Self.record)
        }
    }

    static func record(_ row: Row) -> AuditRecord {
        var record = AuditRecord(
            atMillis: row["at_millis"], unitCode: row["unit_code"], credentialID: row["credential_id"], staff: row["staff"],
            action: AuditAction(rawValue: row["action"]), itemCode: row["item_code"], caseReference: row["case_reference"],
            holderID: row["holder_id"], typeCode: row["type_code"], licenceID: row["licence_id"],
            result: AuditResult(rawValue: row["result"]), proofSerial: row["proof_serial"],
            counterpartUnit: (row["counterpart_unit"] as String?) ?? ""
        )
        record.sequence = row["sequence"]
        return record
    }

    /// Stops taking records; waits for those queued to be written.
    package func close() {
        appends.closeAndWait()
        checkpointer?.stop()
        holderIndex?.close()
    }

    /// Tells `observer` of each background checkpoint of `audit.sqlite` (metrics): its frames and
    /// duration, or the error that failed it.
    package func observeCheckpoints(_ observer: @escaping @Sendable (Result<WALCheckpointer.Checkpoint, any Error>) -> Void) {
        checkpointer?.observe(observer)
    }

    /// `PRAGMA wal_autocheckpoint` of the log's writer connection: 0 — no checkpoint in a commit.
    package func autoCheckpointPages() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? -1 }
    }

    /// `PRAGMA synchronous` of the log's connection: 2 (FULL) — every commit is fsynced.
    package func synchronousLevel() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The chain hash stored for the record `sequence`, or nil when there is no such record.
    package func chainHash(at sequence: Int64) throws -> [UInt8]? {
        try database.read { db in
            let data = try Data.fetchOne(db, sql: "SELECT chain_hash FROM audit WHERE sequence = ?", arguments: [sequence])
            return data.map { [UInt8]($0) }
        }
    }

    /// Whether the trail records a proof issued: a found lookup or an answered verification request
    /// (checked at start when a seal key file is missing).
    package func recordsIssuedProofs() throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM audit WHERE (action = ? AND result = ?) OR action = ?)
                    """, arguments: [AuditAction.lookup.rawValue, AuditResult.found.rawValue, AuditAction.verificationAnswer.rawValue]) ?? false
        }
    }

    package func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0 }
    }

    /// Records in sequence order after `sequence`.
    package func records(after sequence: Int64 = 0, limit: Int = 1000) throws -> [AuditRecord] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?",
                arguments: [sequence, limit]
            ).map(Self.record)
        }
    }
}

/// The log the append queue writes to: the queue is made in the log's `init`, before `self` may be
/// captured, so it reaches the log through this box, set once at the end of `init` and before any
/// record can be queued (weak: the queue does not keep the log alive).
private final class AppendTarget: @unchecked Sendable {
    weak var log: AuditLog?
}

package enum AuditLogError: Error, CustomStringConvertible {
    case closed
    case noDatabase(String)
    case notChained
    case unreadableRow(Int64)
    package var description: String {
        switch self {
        case .closed: "the audit log is closed (server shutting down)"
        case .noDatabase(let path): "no audit trail at \(path)"
        case .notChained: "the audit trail has no hash chain yet (schema v1): start noproofd once on this folder to add it"
        case .unreadableRow(let sequence): "audit record \(sequence) has a value of the wrong type; cannot build its chain hash"
        }
    }
}

/// Constants and row reading shared by the backfill, the writer and the verifier.
package enum AuditChain {
    /// The hash before the first record.
    package static let genesis = AuditChainHash.genesis
    /// Domain separation: the first field of every record's encoding.
    package static let tag = AuditChainHash.tag
    package static let pageSize = 4096

    static let textColumns = [
        "unit_code", "credential_id", "staff", "action", "item_code", "case_reference",
        "holder_id", "type_code", "licence_id", "result", "proof_serial",
    ]

    enum Content { case record(AuditRecord), malformed(String) }

    struct PageRow {
        var sequence: Int64
        var content: Content
        var hash: [UInt8]?
    }

    /// Up to `limit` rows after `after`, in sequence order; values are checked for their type rather
    /// than converted, so a tampered row is reported, not crashed on.
    static func fetchPage(_ db: Database, after: Int64, limit: Int) throws -> [PageRow] {
        let columns = try db.columns(in: "audit").map(\.name)
        let hasHash = columns.contains("chain_hash")
        let hasCounterpart = columns.contains("counterpart_unit")
        let sql =
            "SELECT sequence, at_millis, \(textColumns.joined(separator: ", ")), \(hasHash ? "chain_hash" : "NULL"), "
            + "\(hasCounterpart ? "counterpart_unit" : "''") FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?"
        var rows: [PageRow] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: [after, limit])
        while let row = try cursor.next() {
            let sequence: Int64 = row[0]
            var texts: [String] = []
            texts.reserveCapacity(textColumns.count)
            var malformed: String?
            let atMillis: Int64
            if case .int64(let value) = (row[1] as DatabaseValue).storage { atMillis = value } else { atMillis = 0; malformed = "at_millis" }
            for (offset, column) in textColumns.enumerated() {
                if case .string(let text) = (row[2 + offset] as DatabaseValue).storage {
                    texts.append(text)
                } else {
                    texts.append("")
                    if malformed == nil { malformed = column }
                }
            }
            var hash: [UInt8]?
            if case .blob(let data) = (row[2 + textColumns.count] as DatabaseValue).storage { hash = [UInt8](data) }
            if let malformed {
                rows.append(PageRow(sequence: sequence, content: .malformed(malformed), hash: hash))
                continue
            }
            guard case .string(let counterpart) = (row[3 + textColumns.count] as DatabaseValue).storage else {
                rows.append(PageRow(sequence: sequence, content: .malformed("counterpart_unit"), hash: hash))
                continue
            }
            var record = AuditRecord(
                atMillis: atMillis, unitCode: texts[0], credentialID: texts[1], staff: texts[2], action: AuditAction(rawValue: texts[3]),
                itemCode: texts[4], caseReference: texts[5], holderID: texts[6], typeCode: texts[7],
                licenceID: texts[8], result: AuditResult(rawValue: texts[9]), proofSerial: texts[10], counterpartUnit: counterpart)
            record.sequence = sequence
            rows.append(PageRow(sequence: sequence, content: .record(record), hash: hash))
        }
        return rows
    }
}
