import Foundation
import NoProofOversight
import NoProofUnits
import Testing

@Suite("Commitments and the risk rule")
struct CommitmentTests {
    @Test("the check is due by the most specific risk entry: item/proof, item, proof, default")
    func riskRule() throws {
        let rule = CheckRiskRule(
            defaultLevel: .low, days: ["low": 60, "medium": 20, "high": 5],
            items: ["MZ-DB-001": .medium], proofs: ["SRZM": .high, "MZ-DB-001/JZZM": .high])
        #expect(rule.level(item: "MZ-DB-001", proof: "JZZM") == .high)
        #expect(rule.level(item: "MZ-DB-001", proof: "SBJFJL") == .medium)
        #expect(rule.level(item: "OTHER", proof: "SRZM") == .high)
        #expect(rule.level(item: "OTHER", proof: "X") == .low)
        let c = try Commitment.record(Fixtures.filing(), id: "CM-1", rule: rule, at: Fixtures.t0)
        #expect(c.risk == .high && c.checkDueAt == Fixtures.day(5))
        // The standard rule: medium 30 days, income proofs high (7 days).
        #expect(CheckRiskRule.standard.checkDue(level: .medium, recordedAt: Fixtures.t0) == Fixtures.day(30))
        #expect(CheckRiskRule.standard.level(item: "MZ-DB-001", proof: "SRZM") == .high)
    }

    @Test("an applicant with an earlier commitment found false: warned, flagged, risk raised to high whatever the rule says")
    func memory() throws {
        let rule = CheckRiskRule(defaultLevel: .low, days: ["low": 60, "medium": 20, "high": 5])
        #expect(rule.level(item: "X", proof: "Y", earlierFalse: 0) == .low)
        #expect(rule.level(item: "X", proof: "Y", earlierFalse: 2) == .high)
        var earlier = try Commitment.record(Fixtures.filing(caseReference: "DB-0"), id: "CM-0", rule: rule, at: Fixtures.t0)
        #expect(!earlier.flagged && earlier.warning == nil && earlier.ruleRisk == nil)
        _ = try earlier.recordCheck(outcome: .foundFalse, evidence: "不实", by: "agent-0001", at: Fixtures.day(1))
        let next = try Commitment.record(Fixtures.filing(caseReference: "DB-1"), id: "CM-1", rule: rule, earlierFalse: [earlier], at: Fixtures.day(2))
        #expect(next.flagged && next.earlierFalse == ["CM-0"] && next.risk == .high && next.ruleRisk == .low)
        #expect(next.checkDueAt == Fixtures.day(7))
        #expect(next.warning?.contains("CM-0") == true && next.warning?.contains("within 5 days") == true)
        // Stored documents from before the memory decode without it.
        let old = try JSONEncoder().encode(earlier)
        var object = try #require(try JSONSerialization.jsonObject(with: old) as? [String: Any])
        object.removeValue(forKey: "earlierFalse")
        let decoded = try JSONDecoder().decode(Commitment.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.earlierFalse == nil && !decoded.flagged)
    }

