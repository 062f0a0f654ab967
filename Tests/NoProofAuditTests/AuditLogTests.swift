import Foundation
import GRDB
import NoProofSQLite
import NoProofTestSupport
import Synchronization
import Testing
@testable import NoProofAudit
import NoProofAuditChain

@Suite("AuditLog")
struct AuditLogTests {
    static func record(_ index: Int) -> AuditRecord {
        AuditRecord(
            atMillis: Int64(index), unitCode: "U\(index % 3)", credentialID: "c", staff: "s", action: .lookup,
            itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: "370402199001011234", typeCode: "JMSFZ",
            licenceID: "L\(index)", result: .found, proofSerial: "P-\(index)")
    }

    /// The chain's head is kept in memory between batches; a batch that fails — before it starts
    /// (another connection holds the write lock past the busy timeout) or half-way (a row refused
    /// after others were inserted, so the transaction rolls back) — must not move it: the next
    /// batch chains from the last committed record.
    @Test func aFailedBatchLeavesTheChainHeadAtTheLastCommittedRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url, busyTimeout: 0.05)
        #expect(try log.appendBatch([Self.record(1), Self.record(2)]) == [1, 2])
        let other = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        try other.inTransaction(.immediate) { _ in
            #expect(throws: (any Error).self) { try log.appendBatch([Self.record(3)]) }
            return .rollback
        }
        try other.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_case_4 BEFORE INSERT ON audit WHEN NEW.case_reference = 'CASE-4'
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                    """)
        }
        #expect(throws: (any Error).self) { try log.appendBatch([Self.record(3), Self.record(4)]) }
        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse_case_4") }
        try other.close()
        #expect(try log.appendBatch([Self.record(5), Self.record(6)]) == [3, 4])
        let head = try log.head()
        #expect(head.sequence == 4)
        #expect(try log.records(limit: 10).map(\.caseReference).sorted() == ["CASE-1", "CASE-2", "CASE-5", "CASE-6"])
        let verification = try log.verifyChain()
        #expect(verification.isIntact)
        #expect(verification.head == head)
    }

    @Test func everyRecordIsCommittedInOrderWithItsSequence() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url, maxBatch: 7)
        let sequences = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for index in 0..<500 {
                group.addTask { (index, try await log.append(Self.record(index))) }
            }
            var result: [Int: Int64] = [:]
            for try await (index, sequence) in group { result[index] = sequence }
            return result
        }
        #expect(Set(sequences.values).count == 500)
        #expect(try log.count() == 500)
        let stored = try log.records(limit: 1000)
        #expect(stored.map(\.sequence) == Array(1...500))
        for record in stored {
            let index = Int(record.caseReference.dropFirst(5))!
            var expected = Self.record(index)
            expected.sequence = sequences[index]!
            #expect(record == expected)
        }
        log.close()
    }

    @Test func recordsSurviveReopeningAndTheDatabaseIsFullySynchronous() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let log = try AuditLog(directory: directory.url)
            _ = try await log.append(Self.record(1))
            log.close()
        }
        let reopened = try AuditLog(directory: directory.url)
        #expect(try reopened.records().map(\.proofSerial) == ["P-1"])
        #expect(try reopened.synchronousLevel() == 2)
        reopened.close()
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        let mode = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// Issue 19: no commit of the trail runs a checkpoint; the background checkpointer copies the WAL.
    @Test func theWriterNeverCheckpointsInACommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        defer { log.close() }
        #expect(try log.autoCheckpointPages() == 0)
        let checkpoints = Mutex<[WALCheckpointer.Checkpoint]>([])
        log.observeCheckpoints { outcome in
            if case .success(let checkpoint) = outcome { checkpoints.withLock { $0.append(checkpoint) } }
        }
        for round in 0..<100 {
            _ = try await log.append(Self.record(round))
            if checkpoints.withLock({ $0.contains { $0.walFrames > 0 && $0.complete } }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(checkpoints.withLock { $0.contains { $0.walFrames > 0 && $0.complete } })
    }

    @Test func appendsAfterCloseFailClearly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        log.close()
        await #expect(throws: AuditLogError.self) { _ = try await log.append(Self.record(1)) }
    }
}
