import Foundation
import GRDB
import NoProofSeals
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

/// The audit log's Merkle tree, signed heads and witnesses (issue 15): the tree matches its
/// records at every size, proofs verify, and the insider attacks — deleting, truncating,
/// rewriting after the last witnessed head, a flipped byte in the WAL — are found with the
/// broken records named.
@Suite("Audit tree, signed heads and witnesses")
struct AuditTreeTests {
    static func record(_ index: Int, holder: String = "H") -> AuditRecord {
        AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: "U", credentialID: "c", staff: "s", action: .lookup,
            itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: holder, typeCode: "JMSFZ", result: .found)
    }

    struct Fixture {
        let directory: TemporaryDirectory
        let log: AuditLog
        let key: AuditSigningKey
        let witness: FileAuditWitness
        let witnessFolder: TemporaryDirectory
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let publisher: AuditHeadPublisher

        init() throws {
            directory = try TemporaryDirectory()
            log = try AuditLog(directory: directory.url)
            let seals = directory.url.appendingPathComponent("seals")
            try FileManager.default.createDirectory(at: seals, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            key = try AuditSigningKey.openOrCreate(directory: seals)
            witnessFolder = try TemporaryDirectory()
            witness = FileAuditWitness(path: witnessFolder.url.appendingPathComponent("heads.jsonl").path)
            let clock = self.clock
            publisher = AuditHeadPublisher(log: log, key: key, witnesses: [witness], clock: { clock.now })
        }

        func append(_ count: Int, from start: Int = 0) throws {
            _ = try log.appendBatch((start..<(start + count)).map { AuditTreeTests.record($0) })
        }

        func remove() {
            log.close()
            directory.remove()
            witnessFolder.remove()
        }
    }

    /// The tree's root recomputed from the stored chain hashes.
    static func rootFromChain(_ log: AuditLog, size: Int64) throws -> [UInt8] {
        var frontier = MerkleFrontier()
        if size > 0 {
            for sequence in 1...size {
                frontier.append(leaf: AuditTree.leaf(chainHash: try #require(try log.chainHash(at: sequence))))
            }
        }
        return frontier.root
    }

    @Test func theTreeMatchesItsRecordsAcrossStoredSubtreesAndProofsVerify() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        var total = 0
        for batch in [1, 7, 300, 255, 1, 1, 500, 3] {  // crosses several 256-record subtrees, and a level-9 node
            try fixture.append(batch, from: total)
            total += batch
            #expect(try fixture.log.treeRoot(size: UInt64(total)) == Self.rootFromChain(fixture.log, size: Int64(total)), "size \(total)")
        }
        for size in [1, 255, 256, 257, 511, 512, 513, 1000] where size <= total {
            #expect(try fixture.log.treeRoot(size: UInt64(size)) == Self.rootFromChain(fixture.log, size: Int64(size)), "size \(size)")
        }
        let head = try await fixture.publisher.publishNow()
        #expect(head.treeSize == UInt64(total))
        #expect(head.verifies(publicKey: fixture.key.publicKey))
        // Inclusion: the record's fields give its chain hash, its leaf and the signed root.
        for sequence in [1, 2, 256, 257, 700, Int64(total)] as [Int64] {
            let proof = try #require(try fixture.log.inclusionProof(sequence: sequence, treeSize: head.treeSize))
            #expect(AuditLog.chainHash(previous: proof.previousChainHash, record: proof.record) == proof.chainHash)
            let leaf = AuditTree.leaf(chainHash: proof.chainHash)
            #expect(MerkleTree.root(leaf: leaf, index: UInt64(sequence - 1), size: head.treeSize, path: proof.path) == head.root)
            var edited = proof.record
            edited.caseReference += "x"
            #expect(AuditLog.chainHash(previous: proof.previousChainHash, record: edited) != proof.chainHash)
        }
        // Consistency: each earlier tree is a prefix of the current one.
        for first in [1, 256, 300, 563, 1000] as [UInt64] where first <= head.treeSize {
            let proof = try fixture.log.consistencyProof(first: first, second: head.treeSize)
            #expect(
                MerkleTree.verifyConsistency(
                    first: first, second: head.treeSize, firstRoot: try fixture.log.treeRoot(size: first),
                    secondRoot: head.root, proof: proof))
        }
        #expect(try fixture.log.verifyTree(against: [head]).isIntact)
    }

    @Test func headsAreSignedWhenTheLogGrowsAndOnceAMinuteWhenIdle() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.append(3)
        let first = try #require(await fixture.publisher.tick())
        #expect(first.treeSize == 3)
        fixture.clock.advance(by: 1)
        #expect(await fixture.publisher.tick() == nil)  // nothing new
        try fixture.append(2, from: 3)
        fixture.clock.advance(by: 1)
        #expect(await fixture.publisher.tick()?.treeSize == 5)
        fixture.clock.advance(by: 59)
        #expect(await fixture.publisher.tick() == nil)
        fixture.clock.advance(by: 2)
        let idle = try #require(await fixture.publisher.tick())  // a minute idle: a fresh head of the same size
        #expect(idle.treeSize == 5)
        let held = try fixture.witness.heads()
        #expect(held.heads.map(\.treeSize) == [3, 5, 5])
        #expect(held.unreadable.isEmpty)
        #expect(try fixture.log.storedHeads().map(\.treeSize) == [3, 5, 5])
    }

    @Test func aFailingWitnessIsCountedAndTheOthersStillGetTheHead() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let broken = FileAuditWitness(path: "/nonexistent-folder-\(UUID().uuidString)/heads.jsonl")
        let publisher = AuditHeadPublisher(log: fixture.log, key: fixture.key, witnesses: [broken, fixture.witness])
        try fixture.append(4)
        let head = try await publisher.publishNow()
        #expect(publisher.witnessFailures.count == 1)
        #expect(publisher.witnessFailures.last?.contains("nonexistent-folder") == true)
        #expect(try await fixture.witness.latest() == head)
    }

    @Test func deletedTrailingRecordsAreFoundAgainstTheWitness() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.append(40)
        try await fixture.publisher.publishNow()
        try fixture.log.deleteForTesting(after: 31)  // and the counter wound back, so the chain alone verifies
        #expect(try fixture.log.verifyChain().isIntact)
        let problem = try #require(try await AuditWitnessCheck.problem(log: fixture.log, publicKey: fixture.key.publicKey, witnesses: [fixture.witness]))
        #expect(problem.contains("ends at record 31"))
        #expect(problem.contains("records 32–40 are missing"))
        let verification = try fixture.log.verifyTree(against: try fixture.witness.heads().heads)
        #expect("\(try #require(verification.firstMismatch))".contains("records 32–40 are missing"))
    }

    /// A tamperer with the schema: deletes record `sequence`, renumbers the later ones, recomputes
    /// every later chain hash (and, with `tree`, the stored subtrees), winds the counter back.
    static func deleteAndRecompute(_ directory: URL, sequence: Int64, tree: Bool) throws {
        let database = try DatabaseQueue(path: directory.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            try db.execute(sql: "DELETE FROM audit WHERE sequence = ?", arguments: [sequence])
            try db.execute(sql: "UPDATE audit SET sequence = -(sequence - 1) WHERE sequence > ?", arguments: [sequence])
            try db.execute(sql: "UPDATE audit SET sequence = -sequence WHERE sequence < 0")
            var previous =
                sequence == 1
                ? AuditChain.genesis : [UInt8](try Data.fetchOne(db, sql: "SELECT chain_hash FROM audit WHERE sequence = ?", arguments: [sequence - 1])!)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE sequence >= ? ORDER BY sequence", arguments: [sequence]) {
                let record = AuditLog.record(row)
                previous = AuditLog.chainHash(previous: previous, record: record)
                try db.execute(sql: "UPDATE audit SET chain_hash = ? WHERE sequence = ?", arguments: [Data(previous), record.sequence])
            }
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = (SELECT MAX(sequence) FROM audit) WHERE name = 'audit'")
            if tree { try AuditTree.rebuild(db) }
        }
    }

    @Test func aRewriteAfterTheLastWitnessedHeadIsFoundAndItsRangeNamed() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        // Heads at 300, 600 and 900 records, then record 700 deleted and everything after recomputed,
        // and one filler record appended so that the trail is as long as before.
        for step in 0..<3 {
            try fixture.append(300, from: step * 300)
            try await fixture.publisher.publishNow()
        }
        fixture.log.close()
        try Self.deleteAndRecompute(fixture.directory.url, sequence: 700, tree: true)
        let log = try AuditLog(directory: fixture.directory.url)
        defer { log.close() }
        _ = try log.appendBatch([Self.record(5000)])
        #expect(try log.verifyChain().isIntact)  // the chain alone cannot tell
        let problem = try #require(try await AuditWitnessCheck.problem(log: log, publicKey: fixture.key.publicKey, witnesses: [fixture.witness]))
        #expect(problem.contains("another root"))
        let verification = try log.verifyTree(against: try fixture.witness.heads().heads)
        #expect(verification.lastMatchingHead?.treeSize == 600)
        let mismatch = "\(try #require(verification.firstMismatch))"
        #expect(mismatch.contains("601–900"), "\(mismatch)")
        #expect(verification.firstSubtreeMismatch == nil)  // the tamperer rebuilt the tree too
    }

    @Test func aTamperThatLeavesTheStoredTreeNamesTheRecords() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.append(600)
        fixture.log.close()
        try Self.deleteAndRecompute(fixture.directory.url, sequence: 300, tree: false)
        let log = try AuditLog(directory: fixture.directory.url)
        defer { log.close() }
        let verification = try log.verifyTree(against: [])
        #expect(verification.firstSubtreeMismatch == 257...512)
    }

    @Test func aFlippedByteInTheWALThatLosesWitnessedRecordsRefusesTheTrail() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        for step in 0..<3 { try fixture.append(50, from: step * 50) }
        // The head goes to the witness only, so the last transaction in the WAL is the last batch of records.
        let tree = try fixture.log.currentTree()
        try fixture.witness.publish(fixture.key.sign(treeSize: tree.size, root: tree.root, timestampMillis: 1_800_000_000_000))
        // The files as a crash leaves them (the log still open: the WAL not checkpointed), minus -shm.
        let image = try TemporaryDirectory()
        defer { image.remove() }
        for name in ["audit.sqlite", "audit.sqlite-wal"] {
            try FileManager.default.copyItem(at: fixture.directory.url.appendingPathComponent(name), to: image.url.appendingPathComponent(name))
        }
        let wal = image.url.appendingPathComponent("audit.sqlite-wal")
        var bytes = [UInt8](try Data(contentsOf: wal))
        #expect(bytes.count > 4096)
        for offset in (bytes.count - 200)..<(bytes.count - 196) { bytes[offset] ^= 0xFF }
        try Data(bytes).write(to: wal)
        let recovered = try AuditLog(directory: image.url)
        defer { recovered.close() }
        #expect(try recovered.head().sequence < 150)  // SQLite dropped the damaged transaction silently
        #expect(try recovered.verifyChain().isIntact)  // and the chain cannot tell
        let problem = try #require(try await AuditWitnessCheck.problem(log: recovered, publicKey: fixture.key.publicKey, witnesses: [fixture.witness]))
        #expect(problem.contains("records \(try recovered.head().sequence + 1)–150 are missing"), "\(problem)")
    }

    @Test func aHeadFromAnotherKeyOrAnEditedWitnessIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.append(10)
        let head = try await fixture.publisher.publishNow()
        let otherFolder = try TemporaryDirectory()
        defer { otherFolder.remove() }
        let other = try AuditSigningKey.openOrCreate(directory: otherFolder.url)
        let problem = try #require(try await AuditWitnessCheck.problem(log: fixture.log, publicKey: other.publicKey, witnesses: [fixture.witness]))
        #expect(problem.contains("signed by audit key \(fixture.key.keyID)"))
        // A head edited in the witness file (smaller size, same signature) is refused.
        var edited = head
        edited.treeSize = 9
        try Data((edited.jsonLine + "\n").utf8).write(to: URL(fileURLWithPath: fixture.witness.path))
        let editedProblem = try #require(
            try await AuditWitnessCheck.problem(
                log: fixture.log, publicKey: fixture.key.publicKey,
                witnesses: [FileAuditWitness(path: fixture.witness.path)]))
        #expect(editedProblem.contains("does not carry a valid signature"))
    }

    @Test func anExistingTrailGetsItsTreeWhenMigrated() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try fixture.append(700)
        let expected = try fixture.log.treeRoot(size: 700)
        fixture.log.close()
        // As a trail written before the tree existed: no tree tables, migration v5 not applied.
        let database = try DatabaseQueue(path: fixture.directory.url.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            try db.execute(sql: "DROP TABLE audit_tree; DROP TABLE tree_heads")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v5%'")
        }
        try database.close()
        let reopened = try AuditLog(directory: fixture.directory.url)
        defer { reopened.close() }
        #expect(try reopened.treeRoot(size: 700) == expected)
        #expect(try reopened.verifyTree(against: []).isIntact)
    }
}

