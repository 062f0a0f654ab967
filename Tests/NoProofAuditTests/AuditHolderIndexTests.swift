import Foundation
import GRDB
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

/// The holder index lives in its own file and follows the log; "who looked at me" must give the
/// same exact answer whatever part of the log the index covers at that moment.
@Suite("The audit trail's holder index")
struct AuditHolderIndexTests {
    static let holders = ["370402199001011234", "110101199003076532", "91350100M000100Y43"]
    static let actions: [AuditAction] = [.lookup, .getLicence, .supervisionWhoLooked, .verificationFile]

    static func record(_ index: Int) -> AuditRecord {
        // Every seventh record has no holder (a start-up record, say); the rest cycle unevenly.
        let holder = index % 7 == 6 ? "" : holders[(index * index + index / 3) % holders.count]
        return AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: "U", credentialID: "c", staff: "s",
            action: actions[(index / 2) % actions.count], itemCode: "ITEM", caseReference: "CASE",
            holderID: holder, typeCode: "JMSFZ", result: .found)
    }

    /// The answer worked out from the records themselves.
    static func expected(_ log: AuditLog, holder: String, actions: [AuditAction], before: Int64?, limit: Int) throws -> [Int64] {
        let all = try log.records(after: 0, limit: 100_000)
        return Array(
            all.filter { $0.holderID == holder && actions.contains($0.action) && $0.sequence < (before ?? .max) }
                .map(\.sequence).reversed().prefix(limit))
    }

    static func checkEveryQuery(_ log: AuditLog) throws {
        for holder in holders + ["nobody"] {
            for actions: [AuditAction] in [[.lookup], [.lookup, .getLicence], actions, []] {
                for before in [nil, Int64(40), Int64(95), Int64(1)] {
                    for limit in [0, 1, 5, 200] {
                        let got = try log.records(aboutHolder: holder, actions: actions, before: before, limit: limit).map(\.sequence)
                        let want = try expected(log, holder: holder, actions: actions, before: before, limit: limit)
                        #expect(got == want, "holder \(holder) actions \(actions) before \(before.map(String.init) ?? "-") limit \(limit)")
                    }
                }
            }
        }
    }

    /// Writes `count` records through a log in `directory` and closes it.
    static func writeAndClose(_ directory: TemporaryDirectory, _ records: Range<Int>) throws {
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch(records.map(Self.record))
        log.close()
    }

    /// Index covering nothing, part of the log, and all of it: the same answers.
    @Test func answersAreExactWhateverTheIndexCovers() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch((0..<60).map(Self.record))
        try Self.checkEveryQuery(log)  // (the index may or may not have caught up yet)
        try log.catchUpHolderIndex()
        #expect(try log.holderIndexReach() == 60)
        _ = try log.appendBatch((60..<120).map(Self.record))
        try Self.checkEveryQuery(log)  // 60 indexed, the rest read from the log
        try log.catchUpHolderIndex()
        #expect(try log.holderIndexReach() == 120)
        try Self.checkEveryQuery(log)  // all indexed
        log.close()
    }

    /// After a commit the index catches up by itself, a moment later.
    @Test func theIndexFollowsTheLogByItself() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch((0..<30).map(Self.record))
        let giveUp = ContinuousClock.now + .seconds(30)
        while try log.holderIndexReach() < 30, ContinuousClock.now < giveUp { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try log.holderIndexReach() == 30)
        log.close()
    }

    /// Catching up reads the trail but never takes its write lock: with the audit writer inside a
    /// transaction, the index still catches up (and so never makes a lookup's commit wait).
    @Test func catchingUpNeverTakesTheTrailsWriteLock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch((0..<20).map(Self.record))
        let writer = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM supervision_tally WHERE 0")
            try log.catchUpHolderIndex()
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try log.holderIndexReach() == 20)
        log.close()
    }

    /// The index is derived data: deleted, it is rebuilt from the log at the next start.
    @Test func aDeletedIndexIsRebuilt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeAndClose(directory, 0..<50)
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: directory.url.appendingPathComponent(AuditHolderIndex.fileName + suffix))
        }
        let log = try AuditLog(directory: directory.url)
        try Self.checkEveryQuery(log)
        try log.catchUpHolderIndex()
        #expect(try log.holderIndexReach() == 50)
        try Self.checkEveryQuery(log)
        log.close()
    }

    /// A damaged index file does not stop the log from opening: it is deleted and rebuilt.
    @Test func aDamagedIndexIsRebuilt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.writeAndClose(directory, 0..<50)
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(at: directory.url.appendingPathComponent(AuditHolderIndex.fileName + suffix))
        }
        try Data(repeating: 0x5A, count: 8192).write(to: directory.url.appendingPathComponent(AuditHolderIndex.fileName))
        let log = try AuditLog(directory: directory.url)
        try Self.checkEveryQuery(log)
        try log.catchUpHolderIndex()
        #expect(try log.holderIndexReach() == 50)
        try Self.checkEveryQuery(log)
        log.close()
    }

    /// An index that reaches further than the log (the audit file was replaced by an older copy)
    /// is emptied and rebuilt, not trusted.
    @Test func anIndexAheadOfTheLogIsRebuilt() throws {
        let longer = try TemporaryDirectory(), shorter = try TemporaryDirectory()
        defer { longer.remove(); shorter.remove() }
        try Self.writeAndClose(longer, 0..<80)
        try Self.writeAndClose(shorter, 100..<130)
        for suffix in ["", "-wal", "-shm"] {
            let name = AuditHolderIndex.fileName + suffix
            try? FileManager.default.removeItem(at: shorter.url.appendingPathComponent(name))
            if FileManager.default.fileExists(atPath: longer.url.appendingPathComponent(name).path) {
                try FileManager.default.copyItem(at: longer.url.appendingPathComponent(name), to: shorter.url.appendingPathComponent(name))
            }
        }
        let log = try AuditLog(directory: shorter.url)
        #expect(try log.holderIndexReach() <= 30)
        try Self.checkEveryQuery(log)
        try log.catchUpHolderIndex()
        #expect(try log.holderIndexReach() == 30)
        try Self.checkEveryQuery(log)
        log.close()
    }

    /// A log written before this change had `audit_by_holder` inside audit.sqlite: the migration
    /// drops it and the records are indexed in the new file.
    @Test func anOlderLogLosesItsInFileIndexAndIsIndexed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
            try AuditLog.migrator.migrate(queue, upTo: "v3: supervision tallies")
            #expect(try queue.read { db in try db.indexes(on: "audit").contains { $0.name == "audit_by_holder" } })
        }
        try Self.writeAndClose(directory, 0..<40)
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        #expect(try queue.read { db in try db.indexes(on: "audit").contains { $0.name == "audit_by_holder" } } == false)
        let log = try AuditLog(directory: directory.url)
        #expect(try log.holderIndexReach() == 40)  // caught up at the previous close
        try Self.checkEveryQuery(log)
        log.close()
    }
}
