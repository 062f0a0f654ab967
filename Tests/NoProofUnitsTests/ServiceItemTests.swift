import Foundation
import NoProofDomain
import Testing
@testable import NoProofUnits

@Suite("Service items and proofs")
struct ServiceItemTests {
    func proof(_ record: ProofRequirementRecord) throws(ValidationError) -> ProofRequirement {
        try ProofRequirement(record: record, field: "p")
    }

    @Test func recordsRoundTrip() throws {
        for item in [Fixtures.marriageItem, Fixtures.subsidyItem] {
            #expect(try ServiceItem(record: item.record, field: "item") == item)
            let json = try JSONEncoder().encode(item)
            #expect(try JSONDecoder().decode(ServiceItem.self, from: json) == item)
        }
        let hours = ServiceItem(code: "X", name: "x", kind: .commitment(.hours(24)), proofs: [])
        #expect(try ServiceItem(record: hours.record, field: "item") == hours)
    }

    @Test func applicantSuppliesIsRefusedWithTheAlternatives() {
        #expect {
            try proof(ProofRequirementRecord(proof: "HKB", method: "applicant_supplies"))
        } throws: { error in
            let error = error as! ValidationError
            return error.field == "p.method" && error.reason.contains("may not be asked to supply")
        }
    }

    @Test func departmentVerificationNeedsTheIssuingUnit() throws {
        #expect(throws: ValidationError.self) { try proof(ProofRequirementRecord(proof: "XWZS", method: "department_verification")) }
        #expect(throws: ValidationError.self) {
            try proof(ProofRequirementRecord(proof: "XWZS", method: "department_verification", issuingUnit: "12370000495570452Y"))
        }
        let ok = try proof(ProofRequirementRecord(proof: "XWZS", method: "department_verification", issuingUnit: "12370000495570452X"))
        #expect(ok.method == .departmentVerification(issuingUnit: Fixtures.universityCode))
    }

    @Test func exclusionNeedsAGroundAndAWrittenReason() throws {
        #expect(throws: ValidationError.self) { try proof(ProofRequirementRecord(proof: "WFZJL", method: "excluded")) }
        #expect(throws: ValidationError.self) {
            try proof(ProofRequirementRecord(proof: "WFZJL", method: "excluded", exclusion: "out_of_city", exclusionNote: " "))
        }
        #expect(throws: ValidationError.self) {
            try proof(ProofRequirementRecord(proof: "WFZJL", method: "excluded", exclusion: "high_risk", exclusionNote: "x"))
        }
        let ok = try proof(
            ProofRequirementRecord(
                proof: "WFZJL", method: "excluded", exclusion: "high_risk",
                exclusionCategory: "public_safety", exclusionNote: "涉及公共安全"))
        #expect(ok.method == .excluded(ExclusionReason(ground: .highRisk(.publicSafety), note: "涉及公共安全")))
    }

    @Test func itemKindAndCodesAreChecked() {
        #expect(throws: ValidationError.self) { try ServiceItem(record: ServiceItemRecord(code: "A", name: "a", kind: "commitment"), field: "i") }
        #expect(throws: ValidationError.self) {
            try ServiceItem(record: ServiceItemRecord(code: "A", name: "a", kind: "commitment", promisedDays: 1, promisedHours: 2), field: "i")
        }
        #expect(throws: ValidationError.self) {
            try ServiceItem(record: ServiceItemRecord(code: "A", name: "a", kind: "immediate", promisedDays: 3), field: "i")
        }
        #expect(throws: ValidationError.self) { try ServiceItem(record: ServiceItemRecord(code: "A B", name: "a", kind: "immediate"), field: "i") }
        #expect(throws: ValidationError.self) {
            try ServiceItem(record: ServiceItemRecord(code: "A", name: "a", kind: "commitment", promisedDays: 0), field: "i")
        }
        #expect(throws: ValidationError.self) {
            try ServiceItem(
                record: ServiceItemRecord(
                    code: "A", name: "a", kind: "immediate",
                    proofs: [
                        ProofRequirementRecord(proof: "HKB", method: "data_sharing"),
                        ProofRequirementRecord(proof: "HKB", method: "commitment"),
                    ]), field: "i")
        }
        #expect(throws: ValidationError.self) { try proof(ProofRequirementRecord(proof: "hkb", method: "data_sharing")) }
    }

    @Test func unitKindsParse() throws {
        #expect(try UnitKind.parse(kind: "public_service", sector: "cable_tv") == .publicService(.cableTV))
        #expect(try UnitKind.parse(kind: "government", sector: nil) == .government)
        #expect(throws: ValidationError.self) { try UnitKind.parse(kind: "public_service", sector: nil) }
        #expect(throws: ValidationError.self) { try UnitKind.parse(kind: "government", sector: "water") }
        #expect(throws: ValidationError.self) { try UnitKind.parse(kind: "ngo", sector: nil) }
        var unit = Fixtures.water
        unit.isTaskForceOffice = true
        #expect(throws: ValidationError.self) { try unit.validate() }
    }
}