/// The supervision tallies are a view of the chained records: recomputed by `verifyTallies`, an
/// edited counter is named; the counterpart unit is chained, so its counts are recomputable too.
@Suite("Supervision tallies checked against the chain")
struct TallyVerificationTests {
    @Test func anEditedTallyIsFoundAndCounterpartUnitsAreChained() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        var filed = AuditTreeTests.record(1)
        filed.action = .verificationFile
        filed.result = .filed
        filed.counterpartUnit = "ISSUER"
        _ = try log.appendBatch([AuditTreeTests.record(0), filed, AuditTreeTests.record(2)])
        #expect(try log.verifyTallies().differences.isEmpty)
        // The counterpart unit is part of the chain: editing it breaks record 2.
        log.close()
        let database = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            try db.execute(sql: "UPDATE supervision_tally SET count = count - 1 WHERE metric = 'Lookup|found'")
        }
        let reopened = try AuditLog(directory: directory.url)
        let differences = try reopened.verifyTallies().differences
        #expect(differences.count == 1)
        #expect(differences.first?.contains("Lookup|found: stored 1, records give 2") == true, "\(differences)")
        #expect(try reopened.verifyChain().isIntact)
        reopened.close()
        try database.write { db in
            try db.execute(sql: "UPDATE audit SET counterpart_unit = 'OTHER' WHERE sequence = 2")
        }
        try database.close()
        let edited = try AuditLog(directory: directory.url)
        defer { edited.close() }
        #expect(try edited.verifyChain().firstBreak?.sequence == 2)
    }
}
