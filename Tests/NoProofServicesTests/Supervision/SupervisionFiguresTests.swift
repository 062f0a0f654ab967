import Foundation
import NoProofCodec
import NoProofDomain
import NoProofUnits
import Testing
@testable import NoProofServices

/// The report's figures and flag rules, as pure functions (no server): the flags reward
/// compliance — honest ledger entries raise nothing, demands for no-proof items do.
@Suite("Supervision figures and flags")
struct SupervisionFiguresTests {
    static let water = UnitDemoData.water
    static let end = UnitDemoData.effectiveAt.addingTimeInterval(86_400 * 60)

    static func published(_ unit: ServiceUnit = water, version: Int = 1) -> ItemListVersion {
        ItemListVersion(
            unitCode: unit.code, version: version, basedOn: nil, items: UnitDemoData.items(of: unit.code), changes: [],
            status: .published, createdAt: UnitDemoData.preparedAt, updatedAt: UnitDemoData.preparedAt,
            effectiveAt: UnitDemoData.effectiveAt, publishedAt: UnitDemoData.effectiveAt)
    }

    static func facts(_ history: [ItemListVersion], unit: ServiceUnit = water, staleDays: Int = 30) -> UnitListFacts {
        UnitListFacts.make(unit: unit, history: history, asOf: end, staleDays: staleDays)
    }

    static func flags(
        _ tallies: [String: Int64], oversight: OversightFigures? = OversightFigures(), list: UnitListFacts? = nil,
        days: Int = 30, thresholds: SupervisionThresholds = .standard,
        exemptions: [SupervisionFigures.ExemptionNote] = []
    ) -> [String] {
        let figures = SupervisionFigures.figures(
            tallies: tallies, oversight: oversight, list: list ?? facts([published()]),
            periodDays: days, thresholds: thresholds)
        return SupervisionFigures.flags(figures, thresholds: thresholds, exemptions: exemptions).map(\.code)
    }

    static func value(_ key: String, _ tallies: [String: Int64], oversight: OversightFigures? = OversightFigures(), list: UnitListFacts? = nil) -> UInt64? {
        SupervisionFigures.figures(tallies: tallies, oversight: oversight, list: list ?? facts([published()]), periodDays: 30)
            .first { $0.key == key && $0.recorded }?.value
    }

    static let active: [String: Int64] = ["Lookup|found": 3]

    @Test func honestLedgerEntriesRaiseNoFlagButDemandsForNoProofItemsDo() {
        // A unit that records every volunteered paper proof (Art. 2) is clean.
        let honest = OversightFigures(ledgerEntries: 12, ledgerEntriesForNoProofItems: 12)
        #expect(Self.flags(Self.active, oversight: honest).isEmpty)
        #expect(Self.value("ledger_entries_no_proof_items", Self.active, oversight: honest) == 12)
        // A complaint that the unit demanded a proof of a published no-proof item raises the flag ...
        let complained = OversightFigures(ledgerEntries: 0, complaintsByBreachType: ["demanded_no_proof_item": 1])
        #expect(Self.flags(Self.active, oversight: complained) == ["demanded_no_proof_items"])
        // ... and so does asking the system for a proof the item lists as cancelled.
        var tallies = Self.active
        tallies["Lookup|cancelled"] = 1
        #expect(Self.flags(tallies) == ["demanded_no_proof_items"])
        #expect(Self.value("lookups_cancelled_proofs", tallies) == 1 && Self.value("lookups_denied", tallies) == 1)
        #expect(Self.value("no_proof_item_demands", tallies, oversight: complained) == 2)
        // Without oversight records the trail's part still counts (and is labelled so).
        #expect(Self.value("no_proof_item_demands", tallies, oversight: nil) == 1)
        // An excluded proof asked for is a denied call, not a demand.
        #expect(Self.flags(["Lookup|found": 1, "Lookup|excluded": 1]).isEmpty)
        #expect(Self.value("lookups_other", ["Lookup|found": 1, "Lookup|excluded": 1, "Lookup|cancelled": 1]) == 0)
    }

    @Test func deniedCallsFlagAtTheConfiguredThreshold() throws {
        // The README walkthrough's single refused lookup is not a flag at the default threshold (5).
        #expect(Self.flags(["Lookup|found": 1, "Lookup|denied": 1]).isEmpty)
        #expect(Self.flags(["Lookup|found": 1, "Lookup|denied": 3, "Verification.File|denied": 2]) == ["denied_calls"])
        let strict = try SupervisionThresholds(overrides: ["denied_calls": 1, "repeated_overdue": 5])
        #expect(Self.flags(["Lookup|found": 1, "Lookup|denied": 1], thresholds: strict) == ["denied_calls"])
        #expect(Self.flags(["Lookup|found": 1, "Verification.Escalate|escalated": 4], thresholds: strict).isEmpty)
        #expect(Self.flags(["Lookup|found": 1, "Verification.Escalate|escalated": 2]) == ["repeated_overdue"])
        // The rules say the threshold in use.
        #expect(SupervisionFigures.rules(strict).first { $0.code == "denied_calls" }?.text.hasSuffix(">= 1") == true)
        #expect(SupervisionFigures.rules.first { $0.code == "denied_calls" }?.text.hasSuffix(">= 5") == true)
    }

