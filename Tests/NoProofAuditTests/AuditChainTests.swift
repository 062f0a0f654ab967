import Foundation
import GRDB
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

@Suite("Audit hash chain")
struct AuditChainTests {
    static func record(_ index: Int) -> AuditRecord {
        AuditRecord(
            atMillis: 1_700_000_000_000 + Int64(index), unitCode: "U\(index % 3)", credentialID: "c", staff: "s\(index % 5)",
            action: .lookup, itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: "370402199001011234",
            typeCode: "JMSFZ", licenceID: "L\(index)", result: .found, proofSerial: "P-\(index)")
    }

    /// A log of `count` records written in batches of 10; returns it and its directory.
    static func filledLog(_ count: Int) throws -> (AuditLog, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(directory: directory.url)
        for start in stride(from: 0, to: count, by: 10) {
            _ = try log.appendBatch((start..<min(count, start + 10)).map(Self.record))
        }
        return (log, directory)
    }

    /// Raw SQL on the file, as a tamperer with file access would do it.
    static func tamper(_ directory: TemporaryDirectory, _ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        try queue.write(body)
        try queue.close()
    }

    static func storedHash(_ directory: TemporaryDirectory, _ sequence: Int64) throws -> [UInt8] {
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in [UInt8](try Data.fetchOne(db, sql: "SELECT chain_hash FROM audit WHERE sequence = ?", arguments: [sequence])!) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func theEncodingMatchesTheDocumentedVectors() {
        // Computed independently (Python hashlib) from docs/AUDIT.md.
        var first = AuditRecord(
            atMillis: 1_700_000_000_000, unitCode: "91110000MA01ABCD1X", credentialID: "cred-1", staff: "staff-7",
            action: .lookup, itemCode: "ITEM-01", caseReference: "CASE-1", holderID: "370402199001011234",
            typeCode: "JMSFZ", licenceID: "L-1", result: .found, proofSerial: "P-1")
        first.sequence = 1
        let h1 = AuditLog.chainHash(previous: AuditChain.genesis, record: first)
        #expect(Self.hex(h1) == "dfde4434e7f2d223db461cda99288ff64254fff6c7df28b811ffccde94d70cc9")
        var second = AuditRecord(
            atMillis: -5, unitCode: "单位", credentialID: "", staff: "", action: AuditAction(rawValue: ""), itemCode: "", caseReference: "",
            holderID: "", typeCode: "", result: .denied)
        second.sequence = 2
        #expect(
            Self.hex(AuditLog.chainHash(previous: h1, record: second))
                == "1e0f4d4c82e964176ef5321b3e0b6b31be65e4baa5d8ffeb965b240d7f85a6ea")
        // Length prefixes: moving a character from one field to the next changes the hash.
        var shifted = first
        shifted.unitCode = "91110000MA01ABCD1"
        shifted.credentialID = "Xcred-1"
        #expect(AuditLog.chainHash(previous: AuditChain.genesis, record: shifted) != h1)
    }

