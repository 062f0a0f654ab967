import Dispatch
import Logging
import NIOCore
import NIOPosix
import NoProofAudit
package import NoProofAuditChain
package import NoProofDomain
import PostgresNIO
import Synchronization

/// The audit trail on PostgreSQL (issue 18): the same behaviour as `AuditLog` — one append-only,
/// hash-chained sequence, its RFC 9162 Merkle tree and the supervision tallies — shared by every
/// noproofd instance on the database.
///
/// Schema (migration `audit-1`): `audit_record` (the records, with their chain hashes),
/// `audit_head` (one row: the last sequence handed out and its chain hash), `audit_tree` (the
/// perfect subtrees of 256 leaves and up, as `audit_tree` in audit.sqlite) and `supervision_tally`;
/// (migration `audit-2`) `audit_signed_head`, the signed tree heads of every instance
/// (`PostgresAuditTrail+Heads`, `PostgresAuditWitness`).
///
/// Appending: one transaction per batch. It first locks the head row (`SELECT … FOR UPDATE`), so
/// the sequence and the chain hash a batch continues from are the database's head, whatever the
/// other instances appended meanwhile; they wait for the lock and continue from this batch's end.
/// In the same transaction it inserts the records, stores the subtrees they complete, adds their
/// tallies and moves the head; the commit (`synchronous_commit = on`) makes them durable before
/// any caller is told its sequence. The head row also plays the part of SQLite's AUTOINCREMENT
/// counter: deleting the last records leaves it ahead of them, which `verifyChain` reports.
/// The holder is a column of the record found through an index (`audit_by_holder`), written in the
/// same transaction: no catch-up index as in SQLite's `audit-holders.sqlite`.
///
/// Group commit per instance: `append` queues records on a `BatchingWriter` in its async mode —
/// whatever arrives while a batch's transaction is in flight forms the next one.
package final class PostgresAuditTrail: SignedAuditTrail {
    /// The database and schema the trail lives in.
    package let database: PostgresStoreDatabase
    private let appends: BatchingWriter<AuditRecord, Int64>
    /// Where a synchronous `appendBatch` finds its transaction's outcome (written before the semaphore
    /// is signalled, read after the wait returns).
    private final class BatchOutcome: @unchecked Sendable {
        var result: Result<[Int64], any Error>?
    }

    /// The trail the append queue writes to (set once, at the end of `init`).
    private let target = Target()
    /// Told of each committed batch (metrics): its records and the time its transaction took.
    private let batchObserver = Mutex<(@Sendable (_ records: Int, _ duration: Duration) -> Void)?>(nil)

    var logger: Logger { database.logger }

    /// The schema migrations of the trail (ids distinct from the other stores' in `schema_migrations`).
    static let migrator = PostgresMigrator([
        .init(
            "audit-1",
            [
                """
                CREATE TABLE audit_record (
                    sequence BIGINT PRIMARY KEY CHECK (sequence > 0),
                    at_millis BIGINT NOT NULL,
                    unit_code TEXT COLLATE "C" NOT NULL,
                    credential_id TEXT NOT NULL,
                    staff TEXT NOT NULL,
                    action TEXT COLLATE "C" NOT NULL,
                    item_code TEXT NOT NULL,
                    case_reference TEXT NOT NULL,
                    holder_id TEXT COLLATE "C" NOT NULL,
                    type_code TEXT COLLATE "C" NOT NULL,
                    licence_id TEXT NOT NULL,
                    result TEXT NOT NULL,
                    proof_serial TEXT NOT NULL,
                    counterpart_unit TEXT COLLATE "C" NOT NULL,
                    chain_hash BYTEA NOT NULL
                )
                """,
                // "Who looked at my data" and correction notices: a holder's records, newest first.
                "CREATE INDEX audit_by_holder ON audit_record (holder_id, sequence)",
                // The seal keys at start: the latest record of a kind.
                "CREATE INDEX audit_by_type_action ON audit_record (type_code, action, sequence)",
                """
                CREATE TABLE audit_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sequence BIGINT NOT NULL,
                    chain_hash BYTEA NOT NULL
                )
                """,
                """
                CREATE TABLE audit_tree (
                    level INTEGER NOT NULL,
                    idx BIGINT NOT NULL,
                    hash BYTEA NOT NULL,
                    PRIMARY KEY (level, idx)
                )
                """,
                """
                CREATE TABLE supervision_tally (
                    day INTEGER NOT NULL,
                    unit_code TEXT COLLATE "C" NOT NULL,
                    metric TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL,
                    PRIMARY KEY (day, unit_code, metric)
                )
                """,
            ],
            seed: { connection, logger in
                try await connection.query(
                    "INSERT INTO audit_head (id, sequence, chain_hash) VALUES (1, 0, \(ByteBuffer(bytes: AuditChainHash.genesis)))",
                    logger: logger)
            }),
        .init("audit-2", [PostgresAuditTrail.signedHeadTable]),
    ])

    private init(database: PostgresStoreDatabase, maxBatch: Int) {
        self.database = database
        let target = self.target
        appends = BatchingWriter(
            label: "noproof.postgres-audit-writer", maxBatch: max(1, maxBatch), closedError: AuditLogError.closed,
            write: .async { records in
                guard let trail = target.trail else { throw AuditLogError.closed }
                return try await trail.write(records)
            })
        target.trail = self
    }

    /// Opens the trail in `database`'s schema, creating or migrating its tables first.
    /// - Parameter maxBatch: the most records one group commit writes.
    /// - Throws: `.unavailable` when PostgreSQL cannot be reached or refuses the migration.
    package static func open(_ database: PostgresStoreDatabase, maxBatch: Int = 2048) async throws(NoProofError) -> PostgresAuditTrail {
        try await migrator.migrate(database)
        return PostgresAuditTrail(database: database, maxBatch: maxBatch)
    }

    /// The trail in `database`'s schema as it is, without creating or migrating anything (the
    /// offline `noproofd audit-verify --database`, which only reads).
    package static func reader(_ database: PostgresStoreDatabase) -> PostgresAuditTrail {
        PostgresAuditTrail(database: database, maxBatch: 1)
    }

    /// Stops taking records and waits for those queued to be written (the database stays open).
    package func close() async {
        await appends.close()
    }

    /// Calls `observer` after each committed batch (one call per transaction, not per record).
    package func observeBatches(_ observer: @escaping @Sendable (_ records: Int, _ duration: Duration) -> Void) {
        batchObserver.withLock { $0 = observer }
    }

    // MARK: - Appending

    package func append(_ record: AuditRecord, completion: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        appends.enqueueOrFail(record, completion: completion)
    }

    package func append(_ record: AuditRecord) async throws -> Int64 {
        try await appends.write(record)
    }

    /// Writes `records` in one transaction and returns their sequences once committed. It blocks the
    /// calling thread while the transaction runs on postgres-nio's event loops, so it must not be
    /// called on an event loop (that would wait for itself), and it parks a Dispatch thread — on
    /// Linux one of the cooperative pool's — while the transaction's async work runs: async code
    /// calls `writeBatch` instead (a proof issuer on PostgreSQL must use `BatchingWriter`'s async
    /// mode, not a blocking queue, for the same reason).
    package func appendBatch(_ records: [AuditRecord]) throws -> [Int64] {
        precondition(
            MultiThreadedEventLoopGroup.currentEventLoop == nil,
            "PostgresAuditTrail.appendBatch blocks its caller: never call it on an event loop")
        if records.isEmpty { return [] }
        let outcome = BatchOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.result = .success(try await self.write(records)) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }

    /// A batch is a transaction awaited on postgres-nio's event loops: the proof issuer awaits
    /// `writeBatch` rather than block a queue's thread in `appendBatch`.
    package var writesAsynchronously: Bool { true }

    /// `appendBatch` for async code: the same transaction, awaited, no thread blocked.
    package func writeBatch(_ records: [AuditRecord]) async throws -> [Int64] {
        try await write(records)
    }

    /// One batch's transaction: lock the head, chain and insert the records, extend the tree, add
    /// the tallies, move the head; commit.
    func write(_ records: [AuditRecord]) async throws(NoProofError) -> [Int64] {
        if records.isEmpty { return [] }
        let started = ContinuousClock.now
        let logger = self.logger
        let sequences = try await database.transaction { connection -> [Int64] in
            // The head row serialises every appender on the database, this instance's and the others'.
            let rows = try await connection.query("SELECT sequence, chain_hash FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger)
            var head: (Int64, ByteBuffer)?
            for try await row in rows { head = try row.decode((Int64, ByteBuffer).self) }
            guard let head else {
                throw NoProofError(.unavailable, "the audit trail's head row is missing (audit_head edited)")
            }
            let (last, stored) = head
            var previous = [UInt8](stored.readableBytesView)
            var scratch: [UInt8] = []
            scratch.reserveCapacity(512)
            var hashes: [[UInt8]] = []
            hashes.reserveCapacity(records.count)
            let sequences = Array((last + 1)...(last + Int64(records.count)))
            for (record, sequence) in zip(records, sequences) {
                previous = AuditChainHash.hash(previous: previous, record: record, sequence: sequence, scratch: &scratch)
                hashes.append(previous)
            }
            try await Self.insert(records, sequences: sequences, hashes: hashes, connection, logger: logger)
            try await Self.extendTree(connection, from: UInt64(last), leaves: hashes.map(AuditTree.leaf), logger: logger)
            try await Self.addTallies(SupervisionTally.counts(for: records), connection, logger: logger)
            try await connection.query(
                "UPDATE audit_head SET sequence = \(sequences[sequences.count - 1]), chain_hash = \(ByteBuffer(bytes: previous)) WHERE id = 1",
                logger: logger)
            return sequences
        }
        if let observer = batchObserver.withLock({ $0 }) { observer(records.count, ContinuousClock.now - started) }
        return sequences
    }

    /// The rows of a batch, in one statement (one array parameter per column).
    private static func insert(
        _ records: [AuditRecord], sequences: [Int64], hashes: [[UInt8]], _ connection: PostgresConnection, logger: Logger
    ) async throws {
        func column(_ value: (AuditRecord) -> String) -> [String] { records.map(value) }
        try await connection.query(
            """
            INSERT INTO audit_record (sequence, at_millis, unit_code, credential_id, staff, action, item_code, case_reference,
                                      holder_id, type_code, licence_id, result, proof_serial, counterpart_unit, chain_hash)
            SELECT * FROM unnest(\(sequences)::BIGINT[], \(records.map(\.atMillis))::BIGINT[], \(column(\.unitCode))::TEXT[],
                                 \(column(\.credentialID))::TEXT[], \(column(\.staff))::TEXT[], \(column(\.action.rawValue))::TEXT[],
                                 \(column(\.itemCode))::TEXT[], \(column(\.caseReference))::TEXT[], \(column(\.holderID))::TEXT[],
                                 \(column(\.typeCode))::TEXT[], \(column(\.licenceID))::TEXT[], \(column(\.result.rawValue))::TEXT[],
                                 \(column(\.proofSerial))::TEXT[], \(column(\.counterpartUnit))::TEXT[],
                                 \(hashes.map { ByteBuffer(bytes: $0) })::BYTEA[])
            """, logger: logger)
    }

    /// Adds `counts` to the supervision tallies (inside the batch's transaction, under the head lock).
    private static func addTallies(_ counts: [SupervisionTally.Key: Int64], _ connection: PostgresConnection, logger: Logger) async throws {
        if counts.isEmpty { return }
        let keys = Array(counts.keys)
        try await connection.query(
            """
            INSERT INTO supervision_tally (day, unit_code, metric, count)
            SELECT * FROM unnest(\(keys.map { Int32($0.day) })::INTEGER[], \(keys.map(\.unitCode))::TEXT[],
                                 \(keys.map(\.metric))::TEXT[], \(keys.map { counts[$0]! })::BIGINT[])
            ON CONFLICT (day, unit_code, metric) DO UPDATE SET count = supervision_tally.count + excluded.count
            """, logger: logger)
    }

    // MARK: - Reading

    package func head() async throws -> AuditHead {
        let logger = self.logger
        return try await database.withConnection { connection in
            let rows = try await connection.query("SELECT sequence, chain_hash FROM audit_record ORDER BY sequence DESC LIMIT 1", logger: logger)
            for try await (sequence, hash) in rows.decode((Int64, ByteBuffer).self) {
                return AuditHead(sequence: sequence, hash: [UInt8](hash.readableBytesView))
            }
            return AuditHead(sequence: 0, hash: AuditChainHash.genesis)
        }
    }

    package func count() async throws -> Int {
        let logger = self.logger
        return try await database.withConnection { connection in
            for try await count in try await connection.query("SELECT COUNT(*) FROM audit_record", logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// The columns `record(_:)` reads, in its order.
    static let columns = """
        sequence, at_millis, unit_code, credential_id, staff, action, item_code, case_reference, holder_id, type_code,
        licence_id, result, proof_serial, counterpart_unit, chain_hash
        """

    /// A record from a row of `columns` (the chain hash, last, is not part of it).
    static func record(_ row: PostgresRow) throws -> AuditRecord {
        let cells = Array(row)
        func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
        var record = AuditRecord(
            atMillis: try cells[1].decode(Int64.self), unitCode: try text(2), credentialID: try text(3), staff: try text(4),
            action: AuditAction(rawValue: try text(5)), itemCode: try text(6), caseReference: try text(7), holderID: try text(8),
            typeCode: try text(9), licenceID: try text(10), result: AuditResult(rawValue: try text(11)), proofSerial: try text(12),
            counterpartUnit: try text(13))
        record.sequence = try cells[0].decode(Int64.self)
        return record
    }

    /// The records of a query selecting `columns`.
    static func records(_ rows: PostgresRowSequence) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for try await row in rows { records.append(try record(row)) }
        return records
    }

    package func records(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.records(
                connection.query(
                    "SELECT \(unescaped: Self.columns) FROM audit_record WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(max(0, limit))",
                    logger: logger))
        }
    }

    package func records(aboutHolder holderID: String, actions: [AuditAction], before: Int64?, limit: Int) async throws -> [AuditRecord] {
        let logger = self.logger
        let before = before ?? Int64.max
        let actions = actions.map(\.rawValue)
        return try await database.withConnection { connection in
            try await Self.records(
                connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM audit_record
                    WHERE holder_id = \(holderID) AND sequence < \(before) AND action = ANY(\(actions)::TEXT[])
                    ORDER BY sequence DESC LIMIT \(max(0, limit))
                    """, logger: logger))
        }
    }

    package func latestRecord(actions: [AuditAction], typeCode: String) async throws -> AuditRecord? {
        let logger = self.logger
        let actions = actions.map(\.rawValue)
        return try await database.withConnection { connection in
            try await Self.records(
                connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM audit_record
                    WHERE type_code = \(typeCode) AND action = ANY(\(actions)::TEXT[])
                    ORDER BY sequence DESC LIMIT 1
                    """, logger: logger)
            ).first
        }
    }

    /// Whether the trail records a proof issued: a found lookup or an answered verification request
    /// (checked at start when a seal key file is missing).
    package func recordsIssuedProofs() async throws -> Bool {
        let logger = self.logger
        return try await database.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM audit_record
                               WHERE (action = \(AuditAction.lookup.rawValue) AND result = \(AuditResult.found.rawValue))
                                  OR action = \(AuditAction.verificationAnswer.rawValue))
                """, logger: logger)
            for try await exists in rows.decode(Bool.self) { return exists }
            return false
        }
    }

    package func tallies(fromDay: Int, throughDay: Int, unitCode: String?) async throws -> [String: [String: Int64]] {
        let logger = self.logger
        return try await database.withConnection { connection in
            let from = Int32(clamping: fromDay), through = Int32(clamping: throughDay)
            let query: PostgresQuery
            if let unitCode {
                query = """
                    SELECT unit_code, metric, SUM(count)::BIGINT FROM supervision_tally
                    WHERE day BETWEEN \(from) AND \(through) AND unit_code = \(unitCode)
                    GROUP BY unit_code, metric
                    """
            } else {
                query = """
                    SELECT unit_code, metric, SUM(count)::BIGINT FROM supervision_tally
                    WHERE day BETWEEN \(from) AND \(through)
                    GROUP BY unit_code, metric
                    """
            }
            var result: [String: [String: Int64]] = [:]
            for try await (unit, metric, count) in try await connection.query(query, logger: logger).decode((String, String, Int64).self) {
                result[unit, default: [:]][metric] = count
            }
            return result
        }
    }
}

/// Where a synchronous `appendBatch` finds its transaction's outcome (written before the semaphore
/// is signalled, read after the wait returns).
private final class BatchOutcome: @unchecked Sendable {
    var result: Result<[Int64], any Error>?
}

/// The trail the append queue writes to: the queue is made in `init` before `self` may be captured
/// (weak: the queue does not keep the trail alive).
private final class Target: @unchecked Sendable {
    weak var trail: PostgresAuditTrail?
}
