import Foundation
import NoProofDomain
import Testing
@testable import NoProofUnits

@Suite("Access policy")
struct AccessPolicyTests {
    let unit = Fixtures.civilAffairsCode
    let during = Fixtures.cst(2026, 3, 10)

    func decide(_ type: String, _ item: String, at time: Date? = nil, list: ItemListVersion?) -> AccessDecision {
        AccessPolicy.decide(unit: unit, licenceType: type, itemCode: item, at: time ?? during, listInForce: list)
    }

    @Test func aListedDataSharingProofIsAllowed() throws {
        let list = try Fixtures.publishedFirstList()
        let decision = decide("HKB", "MZ-HY-001", list: list)
        #expect(decision == .allowed(listVersion: 1, item: Fixtures.marriageItem))
        #expect(decision.isAllowed && decision.denial == nil)
    }

    @Test func noListInForce() throws {
        let list = try Fixtures.publishedFirstList()
        #expect(decide("HKB", "MZ-HY-001", list: nil).denial == .noListInForce(unit: unit))
        // Before its effective time.
        #expect(decide("HKB", "MZ-HY-001", at: Fixtures.cst(2026, 3, 1), list: list).denial == .noListInForce(unit: unit))
        // Another unit's list does not count.
        var other = list
        other.unitCode = Fixtures.waterCode
        #expect(decide("HKB", "MZ-HY-001", list: other).denial == .noListInForce(unit: unit))
        // Approved but not published.
        var approved = list
        approved.status = .approved
        let denial = decide("HKB", "MZ-HY-001", list: approved).denial
        #expect(denial == .noListInForce(unit: unit))
        #expect(denial?.code == "no_list_in_force")
        #expect(denial?.message.contains("no published item list in force") == true)
    }

    @Test func unknownItem() throws {
        let denial = decide("HKB", "NO-SUCH", list: try Fixtures.publishedFirstList()).denial
        #expect(denial == .unknownItem(item: "NO-SUCH"))
        #expect(denial?.message.contains("NO-SUCH") == true)
    }

    @Test func typeNotListed() throws {
        let denial = decide("JSZ", "MZ-HY-001", list: try Fixtures.publishedFirstList()).denial
        #expect(denial == .typeNotListed(type: "JSZ", item: "MZ-HY-001"))
        #expect(denial?.message.contains("does not list JSZ") == true)
    }

    @Test func methodNotDataSharing() throws {
        let list = try Fixtures.publishedFirstList()
        let verification = decide("XWZS", "MZ-HY-001", list: list).denial
        #expect(
            verification
                == .methodNotDataSharing(
                    type: "XWZS", item: "MZ-HY-001",
                    actual: .departmentVerification(issuingUnit: Fixtures.universityCode)))
        #expect(verification?.message.contains("department verification") == true)
        let commitment = decide("JZZM", "MZ-HY-001", list: list).denial
        #expect(commitment == .methodNotDataSharing(type: "JZZM", item: "MZ-HY-001", actual: .commitment))
        #expect(commitment?.code == "method_not_data_sharing")
    }

    @Test func excluded() throws {
        let denial = decide("WFZJL", "MZ-HY-001", list: try Fixtures.publishedFirstList()).denial
        #expect(denial == .excluded(type: "WFZJL", item: "MZ-HY-001", reason: Fixtures.exclusion))
        #expect(denial?.message.contains("excluded") == true)
        #expect(denial?.message.contains("涉及公共安全") == true)
    }

    @Test func cancelled() throws {
        let denial = decide("DSZM", "MZ-HY-001", list: try Fixtures.publishedFirstList()).denial
        #expect(denial == .cancelled(type: "DSZM", item: "MZ-HY-001"))
        #expect(denial?.message.contains("must not be asked for") == true)
    }

    @Test func decidingFromTheWholeHistoryPicksTheVersionInForce() throws {
        let v1 = try Fixtures.publishedFirstList()
        var draft = v1
        draft.version = 2
        draft.status = .draft
        draft.items = []
        #expect(AccessPolicy.decide(unit: unit, licenceType: "HKB", itemCode: "MZ-HY-001", at: during, versions: [v1, draft]).isAllowed)
        #expect(
            AccessPolicy.decide(unit: Fixtures.waterCode, licenceType: "HKB", itemCode: "MZ-HY-001", at: during, versions: [v1]).denial
                == .noListInForce(unit: Fixtures.waterCode))
    }
}