    @Test func thresholdsRefuseUnknownCodesAndZero() {
        #expect(throws: ValidationError.self) { try SupervisionThresholds(overrides: ["denied_call": 2]) }
        #expect(throws: ValidationError.self) { try SupervisionThresholds(overrides: ["denied_calls": 0]) }
        #expect(throws: ValidationError.self) { try SupervisionThresholds(overrides: [:], staleListDays: 0) }
        // Every rule has a default, and every default a rule.
        #expect(Set(SupervisionFigures.rules.map(\.code)) == Set(SupervisionThresholds.defaults.keys))
    }

    @Test func lateReturnsAreCountedAndFlagged() {
        let tallies: [String: Int64] = ["Verification.Answer|verified": 2, "Verification.Return|returned": 1, "Verification.Return|returned late": 2]
        #expect(Self.value("verification_returned", tallies) == 3)
        #expect(Self.value("verification_returned_late", tallies) == 2)
        #expect(Self.flags(tallies) == ["late_returns"])
        #expect(Self.flags(["Verification.Return|returned": 1]).isEmpty)
    }

    @Test func aUnitWithoutAListInForceIsFlagged() {
        #expect(Self.flags(Self.active, list: Self.facts([])) == ["no_item_list"])
        // A draft or a submitted list is not a list in force.
        var submitted = Self.published()
        submitted.status = .submitted
        #expect(Self.flags(Self.active, list: Self.facts([submitted])) == ["no_item_list"])
        // The task force office compiles no list of its own.
        #expect(Self.flags([:], list: Self.facts([], unit: UnitDemoData.taskForce)).isEmpty)
        // Nor does an issuing unit only (named for department verification, or a licence type's
        // issuer) that never had a list; one that had a list and lost it is flagged.
        let university = UnitDemoData.university
        let issuers = UnitListFacts.verificationIssuers([[Self.published(UnitDemoData.civilAffairs)]])
        #expect(issuers.contains(university.code.value))
        let issuing = UnitListFacts.make(unit: university, history: [], asOf: Self.end, staleDays: 30, issuingUnits: issuers)
        #expect(!issuing.takesPart && Self.flags(["Verification.Answer|verified": 1], list: issuing).isEmpty)
        #expect(Self.flags(["Verification.Answer|verified": 1], list: Self.facts([], unit: university)) == ["no_item_list"])
        // Not registered: not known, so not flagged.
        let unknown = SupervisionFigures.figures(tallies: Self.active, oversight: nil, list: nil, periodDays: 30)
        #expect(unknown.first { $0.key == "item_list_missing" }?.recorded == false)
        #expect(SupervisionFigures.flags(unknown).isEmpty)
    }

    @Test func aListOlderThanItsDeclaredChangesIsStale() {
        var revision = Self.published(version: 2)
        revision.status = .submitted
        revision.effectiveAt = nil
        revision.publishedAt = nil
        let endDay = CivilDate(Self.end)
        revision.changes = [
            ListChange(kind: .add, itemCode: "SW-KH-001", proofCode: "HKB", cause: "新规", causeDate: endDay.adding(days: -40)),
            ListChange(kind: .reduce, itemCode: "SW-GH-002", proofCode: "YYZZ", cause: "新规", causeDate: endDay.adding(days: -3)),
        ]
        let facts = Self.facts([Self.published(), revision])
        #expect(facts.staleChanges == 1)  // only the change whose cause is more than 30 days old
        #expect(Self.flags(Self.active, list: facts) == ["stale_item_list"])
        #expect(Self.flags(Self.active, list: Self.facts([Self.published(), revision], staleDays: 60)).isEmpty)
        // Once the revision is published and in force, the list is current.
        var inForce = revision
        inForce.status = .published
        inForce.effectiveAt = Self.end.addingTimeInterval(-3600)
        #expect(Self.facts([Self.published(), inForce]).staleChanges == 0)
    }

    @Test func aUnitWithItemsThatNeverUsesTheSystemIsFlaggedOverALongEnoughPeriod() {
        #expect(Self.flags([:]) == ["system_not_used"])
        #expect(Self.flags([:], days: 6).isEmpty)  // shorter than 7 days: not judged
        #expect(Self.flags(["Verification.File|filed": 1]).isEmpty)  // verification is using it
        #expect(Self.flags(["Verification.Answer|verified": 1]).isEmpty)  // so is answering requests
        #expect(Self.flags(["Lookup|not_found": 1]).isEmpty)
        // A list whose items need nothing from the system (all cancelled or by commitment) is not flagged.
        var noSystem = Self.published()
        noSystem.items = [
            ServiceItem(
                code: "X-1", name: "x", kind: .immediate,
                proofs: [ProofRequirement(proofCode: "WYZM", method: .cancelled)])
        ]
        #expect(Self.flags([:], list: Self.facts([noSystem])).isEmpty)
        let relaxed = try! SupervisionThresholds(overrides: [:], systemUnusedMinimumDays: 31)
        #expect(Self.flags([:], thresholds: relaxed).isEmpty)
    }

    @Test func anExemptedFlagIsStillRaisedAndMarked() {
        let note = SupervisionFigures.ExemptionNote(flag: "repeated_overdue", text: "EX-1: exempted under Art. 17 (harm_remedied)")
        let figures = SupervisionFigures.figures(
            tallies: ["Lookup|found": 1, "Verification.Escalate|escalated": 2, "Verification.SecondBreach|second_breach": 1],
            oversight: nil, list: Self.facts([Self.published()]), periodDays: 30)
        let flags = SupervisionFigures.flags(figures, exemptions: [note])
        #expect(flags.map(\.code) == ["repeated_overdue", "second_breach"])
        #expect(flags[0].exempted && flags[0].exemption == note.text)
        #expect(!flags[1].exempted && flags[1].exemption.isEmpty)
    }
}
