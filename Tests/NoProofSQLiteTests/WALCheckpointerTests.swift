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
}
