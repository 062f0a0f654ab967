import NoProofAudit
import NoProofAuditChain
import NoProofPostgres
import NoProofSeals
import NoProofTestSupport
import Testing

/// The audit trail behaviour (`AuditTrailBehaviour`) on PostgreSQL, each test in a fresh schema of
/// `NOPROOF_TEST_POSTGRES_URL` (skipped, with the reason shown, when it is unset; scripts/test.sh
/// and so CI always set it); and two instances appending to one trail at once.
@Suite("Audit trail (PostgreSQL)", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresAuditTrailTests {
    @Test("appends one, a batch, by callback; reads in order, by holder, the latest; tallies; the chain verifies")
    func appendsAndReads() async throws { try await AuditTrailBehaviour.appendsAndReads(.postgres) }
    @Test("a record with a counterpart unit counts for both units")
    func talliesCountBothUnits() async throws { try await AuditTrailBehaviour.talliesCountBothUnits(.postgres) }
    @Test("the tallies recomputed from the records match; an edited and a deleted counter are named")
    func talliesVerify() async throws { try await AuditTrailBehaviour.talliesVerifyAndAnEditedCounterIsNamed(.postgres) }
    @Test("records and the tree survive reopening; the chain goes on")
    func survivesReopening() async throws { try await AuditTrailBehaviour.survivesReopening(.postgres) }
    @Test("roots, inclusion and consistency proofs verify against the chain hashes alone")
    func treeProofsVerify() async throws { try await AuditTrailBehaviour.treeProofsVerify(.postgres) }
    @Test("concurrent appends form one gapless sequence, each acknowledged with its record's sequence")
    func concurrentAppendsFormOneSequence() async throws { try await AuditTrailBehaviour.concurrentAppendsFormOneSequence(.postgres) }
    @Test("an edited field and deleted trailing records are found")
    func verifyChainFindsTampering() async throws { try await AuditTrailBehaviour.verifyChainFindsTampering(.postgres) }

    /// Two instances (two client pools) on one schema append at once — single records through each
    /// one's group-committing writer and batches — and the result is one trail: every acknowledged
    /// record present under the sequence it was acknowledged with, the sequences 1…n without a gap,
    /// the chain and the tree (recomputed here from the records) verifying, the tallies counting each
    /// record once. Without the head row's lock the two would continue from the same head.
    @Test("two instances appending at once: one gapless sequence, chain and tree verify, every acknowledged record present")
    func twoInstancesAppendOneTrail() async throws {
        try await AuditTrailFixture.using(try AuditTrailBackend.postgres.makeFixture()) { fixture in
            let first = try await fixture.open(maxBatch: 64)
            let second = try await fixture.open(maxBatch: 64)
            let perInstance = 400
            let acknowledged = try await withThrowingTaskGroup(of: [(String, Int64)].self) { group in
                for (name, trail) in [("A", first), ("B", second)] {
                    for index in 1...perInstance {
                        group.addTask {
                            let record = AuditTrailBehaviour.record(index, holder: "\(name)\(index % 5)", action: .lookup, unit: name)
                            var tagged = record
                            tagged.caseReference = "\(name)-\(index)"
                            return [(tagged.caseReference, try await trail.append(tagged))]
                        }
                    }
                    for batch in 0..<10 {
                        group.addTask {
                            let records = (0..<10).map { offset in
                                var record = AuditTrailBehaviour.record(batch * 10 + offset, holder: "\(name)B", action: .getLicence, unit: name)
                                record.caseReference = "\(name)-batch-\(batch)-\(offset)"
                                return record
                            }
                            let sequences = try await trail.writeBatch(records)
                            return Array(zip(records.map(\.caseReference), sequences))
                        }
                    }
                }
                var acknowledged: [String: Int64] = [:]
                for try await pairs in group {
                    for (reference, sequence) in pairs { acknowledged[reference] = sequence }
                }
                return acknowledged
            }
            let total = 2 * (perInstance + 100)
            #expect(acknowledged.count == total)
            #expect(Set(acknowledged.values) == Set(1...Int64(total)))
            // A third instance reads the one trail both wrote.
            let reader = try await fixture.open()
            let records = try await reader.records(after: 0, limit: total + 10)
            #expect(records.map(\.sequence) == Array(1...Int64(total)))
            for record in records {
                #expect(acknowledged[record.caseReference] == record.sequence, "\(record.caseReference)")
            }
            let verified = try await reader.verifyChain(anchor: nil)
            #expect(verified.isIntact)
            #expect(verified.recordsChecked == total)
            #expect(try await reader.head() == verified.head)
            var previous = AuditChainHash.genesis
            var frontier = MerkleFrontier()
            for record in records {
                previous = AuditChainHash.hash(previous: previous, record: record)
                frontier.append(leaf: AuditChainHash.leaf(chainHash: previous))
            }
            #expect(try await reader.treeRoot(size: UInt64(total)) == frontier.root)
            let proof = try #require(try await reader.inclusionProof(sequence: 700, treeSize: UInt64(total)))
            #expect(
                MerkleTree.root(leaf: AuditChainHash.leaf(chainHash: proof.chainHash), index: 699, size: UInt64(total), path: proof.path)
                    == frontier.root)
            let day = SupervisionTally.day(ofMillis: 1_793_462_400_000)
            let tallies = try await reader.tallies(fromDay: day, throughDay: day, unitCode: nil)
            #expect(tallies["A"]?["Lookup|found"] == Int64(perInstance))
            #expect(tallies["B"]?["GetLicence|found"] == 100)
            #expect(tallies.values.flatMap(\.values).reduce(0, +) == Int64(total))
        }
    }
}
