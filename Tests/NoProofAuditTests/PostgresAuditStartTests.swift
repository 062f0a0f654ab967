import Foundation
import NoProofAudit
import NoProofAuditChain
import NoProofPostgres
import NoProofSeals
import NoProofTestSupport
import PostgresNIO
import Testing

/// noproofd's start on PostgreSQL, at the storage level (issue 18): the trail, its signed heads and
/// the witness of those heads are in the database; the start check (`AuditStartCheck`, against the
/// instance's `audit-head` note) and the witness check (`AuditWitnessCheck`, against
/// `PostgresAuditWitness`) pass after a stop and a restart, and refuse a trail cut short in the database.
@Suite("Audit start on PostgreSQL", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresAuditStartTests {
    /// What one instance's start and stop do with the trail: open it, check it, publish a head to
    /// the database witness, note the head in the data folder.
    struct Instance {
        let trail: PostgresAuditTrail
        let witness: PostgresAuditWitness
        let publisher: AuditHeadPublisher

        init(_ fixture: AuditTrailFixture, key: AuditSigningKey) async throws {
            let database = try fixture.database()
            trail = try #require(try await fixture.open() as? PostgresAuditTrail)
            witness = PostgresAuditWitness(database)
            publisher = AuditHeadPublisher(log: trail, key: key, witnesses: [witness])
        }

        /// The start's checks: nil when the trail may be used, else the first problem.
        func startProblem(folder: URL, key: AuditSigningKey) async throws -> String? {
            var survey = AuditStartCheck.survey(directory: folder)
            survey.trailExists = true
            if let problem = try await AuditStartCheck.problem(survey, audit: trail, directory: folder, trailName: "the trail in PostgreSQL") {
                return problem
            }
            return try await AuditWitnessCheck.problem(log: trail, publicKey: key.publicKey, witnesses: [witness])
        }
    }

    /// The instance's seal folder (where noproofd keeps its audit key), created.
    static func sealFolder(_ folder: TemporaryDirectory) throws -> URL {
        let seals = folder.url.appendingPathComponent("seals", isDirectory: true)
        try FileManager.default.createDirectory(at: seals, withIntermediateDirectories: true)
        return seals
    }

    static func lookup(_ index: Int) -> AuditRecord {
        AuditTrailBehaviour.record(index, holder: "H\(index)", action: .lookup)
    }

    @Test("a lookup's record is in PostgreSQL; stopped and restarted, the start passes and the head signed before is the latest kept")
    func restartPasses() async throws {
        let folder = try TemporaryDirectory(prefix: "noproof-pg-audit-start")
        defer { folder.remove() }
        let key = try AuditSigningKey.openOrCreate(directory: try Self.sealFolder(folder))
        try await AuditTrailFixture.using(try AuditTrailBackend.postgres.makeFixture()) { fixture in
            let first = try await Instance(fixture, key: key)
            #expect(try await first.startProblem(folder: folder.url, key: key) == nil)  // a fresh database
            let sequence = try await first.trail.append(Self.lookup(1))
            _ = try await first.trail.writeBatch((2...4).map(Self.lookup))
            let head = try await first.publisher.publishNow()
            #expect(head.treeSize == 4)
            try AuditHeadFile.write(try await first.trail.head(), directory: folder.url)
            // The record is a row of the schema's audit_record, not a file of the data folder.
            let database = try fixture.database(maximumConnections: 1)
            let rows = try await database.withConnection { connection in
                var found: [(Int64, String)] = []
                for try await row in try await connection.query(
                    "SELECT sequence, holder_id FROM audit_record WHERE case_reference = 'CASE-1'", logger: database.logger
                ).decode((Int64, String).self) { found.append(row) }
                return found
            }
            #expect(rows.map(\.0) == [sequence] && rows.map(\.1) == ["H1"])
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("audit.sqlite").path))
            #expect(try await first.witness.latest() == head)
            await first.trail.close()

            let restarted = try await Instance(fixture, key: key)
            #expect(try await restarted.startProblem(folder: folder.url, key: key) == nil)
            await restarted.publisher.loadLatest()
            #expect(restarted.publisher.latest == head)
            #expect(try await restarted.trail.recordsIssuedProofs())
            #expect(try await restarted.trail.chainHash(at: 4) == (try await restarted.trail.head()).hash)
            let verification = try await restarted.trail.verifyTree(against: try await restarted.witness.heads().heads)
            #expect(verification.isIntact && verification.headsMatched == 1 && verification.treeSize == 4)
        }
    }

    @Test("a trail cut short in the database is refused at start, naming the missing records, by the witness and by the audit-head note")
    func truncatedTrailIsRefused() async throws {
        let folder = try TemporaryDirectory(prefix: "noproof-pg-audit-start")
        defer { folder.remove() }
        let key = try AuditSigningKey.openOrCreate(directory: try Self.sealFolder(folder))
        try await AuditTrailFixture.using(try AuditTrailBackend.postgres.makeFixture()) { fixture in
            let instance = try await Instance(fixture, key: key)
            _ = try await instance.trail.writeBatch((1...6).map(Self.lookup))
            try await instance.publisher.publishNow()
            try await fixture.tamper(sqlite: "", postgres: "DELETE FROM audit_record WHERE sequence > 4")
            // The witness in the database holds the head of 6 records.
            let witnessed = try #require(
                try await AuditWitnessCheck.problem(log: instance.trail, publicKey: key.publicKey, witnesses: [instance.witness]))
            #expect(witnessed.contains("records 5–6 are missing"))
            #expect(witnessed.contains("audit_signed_head"))
            // With no witness, this instance's note of the head it saw refuses it too.
            try AuditHeadFile.write(AuditHead(sequence: 6, hash: [UInt8](repeating: 7, count: 32)), directory: folder.url)
            var survey = AuditStartCheck.survey(directory: folder.url)
            survey.trailExists = true
            let noted = try #require(
                try await AuditStartCheck.problem(survey, audit: instance.trail, directory: folder.url, trailName: "the trail in PostgreSQL"))
            #expect(noted.contains("the trail in PostgreSQL ends at record 4") && noted.contains("records 5–6 are missing"))
            // audit-verify's checks name it as well: the chain (the head row is past the last record) and the tree.
            #expect(!(try await instance.trail.verifyChain(anchor: nil)).isIntact)
            let tree = try await instance.trail.verifyTree(against: try await instance.witness.heads().heads)
            #expect(tree.firstMismatch != nil && tree.treeSize == 4)
        }
    }
}
