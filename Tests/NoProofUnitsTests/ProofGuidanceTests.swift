import NoProofDomain
import Testing
@testable import NoProofUnits

/// What the published list tells a clerk about each proof (pure).
@Suite("Proof guidance")
struct ProofGuidanceTests {
    static func guidance(_ code: String, of item: String = "SW-KH-001") throws -> ProofGuidance {
        let proof = try #require(UnitDemoData.items(of: UnitDemoData.water.code).first { $0.code == item }?.proof(code))
        return ProofGuidance(itemCode: item, proof: proof, listVersion: 3)
    }

    @Test func aCancelledProofIsRefusedWithTheListVersionAndWhatToDo() throws {
        let cancelled = try Self.guidance("WYZM")
        #expect(!cancelled.applicantBrings)
        #expect(cancelled.refusalToken == "cancelled")
        let message = try #require(cancelled.refusal)
        #expect(message.contains("WYZM (物业证明)") && message.contains("cancelled in list version 3"))
        #expect(message.contains("do not ask for it") && message.contains("noproof ledger add"))
    }

    @Test func anExcludedProofIsBroughtByTheApplicant() throws {
        let proof = try #require(UnitDemoData.items(of: UnitDemoData.realEstate.code).flatMap(\.proofs).first { $0.proofCode == "ZXBG" })
        let excluded = ProofGuidance(itemCode: "BDC-1", proof: proof, listVersion: 1)
        #expect(excluded.applicantBrings && excluded.refusalToken == "excluded")
        #expect(excluded.refusal?.contains("excluded in list version 1") == true)
        #expect(excluded.whatToDo.hasPrefix("the applicant brings it"))
    }

    @Test func theOtherMethodsSayHowTheUnitObtainsTheProof() throws {
        let shared = try Self.guidance("JMSFZ")
        #expect(shared.refusal == nil && !shared.applicantBrings)
        #expect(shared.whatToDo.contains("noproof lookup --item SW-KH-001 --type JMSFZ"))
        let commitment = try Self.guidance("ZLHT")
        #expect(commitment.refusal == nil && commitment.whatToDo.contains("noproof commitment record --item SW-KH-001 --proof ZLHT"))
        let verified = ProofGuidance(
            itemCode: "MZ-HY-001",
            proof: ProofRequirement(proofCode: "XWZS", method: .departmentVerification(issuingUnit: UnitDemoData.university.code)),
            listVersion: 1)
        #expect(verified.whatToDo.contains("noproof verify-request file --to \(UnitDemoData.university.code)"))
    }
}
