import Foundation
import GRDB
import NoProofTestSupport
import Synchronization
import Testing

@testable import NoProofSQLite

@Suite struct WALCheckpointerTests {
    /// A WAL database whose writer never checkpoints by itself, as the audit trail's.
    private static func writer(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)") }
        return queue
    }

    private static func writeRows(_ queue: DatabaseQueue, _ count: Int) throws {
        try queue.write { db in
            for _ in 0..<count {
                try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: [Data(repeating: 7, count: 2000)])
            }
        }
    }

    private static func walSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    @Test func aPassiveCheckpointCopiesEveryFrameAndTheWALIsReused() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            let checkpointer = try WALCheckpointer(path: path, label: "test.checkpointer")
            try Self.writeRows(queue, 500)
            let first = try checkpointer.checkpointNow()
            #expect(first.walFrames > 100)
            #expect(first.complete)
            let size = Self.walSize(path)
            // Write and checkpoint the same amount again and again: the WAL starts over each time.
            for _ in 0..<5 {
                try Self.writeRows(queue, 500)
                #expect(try checkpointer.checkpointNow().complete)
            }
            #expect(Self.walSize(path) <= size + 65536)
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 3000)
        }
    }

    @Test func withoutTheCheckpointerTheWALGrows() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            try Self.writeRows(queue, 500)
            let size = Self.walSize(path)
            for _ in 0..<5 { try Self.writeRows(queue, 500) }
            // The control for the test above: the writer alone never reuses its WAL.
            #expect(Self.walSize(path) > size * 4)
        }
    }

    @Test func theTimerCheckpointsWhileTheWriterGoesOn() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            let checkpointer = try WALCheckpointer(path: path, label: "test.checkpointer", interval: .milliseconds(20))
            let seen = Mutex<[WALCheckpointer.Checkpoint]>([])
            checkpointer.observe { outcome in
                if case .success(let checkpoint) = outcome { seen.withLock { $0.append(checkpoint) } }
            }
            checkpointer.start()
            defer { checkpointer.stop() }
            for _ in 0..<200 {
                try Self.writeRows(queue, 20)
                if seen.withLock({ $0.contains { $0.walFrames > 0 && $0.complete } }) { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(seen.withLock { $0.contains { $0.walFrames > 0 && $0.complete } })
        }
    }

    // MARK: letting the WAL start over under steady load

    private static func checkpoint(_ walFrames: Int, _ checkpointed: Int) -> WALCheckpointer.Checkpoint {
        WALCheckpointer.Checkpoint(walFrames: walFrames, checkpointed: checkpointed, duration: .milliseconds(1))
    }

    @Test func theWriterIsAskedToFinishOnlyWhenTheWALIsLongAndLittleIsLeft() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            _ = try Self.writer(path)
            let checkpointer = try WALCheckpointer(path: path, label: "test.checkpointer", restartPages: 1000, finishPages: 100)
            // Short WAL: not worth a checkpoint on the commit path.
            checkpointer.timerSaw(Self.checkpoint(999, 950))
            #expect(!checkpointer.finishRequested)
            // Long WAL, but too much left to copy on the commit path.
            checkpointer.timerSaw(Self.checkpoint(5000, 4000))
            #expect(!checkpointer.finishRequested)
            // Long WAL, nearly copied: the writer is asked.
            checkpointer.timerSaw(Self.checkpoint(5000, 4950))
            #expect(checkpointer.finishRequested)
            // A later timer checkpoint that sees it no longer worth it withdraws the request.
            checkpointer.timerSaw(Self.checkpoint(6000, 1000))
            #expect(!checkpointer.finishRequested)
            // A drop in frames is a WAL that started over.
            #expect(checkpointer.walRestarts == 0)
            #expect(checkpointer.timerSaw(Self.checkpoint(200, 200)))
            #expect(checkpointer.walRestarts == 1)
            #expect(!checkpointer.timerSaw(Self.checkpoint(300, 300)))
        }
    }

    @Test func withRestartsOffTheWriterIsNeverAsked() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            let checkpointer = try WALCheckpointer(path: path, label: "test.checkpointer", restartPages: 0)
            checkpointer.timerSaw(Self.checkpoint(1_000_000, 1_000_000))
            #expect(!checkpointer.finishRequested)
            #expect(checkpointer.writerCommitted(queue) == nil)
        }
    }

    @Test func theWritersCheckpointLetsTheNextTransactionStartTheWALOver() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            let checkpointer = try WALCheckpointer(path: path, label: "test.checkpointer", restartPages: 64, finishPages: 1_000_000)
            let seen = Mutex<[WALCheckpointer.Checkpoint]>([])
            checkpointer.observe { outcome in
                if case .success(let checkpoint) = outcome { seen.withLock { $0.append(checkpoint) } }
            }
            try Self.writeRows(queue, 500)
            let size = Self.walSize(path)
            // Not asked: nothing runs on the writer.
            #expect(checkpointer.writerCommitted(queue) == nil)
            try Self.writeRows(queue, 500)
            #expect(Self.walSize(path) > size + size / 2)
            let grown = Self.walSize(path)
            // The timer saw a long WAL nearly copied: the writer's next call finishes the checkpoint.
            checkpointer.timerSaw(Self.checkpoint(grown / 4096, grown / 4096 - 10))
            let finished = try #require(checkpointer.writerCommitted(queue))
            #expect(finished.trigger == .writer)
            #expect(finished.walFrames > 100)
            #expect(finished.complete)
            #expect(seen.withLock { $0.map(\.trigger) } == [.writer])
            // Taken once: the call after does nothing.
            #expect(checkpointer.writerCommitted(queue) == nil)
            // The next transaction writes from the WAL's beginning: the file does not grow (it
            // would reach about one and a half times its size otherwise).
            try Self.writeRows(queue, 500)
            #expect(Self.walSize(path) <= grown)
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 1500)
        }
    }

    @Test func underBackToBackWritesTheWALStartsOver() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("db.sqlite").path
            let queue = try Self.writer(path)
            let checkpointer = try WALCheckpointer(
                path: path, label: "test.checkpointer", interval: .milliseconds(5), restartPages: 200, finishPages: 1_000_000)
            checkpointer.start()
            defer { checkpointer.stop() }
            // The writer never pauses, as the audit trail's under load; it gives the checkpointer
            // its turn between transactions. Stop once the WAL was seen starting over a few times.
            let deadline = ContinuousClock.now + .seconds(30)
            while checkpointer.walRestarts < 3 && ContinuousClock.now < deadline {
                try Self.writeRows(queue, 20)
                checkpointer.writerCommitted(queue)
                await Task.yield()
            }
            // Without the writer's part the WAL started over once in 8 s on a quiet machine; on a
            // loaded one the timer sometimes completes between two transactions by itself, so how
            // many restarts were the writer's is not asserted (the test above shows that it works).
            #expect(checkpointer.walRestarts >= 3)
        }
    }
}
