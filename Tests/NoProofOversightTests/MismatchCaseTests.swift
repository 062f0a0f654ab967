import Foundation
import NoProofOversight
import Testing

@Suite("Mismatch case state machine")
struct MismatchCaseTests {
    static let university = Fixtures.university

    func opened() throws -> MismatchCase { try MismatchCase.open(Fixtures.opening(), id: "MM-1", at: Fixtures.t0) }

    @Test("opening needs a link, differing facts, another issuing unit")
    func opening() throws {
        func refused(_ change: (inout MismatchCase.Opening) -> Void) -> Refusal? {
            var opening = Fixtures.opening()
            change(&opening)
            return kind { _ = try MismatchCase.open(opening, id: "MM", at: Fixtures.t0) }
        }
        #expect(refused { _ in } == nil)
        #expect(refused { $0.proofSerial = "" } == .invalid(field: "proof_serial"))
        #expect(
            refused {
                $0.proofSerial = ""; $0.auditSequence = 7
            } == nil)
        #expect(
            refused {
                $0.proofSerial = ""; $0.verificationRequestID = "VR-1"
            } == nil)
        #expect(refused { $0.facts = [] } == .invalid(field: "facts"))
        #expect(refused { $0.facts = [MismatchedFact(key: "degree", declared: "学士", fetched: "学士")] } == .invalid(field: "facts[0]"))
        #expect(refused { $0.facts += [MismatchedFact(key: "degree", declared: "a", fetched: "b")] } == .invalid(field: "facts[1].key"))
        #expect(refused { $0.issuingUnit = $0.unit } == .invalid(field: "issuing_unit_code"))
        #expect(refused { $0.issuingUnit = "123" } == .invalid(field: "issuing_unit_code"))
        #expect(refused { $0.holderID = "x" } == .invalid(field: "holder_id"))
        let m = try opened()
        #expect(m.status == .open && m.openedAt == Fixtures.t0)
    }

    @Test("the full path: supplement asked and recorded, re-verified by the issuing unit, appealed, decided; replays change nothing")
    func fullPath() throws {
        var m = try opened()
        #expect(try m.requestSupplement("学位证书", by: "agent-0001", at: Fixtures.day(1)))
        #expect(m.status == .awaitingSupplement)
        #expect(try !m.requestSupplement("学位证书", by: "agent-0001", at: Fixtures.day(1)))
        #expect(try m.recordSupplement("证书复印件", by: "agent-0001", at: Fixtures.day(2)))
        #expect(m.status == .supplementReceived)
        #expect(try !m.recordSupplement("证书复印件", by: "agent-0001", at: Fixtures.day(2)))
        #expect(
            try m.reverify(
                finding: .recordCorrected, note: "档案有误已更正", corrected: ["degree": "硕士"], actingUnit: Self.university,
                credential: "uni", by: "agent-0001", at: Fixtures.day(3)))
        #expect(m.status == .resolved && m.resolvedAt == Fixtures.day(3) && m.facts[0].corrected == "硕士" && m.reverifiedCredential == "uni")
        #expect(
            try !m.reverify(
                finding: .recordCorrected, note: "档案有误已更正", corrected: ["degree": "硕士"], actingUnit: Self.university,
                credential: "uni", by: "agent-0001", at: Fixtures.day(4)))
        #expect(try m.fileAppeal(reference: "复议1号", by: "agent-0001", at: Fixtures.day(5)))
        #expect(m.status == .appealed)
        #expect(try !m.fileAppeal(reference: "复议1号", by: "agent-0001", at: Fixtures.day(5)))
        #expect(try m.decideAppeal(.overturned, note: "撤销", by: "agent-0001", at: Fixtures.day(6)))
        #expect(m.status == .appealDecided && m.appealOutcome == .overturned)
        #expect(try !m.decideAppeal(.overturned, note: "撤销", by: "agent-0001", at: Fixtures.day(6)))
    }

    @Test("re-verification straight from open; the record stands")
    func reverifyFromOpen() throws {
        var m = try opened()
        #expect(
            try m.reverify(
                finding: .recordStands, note: "记录无误", corrected: [:], actingUnit: Self.university, credential: "uni",
                by: "agent-0001", at: Fixtures.day(1)))
        #expect(m.status == .resolved && m.finding == .recordStands && m.correctedValues.isEmpty)
    }

    @Test("illegal transitions are refused with the state named")
    func refusals() throws {
        var m = try opened()
        // Only the issuing unit re-verifies.
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordStands, note: "n", corrected: [:], actingUnit: Fixtures.civil, credential: "c",
                    by: "agent-0001", at: Fixtures.day(1))
            } == .forbidden)
        // Supplement recorded before it was asked for; appeal before resolution; decision before appeal.
        #expect(kind { _ = try m.recordSupplement("x", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        #expect(kind { _ = try m.fileAppeal(reference: "R", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        #expect(kind { _ = try m.decideAppeal(.upheld, note: "", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        #expect(kind { _ = try m.requestSupplement(" ", by: "agent-0001", at: Fixtures.day(1)) } == .invalid(field: "request"))
        _ = try m.requestSupplement("证书", by: "agent-0001", at: Fixtures.day(1))
        // A different request while awaiting; re-verification while awaiting.
        #expect(kind { _ = try m.requestSupplement("别的", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordStands, note: "n", corrected: [:], actingUnit: Self.university, credential: "c",
                    by: "agent-0001", at: Fixtures.day(1))
            } == .wrongState)
        _ = try m.recordSupplement("复印件", by: "agent-0001", at: Fixtures.day(2))
        #expect(kind { _ = try m.recordSupplement("另一份", by: "agent-0001", at: Fixtures.day(2)) } == .wrongState)
        // Finding checks: corrected values only with record_corrected, and only for the case's facts.
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordStands, note: "n", corrected: ["degree": "x"], actingUnit: Self.university,
                    credential: "c", by: "agent-0001", at: Fixtures.day(3))
            } == .invalid(field: "corrected"))
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordCorrected, note: "n", corrected: [:], actingUnit: Self.university,
                    credential: "c", by: "agent-0001", at: Fixtures.day(3))
            } == .invalid(field: "corrected"))
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordCorrected, note: "n", corrected: ["name": "x"], actingUnit: Self.university,
                    credential: "c", by: "agent-0001", at: Fixtures.day(3))
            } == .invalid(field: "corrected"))
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordStands, note: "", corrected: [:], actingUnit: Self.university,
                    credential: "c", by: "agent-0001", at: Fixtures.day(3))
            } == .invalid(field: "note"))
        _ = try m.reverify(
            finding: .recordStands, note: "无误", corrected: [:], actingUnit: Self.university, credential: "c",
            by: "agent-0001", at: Fixtures.day(3))
        // The finding prevails: no other finding, no more supplements.
        #expect(
            kind {
                _ = try m.reverify(
                    finding: .recordCorrected, note: "改", corrected: ["degree": "硕士"], actingUnit: Self.university,
                    credential: "c", by: "agent-0001", at: Fixtures.day(4))
            } == .wrongState)
        #expect(kind { _ = try m.requestSupplement("再补", by: "agent-0001", at: Fixtures.day(4)) } == .wrongState)
        #expect(kind { _ = try m.recordSupplement("再补", by: "agent-0001", at: Fixtures.day(4)) } == .wrongState)
        _ = try m.fileAppeal(reference: "R1", by: "agent-0001", at: Fixtures.day(5))
        #expect(kind { _ = try m.fileAppeal(reference: "R2", by: "agent-0001", at: Fixtures.day(5)) } == .wrongState)
        _ = try m.decideAppeal(.upheld, note: "", by: "agent-0001", at: Fixtures.day(6))
        #expect(kind { _ = try m.decideAppeal(.withdrawn, note: "", by: "agent-0001", at: Fixtures.day(6)) } == .wrongState)
        #expect(try AppealOutcome.parse("withdrawn") == .withdrawn)
        #expect(kind { _ = try AppealOutcome.parse("won") } == .invalid(field: "outcome"))
        #expect(kind { _ = try MismatchFinding.parse("ok") } == .invalid(field: "finding"))
    }
}
