import Foundation
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

/// `AuditLog` used only through the `AuditTrail` seam, as the services use it.
@Suite("AuditLog as an AuditTrail")
struct AuditLogAuditTrailTests {
    static func record(_ index: Int, holder: String, action: AuditAction) -> AuditRecord {
        AuditRecord(
            atMillis: 1_793_462_400_000 + Int64(index), unitCode: "U", credentialID: "c", staff: "s", action: action,
            itemCode: "ITEM", caseReference: "CASE-\(index)", holderID: holder, typeCode: "JMSFZ", result: .found)
    }

    @Test func appendsAndReadsThroughTheProtocol() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        defer { log.close() }
        let trail: any AuditTrail = log
        #expect(try await trail.head() == AuditHead(sequence: 0, hash: AuditChainHash.genesis))
        #expect(try trail.appendBatch([Self.record(1, holder: "A", action: .lookup), Self.record(2, holder: "B", action: .lookup)]) == [1, 2])
        #expect(try await trail.append(Self.record(3, holder: "A", action: .getLicence)) == 3)
        let fourth: Int64 = try await withCheckedThrowingContinuation { continuation in
            trail.append(Self.record(4, holder: "A", action: .supervisionWhoLooked)) { continuation.resume(with: $0) }
        }
        #expect(fourth == 4)
        #expect(try await trail.count() == 4)
        #expect(try await trail.records(after: 1, limit: 2).map(\.sequence) == [2, 3])
        #expect(try await trail.records(aboutHolder: "A", actions: [.lookup, .getLicence], before: nil, limit: 10).map(\.sequence) == [3, 1])
        #expect(try await trail.latestRecord(actions: [.lookup], typeCode: "JMSFZ")?.sequence == 2)
        let day = SupervisionTally.day(ofMillis: 1_793_462_400_000)
        #expect(try await trail.tallies(fromDay: day, throughDay: day, unitCode: "U")["U"]?["Lookup|found"] == 2)
        let head = try await trail.head()
        #expect(head.sequence == 4)
        #expect(try await trail.verifyChain(anchor: head).isIntact)
        // An anchor the chain does not carry is a break, through the seam as directly.
        let forged = AuditHead(sequence: 2, hash: [UInt8](repeating: 7, count: 32))
        #expect(try await trail.verifyChain(anchor: forged).firstBreak == ChainBreak(sequence: 2, reason: .anchorMismatch))
    }
}