    @Test("a rule file is read, and bad day counts or levels are refused")
    func ruleFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("risk-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"default_level": "high", "days": {"high": 3}, "items": {"A": "low"}}"#.utf8).write(to: url)
        let rule = try CheckRiskRule.load(url)
        #expect(rule.defaultLevel == .high && rule.daysToCheck(.high) == 3 && rule.daysToCheck(.low) == 90 && rule.items["A"] == .low)
        try Data(#"{"days": {"high": 0}}"#.utf8).write(to: url)
        #expect(kind { _ = try CheckRiskRule.load(url) } == .invalid(field: "days.high"))
        try Data(#"{"days": {"urgent": 3}}"#.utf8).write(to: url)
        #expect(kind { _ = try CheckRiskRule.load(url) } == .invalid(field: "days.urgent"))
        try Data(#"{"default_level": "extreme"}"#.utf8).write(to: url)
        #expect(kind { _ = try CheckRiskRule.load(url) } == .invalid(field: url.lastPathComponent))
    }

    @Test("recording validates the applicant, item, case, proof, text and staff")
    func validation() {
        func refused(_ change: (inout Commitment.Filing) -> Void) -> Refusal? {
            var filing = Fixtures.filing()
            change(&filing)
            return kind { _ = try Commitment.record(filing, id: "CM", rule: .standard, at: Fixtures.t0) }
        }
        #expect(refused { $0.holderID = "370404199306107808" } == .invalid(field: "holder_id"))
        #expect(refused { $0.itemCode = "bad code" } == .invalid(field: "item_code"))
        #expect(refused { $0.caseReference = " " } == .invalid(field: "case_reference"))
        #expect(refused { $0.proofType = "jzzm" } == .invalid(field: "proof_type"))
        #expect(refused { $0.text = "" } == .invalid(field: "text"))
        #expect(refused { $0.recordedBy = "" } == .invalid(field: "staff"))
        #expect(refused { _ in } == nil)
    }

    @Test("check: confirmed or found false once; a replay changes nothing; another outcome is refused; overdue and late")
    func check() throws {
        var c = try Commitment.record(Fixtures.filing(), id: "CM-1", rule: .standard, at: Fixtures.t0)
        #expect(c.checkDueAt == Fixtures.day(30))
        #expect(!c.isOverdue(at: Fixtures.day(29)) && c.isOverdue(at: Fixtures.day(30)))
        #expect(kind { _ = try c.recordCheck(outcome: .foundFalse, evidence: " ", by: "agent-0001", at: Fixtures.day(31)) } == .invalid(field: "evidence"))
        #expect(try c.recordCheck(outcome: .foundFalse, evidence: "收入高于承诺", by: "agent-0001", at: Fixtures.day(31)))
        #expect(c.checkOutcome == .foundFalse && c.checkedLate && !c.isOverdue(at: Fixtures.day(40)))
        #expect(try !c.recordCheck(outcome: .foundFalse, evidence: "收入高于承诺", by: "agent-0002", at: Fixtures.day(32)))
        #expect(c.checkedBy == "agent-0001")
        #expect(kind { _ = try c.recordCheck(outcome: .confirmed, evidence: "", by: "agent-0001", at: Fixtures.day(32)) } == .wrongState)

        var confirmed = try Commitment.record(Fixtures.filing(), id: "CM-2", rule: .standard, at: Fixtures.t0)
        #expect(try confirmed.recordCheck(outcome: .confirmed, evidence: "", by: "agent-0001", at: Fixtures.day(3)))
        #expect(confirmed.checkOutcome == .confirmed && !confirmed.checkedLate)
    }

    @Test("channels, outcomes and filters parse their tokens and refuse others")
    func tokens() throws {
        #expect(try CommitmentChannel.parse("counter_face_check") == .counterFaceCheck)
        #expect(kind { _ = try CommitmentChannel.parse("fax") } == .invalid(field: "channel"))
        #expect(try CheckOutcome.parse("found_false") == .foundFalse)
        #expect(kind { _ = try CheckOutcome.parse("false") } == .invalid(field: "outcome"))
        #expect(try CommitmentFilter.parse("overdue", now: Fixtures.t0) == .overdue(asOf: Fixtures.t0))
        #expect(kind { _ = try CommitmentFilter.parse("late", now: Fixtures.t0) } == .invalid(field: "filter"))
    }

    @Test("ledger: proofs the list says not to ask for are the ones it lists and obtains without the applicant or cancels; not excluded or unlisted ones")
    func ledger() throws {
        #expect(LedgerEntry.notToBeAskedFor(.dataSharing) && LedgerEntry.notToBeAskedFor(.cancelled) && LedgerEntry.notToBeAskedFor(.commitment))
        #expect(!LedgerEntry.notToBeAskedFor(nil))  // the item does not list it: the list says nothing about it
        let excluded = UnitDemoDataProbe.excludedMethod()
        #expect(!LedgerEntry.notToBeAskedFor(excluded))
        let entry = try LedgerEntry.make(
            id: "LG-1", unit: Fixtures.water, unitName: "水务", holderID: Fixtures.holder, holderName: "",
            itemCode: "SW-KH-001", caseReference: "SW-1", proofType: "WYZM", proofName: "物业证明",
            listed: .cancelled, note: "", by: "agent-0001", at: Fixtures.t0)
        #expect(entry.volunteered && entry.listedMethod == "cancelled" && entry.notToBeAskedFor)
        let unlisted = try LedgerEntry.make(
            id: "LG-2", unit: Fixtures.water, unitName: "水务", holderID: Fixtures.holder, holderName: "",
            itemCode: "SW-KH-001", caseReference: "SW-1", proofType: "ABC", proofName: "", listed: nil,
            note: "", by: "agent-0001", at: Fixtures.t0)
        #expect(unlisted.listedMethod == LedgerEntry.notListed && !unlisted.notToBeAskedFor)  // the list says nothing about it
        #expect(
            kind {
                _ = try LedgerEntry.make(
                    id: "LG-3", unit: Fixtures.water, unitName: "", holderID: "123", holderName: "", itemCode: "SW-KH-001",
                    caseReference: "SW-1", proofType: "ABC", proofName: "", listed: nil, note: "",
                    by: "agent-0001", at: Fixtures.t0)
            } == .invalid(field: "holder_id"))
    }
}

/// An excluded method from the demo lists.
enum UnitDemoDataProbe {
    static func excludedMethod() -> ObtainingMethod? {
        UnitDemoData.items(of: UnitDemoData.bank.code).first { $0.code == "YH-KH-001" }?.proof("GZZM")?.method
    }
}
