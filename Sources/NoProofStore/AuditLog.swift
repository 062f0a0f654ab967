import Dispatch
import Foundation
import GRDB
import Synchronization

/// The durable audit trail, in its own SQLite file (`audit.sqlite`, WAL, synchronous=FULL).
///
/// Records are committed in groups: whatever arrives while one commit is in flight goes into the
/// next transaction, so thousands of lookups per second cost a few fsyncs, and each caller is
/// told only after its record is on disk — the answer it guards leaves after that.
package final class AuditLog: Sendable {
    package typealias Completion = @Sendable (Result<Int64, Error>) -> Void

    private struct Pending {
        var records: [(AuditRecord, Completion)] = []
        var draining = false
        var closed = false
    }

    private let database: DatabaseQueue
    private let pending = Mutex(Pending())
    private let writer = DispatchQueue(label: "noproof.audit-writer")
    private let maxBatch: Int

    package init(directory: URL, maxBatch: Int = 2048) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabaseQueue(path: directory.appendingPathComponent("audit.sqlite").path, configuration: configuration)
        self.maxBatch = maxBatch
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit records") { db in
            try db.execute(sql: """
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
        try migrator.migrate(database)
    }

    /// Queues `record`; `completion` runs (on the writer's queue) once it is durable, with its sequence.
    package func append(_ record: AuditRecord, completion: @escaping Completion) {
        let startDrain: Bool = pending.withLock { state in
            if state.closed { return false }
            state.records.append((record, completion))
            if state.draining { return false }
            state.draining = true
            return true
        }
        if startDrain {
            writer.async { self.drain() }
        } else if pending.withLock({ $0.closed }) {
            completion(.failure(AuditLogError.closed))
        }
    }

    /// Appends and waits until the record is durable.
    package func append(_ record: AuditRecord) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            append(record) { continuation.resume(with: $0) }
        }
    }

    private func drain() {
        while true {
            let batch: [(AuditRecord, Completion)] = pending.withLock { state in
                if state.records.isEmpty {
                    state.draining = false
                    return []
                }
                let take = min(state.records.count, maxBatch)
                let batch = Array(state.records.prefix(take))
                state.records.removeFirst(take)
                return batch
            }
            if batch.isEmpty { return }
            do {
                let sequences = try appendBatch(batch.map(\.0))
                for ((_, completion), sequence) in zip(batch, sequences) { completion(.success(sequence)) }
            } catch {
                for (_, completion) in batch { completion(.failure(error)) }
            }
        }
    }

    /// Writes `records` in one transaction on the calling thread and returns their sequences once
    /// they are durable. For callers that batch themselves (the proof issuer seals and audits a
    /// batch together); others use `append`.
    package func appendBatch(_ records: [AuditRecord]) throws -> [Int64] {
        try database.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO audit (at_millis, unit_code, credential_id, staff, action, item_code, case_reference,
                                   holder_id, type_code, licence_id, result, proof_serial)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            return try records.map { record in
                try statement.execute(arguments: [
                    record.atMillis, record.unitCode, record.credentialID, record.staff, record.action, record.itemCode,
                    record.caseReference, record.holderID, record.typeCode, record.licenceID, record.result, record.proofSerial,
                ])
                return db.lastInsertedRowID
            }
        }
    }

    /// Stops taking records; waits for those queued to be written.
    package func close() {
        pending.withLock { $0.closed = true }
        writer.sync {}
        while pending.withLock({ $0.draining }) { writer.sync {} }
    }

    /// `PRAGMA synchronous` of the log's connection: 2 (FULL) — every commit is fsynced.
    package func synchronousLevel() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    package func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit") ?? 0 }
    }

    /// Records in sequence order after `sequence`.
    package func records(after sequence: Int64 = 0, limit: Int = 1000) throws -> [AuditRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [sequence, limit]).map { row in
                var record = AuditRecord(
                    atMillis: row["at_millis"], unitCode: row["unit_code"], credentialID: row["credential_id"], staff: row["staff"],
                    action: row["action"], itemCode: row["item_code"], caseReference: row["case_reference"],
                    holderID: row["holder_id"], typeCode: row["type_code"], licenceID: row["licence_id"],
                    result: row["result"], proofSerial: row["proof_serial"]
                )
                record.sequence = row["sequence"]
                return record
            }
        }
    }
}

package enum AuditLogError: Error, CustomStringConvertible {
    case closed
    package var description: String { "the audit log is closed (server shutting down)" }
}
