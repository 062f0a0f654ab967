import Foundation
import GRDB
import NoProofDomain
import NoProofTestSupport
import Synchronization
import Testing
@testable import NoProofSQLite

/// `noproofd backup`'s copy: a consistent snapshot of a WAL database that another connection
/// keeps writing, as a complete database file of its own.
@Suite("SQLiteBackup")
struct SQLiteBackupTests {
    @Test func aBackupTakenDuringWritesIsAConsistentCompleteDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = directory.url.appendingPathComponent("live.sqlite")
        let pool = try DatabasePool(path: source.path)
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL)")
            for i in 1...1000 { try db.execute(sql: "INSERT INTO t (pair) VALUES (?), (?)", arguments: [i, i]) }
        }
        // A writer that keeps adding pairs (two rows per transaction) while the backup runs.
        final class Flag: Sendable { let raised = Mutex(false) }
        let stop = Flag()
        let writer = Thread {
            var i = 1001
            while !stop.raised.withLock({ $0 }) {
                try? pool.write { db in try db.execute(sql: "INSERT INTO t (pair) VALUES (?), (?)", arguments: [i, i]) }
                i += 1
            }
        }
        writer.start()
        let copy = directory.url.appendingPathComponent("copy.sqlite")
        try SQLiteBackup.copy(source, to: copy)
        stop.raised.withLock { $0 = true }
        Thread.sleep(forTimeInterval: 0.05)
        // The copy opens alone (no WAL beside it), holds whole transactions only, and at least what was there before.
        #expect(!FileManager.default.fileExists(atPath: copy.path + "-wal"))
        let restored = try DatabaseQueue(path: copy.path)
        let (rows, unpaired) = try restored.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t")!,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT pair FROM t GROUP BY pair HAVING COUNT(*) != 2)")!
            )
        }
        #expect(rows >= 2000 && rows % 2 == 0)
        #expect(unpaired == 0)
        #expect(try restored.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        let mode = try FileManager.default.attributesOfItem(atPath: copy.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Never over an existing file.
        #expect(throws: NoProofError.self) { try SQLiteBackup.copy(source, to: copy) }
    }
}
