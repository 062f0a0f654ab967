import Foundation
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

/// The typed audit vocabulary (`AuditAction`, `AuditResult`): distinct constants, stored and read
/// back as they were written, unknown values kept.
@Suite("AuditVocabulary")
struct AuditVocabularyTests {
    static func record(_ index: Int, action: AuditAction, result: AuditResult) -> AuditRecord {
        AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: "U", credentialID: "c", staff: "s", action: action,
            itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: "370402199001011234", typeCode: "JMSFZ",
            licenceID: "L\(index)", result: result, proofSerial: "P-\(index)")
    }

    @Test func everyActionConstantHasItsOwnText() {
        let texts = AuditAction.known.map(\.rawValue)
        #expect(Set(texts).count == texts.count, "duplicated: \(Dictionary(grouping: texts, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        #expect(!texts.contains(""))
        #expect(texts.contains("Lookup") && texts.contains("Verification.File") && texts.contains("Oversight.CloseComplaint"))  // audit-typing: keep
    }

    @Test func everyResultConstantHasItsOwnText() {
        let texts = AuditResult.known.map(\.rawValue)
        #expect(Set(texts).count == texts.count, "duplicated: \(Dictionary(grouping: texts, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        #expect(texts.contains("found") && texts.contains("not_found") && texts.contains("denied") && texts.contains("intended"))
    }

    /// The factories write the texts docs/AUDIT.md lists (and older trails hold).
    @Test func detailedResultsKeepTheirText() {
        #expect(AuditResult.failed(status: "failed_precondition").rawValue == "failed failed_precondition")
        #expect(AuditResult.amended(version: 3).rawValue == "amended v3")
        #expect(AuditResult.issued(status: "valid").rawValue == "issued valid")
        #expect(AuditResult.issued(kind: "citizen-portal").rawValue == "issued citizen-portal")
        #expect(
            AuditResult.imported(inserted: 2, updated: 1, unchanged: 0, rejected: 4).rawValue
                == "imported inserted=2 updated=1 unchanged=0 rejected=4")
        #expect(AuditResult.listed(count: 7).rawValue == "listed 7")
        #expect(AuditResult.calendar(version: 2, provisional: true).rawValue == "v2 provisional")
        #expect(AuditResult.calendar(version: 2, provisional: false).rawValue == "v2")
        #expect(AuditResult.verified.late.rawValue == "verified late")
        #expect(AuditResult.routed(to: "U1").rawValue == "routed to U1")
        #expect(AuditResult.registered(breach: "asked_again", about: "U2").rawValue == "registered: asked_again about U2")
        #expect(AuditAction.lookup.description == "Lookup" && AuditResult.notFound.description == "not_found")
    }

    /// Every action and every result constant, plus values no constant names (an older or newer
    /// server's), stored in the trail and read back equal; the chain over them verifies.
    @Test func everyValueRoundTripsThroughTheTrail() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        defer { log.close() }
        let unknownAction = AuditAction(rawValue: "Future.Thing")
        let unknownResult = AuditResult(rawValue: "some result, v9 — 未知")
        var written = AuditAction.known.enumerated().map { Self.record($0.offset, action: $0.element, result: .found) }
        written += AuditResult.known.enumerated().map { Self.record(written.count + $0.offset, action: .lookup, result: $0.element) }
        written.append(Self.record(written.count, action: unknownAction, result: unknownResult))
        let sequences = try log.appendBatch(written)
        for (index, sequence) in sequences.enumerated() { written[index].sequence = sequence }
        let read = try log.records(after: 0, limit: written.count + 10)
        #expect(read == written)
        #expect(read.last?.action == unknownAction && read.last?.result == unknownResult)
        #expect(try log.verifyChain().isIntact)
        #expect(try log.latestRecord(actions: [unknownAction], typeCode: "JMSFZ") == written.last)
    }
}
