import Foundation
import NoProofDomain
@testable import NoProofUnits

/// Shared values for the unit-domain tests.
enum Fixtures {
    static let civilAffairsCode = LicenceTypeCatalogue.civilAffairs.code
    static let universityCode = LicenceTypeCatalogue.zaozhuangUniversity.code
    static let taskForceCode = try! UnifiedSocialCreditCode.make(first17: "11370400MB1234567", field: "code")
    static let waterCode = try! UnifiedSocialCreditCode.make(first17: "91370400MA3C12345", field: "code")

    static let taskForce = ServiceUnit(
        code: taskForceCode, name: "枣庄市“无证明城市”建设工作专班办公室", kind: .government,
        district: "市直", isTaskForceOffice: true)
    static let civilAffairs = ServiceUnit(code: civilAffairsCode, name: "枣庄市民政局", kind: .government, district: "市直")
    static let water = ServiceUnit(code: waterCode, name: "枣庄水务集团有限公司", kind: .publicService(.water), district: "市中区")

    static let reviewer = ListReviewer(unit: taskForce, staffID: "supervisor-0001")

    /// An instant given as China Standard Time wall-clock time.
    static func cst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 10, _ minute: Int = 0) -> Date {
        let days = CivilDate(year: year, month: month, day: day)!.daysSinceEpoch
        return Date(timeIntervalSince1970: Double(days * 86_400 + (hour - 8) * 3600 + minute * 60))
    }

    static func date(_ text: String) -> CivilDate { try! CivilDate.parse(text, field: "date") }

    static let exclusion = ExclusionReason(ground: .highRisk(.publicSafety), note: "涉及公共安全，须本人到场提交")

    /// The civil affairs marriage item: HKB by data sharing, XWZS by department verification,
    /// WFZJL excluded, a cancelled proof and a commitment proof.
    static let marriageItem = ServiceItem(
        code: "MZ-HY-001", name: "内地居民婚姻登记", kind: .immediate,
        proofs: [
            ProofRequirement(proofCode: "HKB", method: .dataSharing),
            ProofRequirement(proofCode: "JMSFZ", method: .dataSharing),
            ProofRequirement(proofCode: "XWZS", method: .departmentVerification(issuingUnit: universityCode)),
            ProofRequirement(proofCode: "WFZJL", method: .excluded(exclusion)),
            ProofRequirement(proofCode: "DSZM", name: "单身证明", method: .cancelled),
            ProofRequirement(proofCode: "JZZM", name: "居住证明", method: .commitment),
        ])

    static let subsidyItem = ServiceItem(
        code: "MZ-DB-002", name: "最低生活保障审核确认", kind: .commitment(.workingDays(10)),
        proofs: [
            ProofRequirement(proofCode: "HKB", method: .dataSharing),
            ProofRequirement(proofCode: "SBJFJL", method: .dataSharing),
        ])

    static let machine = ItemListStateMachine(calendar: .prc2026)

    /// A published first list of the civil affairs bureau, effective 2026-03-02 09:00 CST.
    static func publishedFirstList(items: [ServiceItem] = [marriageItem, subsidyItem]) throws -> ItemListVersion {
        var list = machine.newDraft(unitCode: civilAffairsCode, version: 1, basedOn: nil, by: "agent-0001", at: cst(2026, 2, 24))
        list = try machine.apply(.edit(items: items, changes: [], by: "agent-0001", at: cst(2026, 2, 24)), to: list)
        list = try machine.apply(.submit(by: "agent-0001", at: cst(2026, 2, 25)), to: list)
        list = try machine.apply(.approve(reviewer: reviewer, at: cst(2026, 2, 26), effectiveAt: cst(2026, 3, 2, 9)), to: list)
        return try machine.apply(.publish(by: "system", at: cst(2026, 2, 26, 11)), to: list)
    }
}
