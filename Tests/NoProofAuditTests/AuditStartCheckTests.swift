import Foundation
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

/// noproofd's start-up checks of the data folder (issue 15): a deleted, emptied, truncated or
/// rewritten audit trail is not silently replaced by a fresh chain, and the folder's files are
/// owner-only. `scripts/smoke-test.sh` runs the same attacks against noproofd itself.
@Suite("Audit start-up check and data-folder permissions")
struct AuditStartCheckTests {
    static func record(_ index: Int, action: AuditAction = .lookup, result: AuditResult = .notFound) -> AuditRecord {
        AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: "U", credentialID: "c", staff: "s", action: action,
            itemCode: "ITEM", caseReference: "CASE", holderID: "H", typeCode: "JMSFZ", result: result)
    }

    /// A folder as noproofd leaves it: a trail of `count` records, its head in audit-head, units.sqlite.
    static func usedFolder(records count: Int) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch((0..<count).map { record($0) })
        try AuditHeadFile.write(try log.head(), directory: directory.url)
        log.close()
        try Data("units".utf8).write(to: directory.url.appendingPathComponent("units.sqlite"))
        return directory
    }

    static func deleteTrail(_ directory: TemporaryDirectory) {
        for name in AuditStartCheck.trailFiles { try? FileManager.default.removeItem(at: directory.url.appendingPathComponent(name)) }
    }

    @Test func anIntactTrailAndAFreshFolderPass() async throws {
        let used = try Self.usedFolder(records: 5)
        defer { used.remove() }
        let log = try AuditLog(directory: used.url)
        #expect(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: used.url), audit: log, directory: used.url) == nil)
        log.close()
        let fresh = try TemporaryDirectory()
        defer { fresh.remove() }
        #expect(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: fresh.url), audit: nil, directory: fresh.url) == nil)
    }

    /// Deleting audit.sqlite* while the server is stopped: refused, naming what shows the trail existed.
    @Test func aDeletedTrailIsRefused() async throws {
        let directory = try Self.usedFolder(records: 5)
        defer { directory.remove() }
        Self.deleteTrail(directory)
        let survey = AuditStartCheck.survey(directory: directory.url)
        #expect(!survey.trailExists && survey.evidence == ["units.sqlite"] && survey.recordedHead?.sequence == 5)
        let problem = try #require(try await AuditStartCheck.problem(survey, audit: nil, directory: directory.url))
        #expect(problem.contains("missing") && problem.contains("units.sqlite") && problem.contains("audit-head"), "\(problem)")
        // Without the head file, the other stores alone show it.
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent(AuditHeadFile.fileName))
        #expect(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: directory.url), audit: nil, directory: directory.url) != nil)
        // An emptied trail (recreated file, no records) likewise.
        let empty = try AuditLog(directory: directory.url)
        let again = try #require(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: directory.url), audit: empty, directory: directory.url))
        #expect(again.contains("empty"), "\(again)")
        empty.close()
    }

    /// Records deleted from the end (with the counter reset, so `verify` alone would pass): the
    /// trail is shorter than the head recorded at the last stop.
    @Test func aTruncatedTrailIsRefused() async throws {
        let directory = try Self.usedFolder(records: 8)
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        try log.deleteForTesting(after: 5)
        #expect(try log.verifyChain().isIntact)
        let problem = try #require(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: directory.url), audit: log, directory: directory.url))
        #expect(problem.contains("records 6–8 are missing"), "\(problem)")
        log.close()
    }

    /// A trail rebuilt from scratch to the same length: another hash at the recorded head.
    @Test func aRewrittenTrailIsRefused() async throws {
        let directory = try Self.usedFolder(records: 4)
        defer { directory.remove() }
        Self.deleteTrail(directory)
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch((0..<4).map { Self.record($0, result: .found) })
        let problem = try #require(try await AuditStartCheck.problem(AuditStartCheck.survey(directory: directory.url), audit: log, directory: directory.url))
        #expect(problem.contains("rewritten"), "\(problem)")
        log.close()
    }

    @Test func aNewEpochMovesTheOldTrailAsideAndNamesThePreviousHead() throws {
        let directory = try Self.usedFolder(records: 3)
        defer { directory.remove() }
        let head = try #require(AuditHeadFile.read(directory: directory.url))
        let moved = try #require(try AuditStartCheck.moveTrailAside(directory: directory.url, at: 42))
        #expect(moved == "audit-before-epoch-42.sqlite")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("audit.sqlite").path))
        let record = AuditStartCheck.epochRecord(reason: "disk replaced", previousHead: head, previousTrail: moved, at: Date())
        #expect(record.action == .auditNewEpoch && record.caseReference == "disk replaced" && record.proofSerial == head.description)
    }

    /// Proofs recorded in the trail (the seal-key check at start).
    @Test func theTrailTellsWhetherProofsWereIssued() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch([Self.record(0)])
        #expect(try !log.recordsIssuedProofs())
        _ = try log.appendBatch([Self.record(1, result: .found)])
        #expect(try log.recordsIssuedProofs())
        log.close()
    }

    /// A data folder that pre-existed with 0755 and files of 0644: made 0700 and 0600, each named.
    @Test func dataFolderFilesAreMadeOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        _ = try log.appendBatch([Self.record(0)])
        log.close()
        try Data("x".utf8).write(to: directory.url.appendingPathComponent("demo-holders.txt"))
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("seals"), withIntermediateDirectories: true)
        let manager = FileManager.default
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        let files = try manager.contentsOfDirectory(atPath: directory.url.path).filter { $0 != "seals" }
        #expect(files.contains("audit.sqlite") && files.contains("demo-holders.txt"))
        for name in files { try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory.url.appendingPathComponent(name).path) }
        let fixed = try DataFolderPermissions.secure(directory.url)
        #expect(fixed.contains(". 755 -> 700") && fixed.contains("audit.sqlite 644 -> 600") && fixed.contains("demo-holders.txt 644 -> 600"), "\(fixed)")
        func mode(_ path: String) throws -> Int { (try manager.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue }
        #expect(try mode(directory.url.path) == 0o700)
        for name in files { #expect(try mode(directory.url.appendingPathComponent(name).path) == 0o600, "\(name)") }
        #expect(try DataFolderPermissions.secure(directory.url).isEmpty)
    }
}
