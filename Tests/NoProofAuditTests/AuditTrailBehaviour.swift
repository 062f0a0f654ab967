import Foundation
import NoProofAudit
import NoProofAuditChain
import NoProofSeals
import NoProofTestSupport
import Testing

/// The audit trail's behaviour through the `AuditTrail` seam alone, run on each backend by
/// `SQLiteAuditTrailTests` and `PostgresAuditTrailTests`. Batches are written as noproofd's start
/// writes them, through `writeBatch`, which never parks a thread of the cooperative pool.
enum AuditTrailBehaviour {
    static func record(_ index: Int, holder: String, action: AuditAction, unit: String = "U", counterpart: String = "") -> AuditRecord {
        AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: unit, credentialID: "c", staff: "s", action: action,
            itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: holder, typeCode: "JMSFZ", result: .found,
            counterpartUnit: counterpart)
    }

    /// One record, two batches, the callback append; the reads, tallies and chain verification.
    static func appendsAndReads(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, _ in
            #expect(try await trail.head() == AuditHead(sequence: 0, hash: AuditChainHash.genesis))
            #expect(try await trail.writeBatch([record(1, holder: "A", action: .lookup), record(2, holder: "B", action: .lookup)]) == [1, 2])
            #expect(try await trail.append(record(3, holder: "A", action: .getLicence)) == 3)
            let fourth: Int64 = try await withCheckedThrowingContinuation { continuation in
                trail.append(record(4, holder: "A", action: .supervisionWhoLooked)) { continuation.resume(with: $0) }
            }
            #expect(fourth == 4)
            #expect(try await trail.writeBatch([]) == [])
            #expect(try await trail.count() == 4)
            #expect(try await trail.records(after: 1, limit: 2).map(\.sequence) == [2, 3])
            #expect(try await trail.records(after: 0, limit: 10).map(\.caseReference) == ["CASE-1", "CASE-2", "CASE-3", "CASE-4"])
            #expect(try await trail.records(aboutHolder: "A", actions: [.lookup, .getLicence], before: nil, limit: 10).map(\.sequence) == [3, 1])
            #expect(try await trail.records(aboutHolder: "A", actions: [.lookup, .getLicence], before: 3, limit: 10).map(\.sequence) == [1])
            #expect(
                try await trail.records(aboutHolder: "A", actions: [.lookup, .getLicence, .supervisionWhoLooked], before: nil, limit: 2).map(\.sequence) == [
                    4, 3,
                ])
            #expect(try await trail.records(aboutHolder: "C", actions: [.lookup], before: nil, limit: 10).isEmpty)
            #expect(try await trail.latestRecord(actions: [.lookup], typeCode: "JMSFZ")?.sequence == 2)
            #expect(try await trail.latestRecord(actions: [.lookup], typeCode: "OTHER") == nil)
            let day = SupervisionTally.day(ofMillis: 1_793_462_400_000)
            #expect(try await trail.tallies(fromDay: day, throughDay: day, unitCode: "U")["U"]?["Lookup|found"] == 2)
            #expect(try await trail.tallies(fromDay: day + 1, throughDay: day + 2, unitCode: nil).isEmpty)
            let head = try await trail.head()
            #expect(head.sequence == 4)
            #expect(
                head.hash == (try await trail.records(after: 0, limit: 10)).reduce(AuditChainHash.genesis) { AuditChainHash.hash(previous: $0, record: $1) })
            #expect(try await trail.verifyChain(anchor: head).isIntact)
            // An anchor the chain does not carry is a break, through the seam as directly.
            let forged = AuditHead(sequence: 2, hash: [UInt8](repeating: 7, count: 32))
            #expect(try await trail.verifyChain(anchor: forged).firstBreak == ChainBreak(sequence: 2, reason: .anchorMismatch))
            #expect(try await trail.verifyChain(anchor: AuditHead(sequence: 9, hash: head.hash)).firstBreak == ChainBreak(sequence: 9, reason: .anchorMissing))
        }
    }

    /// A record with a counterpart unit counts for both units; the tallies add up across batches.
    static func talliesCountBothUnits(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, _ in
            _ = try await trail.writeBatch([
                record(1, holder: "A", action: .verificationFile, unit: "REQ", counterpart: "ISS"),
                record(2, holder: "A", action: .lookup, unit: "REQ"),
            ])
            _ = try await trail.append(record(3, holder: "B", action: .lookup, unit: "REQ"))
            let day = SupervisionTally.day(ofMillis: 1_793_462_400_000)
            let all = try await trail.tallies(fromDay: day, throughDay: day, unitCode: nil)
            let filed = SupervisionTally.metric(action: .verificationFile, result: .found)
            #expect(all["REQ"]?["Lookup|found"] == 2)
            #expect(all["REQ"]?[filed] == 1)
            #expect(all["ISS"]?[filed + SupervisionTally.counterpartSuffix] == 1)
            #expect(all["ISS"]?.count == 1)
            #expect(try await trail.tallies(fromDay: day, throughDay: day, unitCode: "ISS").keys.sorted() == ["ISS"])
        }
    }

    /// `audit-verify`'s tally check: the counters recomputed from the records match the stored
    /// ones; a counter edited behind the trail's back, and one deleted, are each named with both values.
    static func talliesVerifyAndAnEditedCounterIsNamed(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, fixture in
            _ = try await trail.writeBatch([
                record(1, holder: "A", action: .verificationFile, unit: "REQ", counterpart: "ISS"),
                record(2, holder: "A", action: .lookup, unit: "REQ"),
            ])
            _ = try await trail.append(record(3, holder: "B", action: .lookup, unit: "REQ"))
            let intact = try await fixture.verifyTallies(trail)
            #expect(intact.checked == 3)
            #expect(intact.differences.isEmpty)
            let day = SupervisionTally.day(ofMillis: 1_793_462_400_000)
            try await fixture.tamper(
                sqlite: "UPDATE supervision_tally SET count = 5 WHERE unit_code = 'REQ' AND metric = 'Lookup|found'",
                postgres: "UPDATE supervision_tally SET count = 5 WHERE unit_code = 'REQ' AND metric = 'Lookup|found'")
            try await fixture.tamper(
                sqlite: "DELETE FROM supervision_tally WHERE unit_code = 'ISS'", postgres: "DELETE FROM supervision_tally WHERE unit_code = 'ISS'")
            let edited = try await fixture.verifyTallies(trail)
            let filed = SupervisionTally.metric(action: .verificationFile, result: .found) + SupervisionTally.counterpartSuffix
            #expect(
                edited.differences == [
                    "day \(day) unit ISS \(filed): stored 0, records give 1",
                    "day \(day) unit REQ Lookup|found: stored 5, records give 2",
                ])
        }
    }

    /// Records and their tree survive closing and reopening the trail; the chain goes on.
    static func survivesReopening(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.using(try backend.makeFixture()) { fixture in
            let first = try await fixture.open()
            _ = try await first.writeBatch((1...300).map { record($0, holder: "H\($0 % 7)", action: .lookup) })
            let root = try await first.treeRoot(size: 300)
            try await fixture.closeAll()
            let again = try await fixture.open()
            #expect(try await again.count() == 300)
            #expect(try await again.treeRoot(size: 300) == root)
            #expect(try await again.append(record(301, holder: "H0", action: .lookup)) == 301)
            let verified = try await again.verifyChain(anchor: nil)
            #expect(verified.isIntact && verified.recordsChecked == 301)
        }
    }

    /// The tree's roots, inclusion and consistency proofs, checked against the chain hashes alone
    /// (the tree recomputed here from the records) over sizes that cross the stored 256-leaf subtrees.
    static func treeProofsVerify(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, _ in
            // Batches of uneven sizes, so blocks complete in the middle of a batch and across batches.
            var index = 0
            for size in [1, 200, 57, 300, 2, 1, 200] {
                _ = try await trail.writeBatch(
                    (0..<size).map { _ in
                        index += 1
                        return record(index, holder: "H", action: .lookup)
                    })
            }
            #expect(index == 761)
            let records = try await trail.records(after: 0, limit: 1000)
            var previous = AuditChainHash.genesis
            var leaves: [[UInt8]] = []
            for record in records {
                previous = AuditChainHash.hash(previous: previous, record: record)
                leaves.append(AuditChainHash.leaf(chainHash: previous))
            }
            func root(_ size: Int) -> [UInt8] {
                var frontier = MerkleFrontier()
                for leaf in leaves.prefix(size) { frontier.append(leaf: leaf) }
                return frontier.root
            }
            #expect(try await trail.treeRoot(size: 0) == MerkleTree.emptyRoot)
            for size in [1, 255, 256, 257, 511, 512, 513, 700, 761] {
                #expect(try await trail.treeRoot(size: UInt64(size)) == root(size), "root of \(size)")
            }
            await #expect(throws: (any Error).self) { _ = try await trail.treeRoot(size: 762) }
            for (sequence, size) in [(1, 1), (1, 761), (256, 256), (257, 600), (512, 513), (700, 761), (761, 761)] {
                let proof = try #require(try await trail.inclusionProof(sequence: Int64(sequence), treeSize: UInt64(size)))
                #expect(proof.record == records[sequence - 1])
                #expect(proof.treeSize == UInt64(size))
                #expect(proof.previousChainHash == (sequence == 1 ? AuditChainHash.genesis : leavesChain(records, sequence - 1)))
                #expect(AuditChainHash.hash(previous: proof.previousChainHash, record: proof.record) == proof.chainHash)
                let implied = MerkleTree.root(
                    leaf: AuditChainHash.leaf(chainHash: proof.chainHash), index: UInt64(sequence - 1), size: UInt64(size), path: proof.path)
                #expect(implied == root(size), "inclusion of \(sequence) in \(size)")
            }
            #expect(try await trail.inclusionProof(sequence: 0, treeSize: 761) == nil)
            #expect(try await trail.inclusionProof(sequence: 600, treeSize: 500) == nil)
            #expect(try await trail.inclusionProof(sequence: 800, treeSize: 761) == nil)
            for (first, second) in [(0, 761), (1, 761), (255, 256), (256, 512), (300, 700), (513, 761), (761, 761)] {
                let proof = try await trail.consistencyProof(first: UInt64(first), second: UInt64(second))
                #expect(
                    MerkleTree.verifyConsistency(
                        first: UInt64(first), second: UInt64(second), firstRoot: root(first), secondRoot: root(second), proof: proof),
                    "consistency \(first) → \(second)")
            }
            await #expect(throws: (any Error).self) { _ = try await trail.consistencyProof(first: 1, second: 900) }
        }
    }

    /// The chain hash of record `sequence` recomputed from the records.
    private static func leavesChain(_ records: [AuditRecord], _ sequence: Int) -> [UInt8] {
        records.prefix(sequence).reduce(AuditChainHash.genesis) { AuditChainHash.hash(previous: $0, record: $1) }
    }

    /// Many appends at once (group-committed) form one gapless sequence, each acknowledged with the
    /// sequence its record has in the trail.
    static func concurrentAppendsFormOneSequence(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, _ in
            let sequences = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
                for index in 1...300 {
                    group.addTask { (index, try await trail.append(record(index, holder: "H\(index)", action: .lookup))) }
                }
                var sequences: [Int: Int64] = [:]
                for try await (index, sequence) in group { sequences[index] = sequence }
                return sequences
            }
            #expect(Set(sequences.values) == Set(1...300))
            for record in try await trail.records(after: 0, limit: 1000) {
                #expect(sequences[Int(record.caseReference.dropFirst(5))!] == record.sequence)
            }
            #expect(try await trail.verifyChain(anchor: nil).recordsChecked == 300)
        }
    }

    /// Edits behind the trail's back are found: a changed field, then deleted trailing records.
    static func verifyChainFindsTampering(_ backend: AuditTrailBackend) async throws {
        try await AuditTrailFixture.withTrail(backend) { trail, fixture in
            _ = try await trail.writeBatch((1...6).map { record($0, holder: "A", action: .lookup) })
            #expect(try await trail.verifyChain(anchor: nil).isIntact)
            try await fixture.tamper(
                sqlite: "DELETE FROM audit WHERE sequence > 4", postgres: "DELETE FROM audit_record WHERE sequence > 4")
            #expect(try await trail.verifyChain(anchor: nil).firstBreak == ChainBreak(sequence: 5, reason: .trailingRowsDeleted(through: 6)))
            try await fixture.tamper(
                sqlite: "UPDATE audit SET staff = 'someone else' WHERE sequence = 3",
                postgres: "UPDATE audit_record SET staff = 'someone else' WHERE sequence = 3")
            let broken = try await trail.verifyChain(anchor: nil)
            #expect(broken.firstBreak == ChainBreak(sequence: 3, reason: .hashMismatch))
            #expect(broken.recordsChecked == 2)
        }
    }
}