    @Test func anEmptyLogVerifiesWithTheGenesisHead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        let result = try log.verifyChain()
        #expect(result.isIntact && result.recordsChecked == 0)
        #expect(result.head == AuditHead(sequence: 0, hash: AuditChain.genesis))
        #expect(try log.head() == result.head)
        log.close()
    }

    @Test func theChainVerifiesAfterBatchesFromConcurrentAppenders() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url, maxBatch: 7)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Group-commit appenders...
            for index in 0..<400 {
                group.addTask { _ = try await log.append(Self.record(index)) }
            }
            // ...racing with callers that write their own batches (as the proof issuer does).
            for batch in 0..<8 {
                group.addTask {
                    for round in 0..<5 {
                        _ = try log.appendBatch((0..<10).map { Self.record(10_000 + batch * 100 + round * 10 + $0) })
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try log.count() == 800)
        for pageSize in [4096, 7, 1] {
            let result = try log.verifyChain(pageSize: pageSize)
            #expect(result.isIntact, "\(String(describing: result.firstBreak))")
            #expect(result.recordsChecked == 800)
            #expect(result.head.sequence == 800)
            #expect(try result.head == log.head())
        }
        // Anchoring: the head verifies as an anchor, and so does an earlier record's hash.
        let head = try log.head()
        #expect(try log.verifyChain(anchor: head).isIntact)
        let earlier = AuditHead(sequence: 100, hash: try Self.storedHash(directory, 100))
        #expect(try log.verifyChain(anchor: earlier).isIntact)
        var wrong = earlier
        wrong.hash[0] ^= 1
        #expect(try log.verifyChain(anchor: wrong).firstBreak == ChainBreak(sequence: 100, reason: .anchorMismatch))
        log.close()
    }

    @Test func anEditedFieldIsFoundAtItsSequence() throws {
        let (log, directory) = try Self.filledLog(60)
        defer { directory.remove() }
        #expect(try log.verifyChain().isIntact)
        try Self.tamper(directory) { db in
            try db.execute(sql: "UPDATE audit SET holder_id = '110101198001010011' WHERE sequence = 37")
        }
        let result = try log.verifyChain(pageSize: 8)
        #expect(result.firstBreak == ChainBreak(sequence: 37, reason: .hashMismatch))
        #expect(result.recordsChecked == 36)
        #expect(result.head.sequence == 36)
        // A changed type (a number where text belongs) is named too.
        try Self.tamper(directory) { db in try db.execute(sql: "UPDATE audit SET at_millis = 'yesterday' WHERE sequence = 12") }
        #expect(try log.verifyChain().firstBreak == ChainBreak(sequence: 12, reason: .malformedField("at_millis")))
        log.close()
    }

    @Test func aDeletedRowIsFoundAsAGap() throws {
        let (log, directory) = try Self.filledLog(50)
        defer { directory.remove() }
        try Self.tamper(directory) { db in try db.execute(sql: "DELETE FROM audit WHERE sequence IN (20, 21)") }
        let result = try log.verifyChain()
        #expect(result.firstBreak == ChainBreak(sequence: 20, reason: .sequenceGap(resumesAt: 22)))
        #expect(result.firstBreak?.description.contains("records 20–21 are missing") == true)
        #expect(result.recordsChecked == 19)
        log.close()
    }

    @Test func deletedFirstAndLastRowsAreFound() throws {
        let (log, directory) = try Self.filledLog(30)
        defer { directory.remove() }
        try Self.tamper(directory) { db in try db.execute(sql: "DELETE FROM audit WHERE sequence >= 28") }
        #expect(try log.verifyChain().firstBreak == ChainBreak(sequence: 28, reason: .trailingRowsDeleted(through: 30)))
        // Hiding that too (resetting the counter) is still caught by an anchor published before.
        let anchor = AuditHead(sequence: 30, hash: [UInt8](repeating: 7, count: 32))
        try Self.tamper(directory) { db in try db.execute(sql: "UPDATE sqlite_sequence SET seq = 27 WHERE name = 'audit'") }
        #expect(try log.verifyChain().isIntact)
        #expect(try log.verifyChain(anchor: anchor).firstBreak == ChainBreak(sequence: 30, reason: .anchorMissing))
        try Self.tamper(directory) { db in try db.execute(sql: "DELETE FROM audit WHERE sequence = 1") }
        #expect(try log.verifyChain().firstBreak == ChainBreak(sequence: 1, reason: .sequenceGap(resumesAt: 2)))
        log.close()
    }

    @Test func aRowRewrittenWithARecomputedHashBreaksTheNextLink() throws {
        let (log, directory) = try Self.filledLog(40)
        defer { directory.remove() }
        // The tamperer knows the algorithm: edits record 25 and recomputes its hash, but not the later ones.
        let previous = try Self.storedHash(directory, 24)
        var forged = Self.record(24)
        forged.sequence = 25
        forged.result = .notFound
        let forgedHash = AuditLog.chainHash(previous: previous, record: forged)
        try Self.tamper(directory) { db in
            try db.execute(sql: "UPDATE audit SET result = 'not_found', chain_hash = ? WHERE sequence = 25", arguments: [Data(forgedHash)])
        }
        let result = try log.verifyChain()
        #expect(result.firstBreak == ChainBreak(sequence: 26, reason: .hashMismatch))
        #expect(result.recordsChecked == 25)
        log.close()
    }

    @Test func swappedRowsAndMissingHashesAreFound() throws {
        let (log, directory) = try Self.filledLog(20)
        defer { directory.remove() }
        // Swap the whole contents (hashes included) of records 5 and 6: the sequence is part of the hash.
        try Self.tamper(directory) { db in
            try db.execute(sql: "UPDATE audit SET sequence = -6 WHERE sequence = 6")
            try db.execute(sql: "UPDATE audit SET sequence = 6 WHERE sequence = 5")
            try db.execute(sql: "UPDATE audit SET sequence = 5 WHERE sequence = -6")
        }
        #expect(try log.verifyChain().firstBreak == ChainBreak(sequence: 5, reason: .hashMismatch))
        try Self.tamper(directory) { db in try db.execute(sql: "UPDATE audit SET chain_hash = NULL WHERE sequence = 3") }
        #expect(try log.verifyChain().firstBreak == ChainBreak(sequence: 3, reason: .missingHash))
        log.close()
    }

    @Test func aVersionOneDatabaseIsBackfilledIntoAVerifyingChain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("audit.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try AuditLog.migrator.migrate(queue, upTo: "v1: audit records")
            try queue.write { db in
                #expect(try !db.columns(in: "audit").contains { $0.name == "chain_hash" })
                for index in 0..<(AuditChain.pageSize + 30) {
                    let r = Self.record(index)
                    try db.execute(
                        sql: """
                            INSERT INTO audit (at_millis, unit_code, credential_id, staff, action, item_code, case_reference,
                                               holder_id, type_code, licence_id, result, proof_serial)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            r.atMillis, r.unitCode, r.credentialID, r.staff, r.action.rawValue, r.itemCode, r.caseReference,
                            r.holderID, r.typeCode, r.licenceID, r.result.rawValue, r.proofSerial,
                        ])
                }
            }
            try queue.close()
        }
        // Offline verification refuses an unchained trail rather than calling it intact.
        #expect(throws: AuditLogError.self) { try AuditLog.openReadOnly(directory: directory.url) }
        let total = AuditChain.pageSize + 30
        let log = try AuditLog(directory: directory.url)
        let result = try log.verifyChain()
        #expect(result.isIntact, "\(String(describing: result.firstBreak))")
        #expect(result.recordsChecked == total)
        // The backfilled hashes are exactly what the writer would have computed.
        var previous = AuditChain.genesis
        for index in 0..<total {
            var r = Self.record(index)
            r.sequence = Int64(index + 1)
            previous = AuditLog.chainHash(previous: previous, record: r)
        }
        #expect(result.head == AuditHead(sequence: Int64(total), hash: previous))
        // New records continue the chain.
        _ = try log.appendBatch([Self.record(99_999)])
        #expect(try log.verifyChain().recordsChecked == total + 1)
        log.close()
        // And the read-only opening verifies the same.
        let readOnly = try AuditLog.openReadOnly(directory: directory.url)
        #expect(try readOnly.verifyChain().head == log.head())
        #expect(throws: (any Error).self) { try readOnly.appendBatch([Self.record(1)]) }
    }

    @Test func anchorsParseAndPrint() {
        let head = AuditHead(sequence: 42, hash: (0..<32).map { UInt8($0) })
        #expect(AuditHead(parsing: head.description) == head)
        #expect(AuditHead(parsing: "42:abc") == nil)
        #expect(AuditHead(parsing: "x:" + String(repeating: "0", count: 64)) == nil)
        #expect(AuditHead(parsing: "1:" + String(repeating: "zz", count: 32)) == nil)
    }
}
