import Foundation
import NoProofDomain
import NoProofUnits
import NoProofVerification
import Testing

/// The deadline rules and the state machine; the store and the scheduler over it run on both
/// backends in `VerificationStoreBehaviour`.
@Suite("Department verification: deadlines and state machine")
struct VerificationTests {
    static let t0 = Date(timeIntervalSince1970: 1_767_600_000)

    static func filing(
        key: String = "k1", kind: VerificationItemKind = .immediate, databaseBacked: Bool = true,
        promised: Date? = nil
    ) -> VerificationRequest.Filing {
        VerificationRequest.Filing(
            requestKey: key, requestingUnit: "11370400004315119G", requestingUnitName: "枣庄市民政局", issuingUnit: "12370000495570452X",
            issuingUnitName: "枣庄学院", proofType: "XWZS", holderID: "370404199306107807", holderName: "张三",
            declared: [DeclaredFact(key: "degree", value: "学士")], itemCode: "MZ-HY-001", caseReference: "HY-1", itemKind: kind,
            promisedCompletionAt: promised, databaseBacked: databaseBacked, caseAcceptedAt: nil, filedBy: "agent-0001")
    }

    @Test("immediate items and unconnected databases: 30 minutes; commitment: 24 hours capped by the promised time, never under 30 minutes")
    func deadlineRules() throws {
        let immediate = try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .immediate, databaseBacked: false, promisedCompletionAt: nil)
        #expect(immediate.rule == .immediateItem && immediate.answerBy == Self.t0.addingTimeInterval(1800))
        #expect(immediate.returnBy == Self.t0.addingTimeInterval(1800))
        let database = try VerificationDeadlines.compute(
            filedAt: Self.t0, itemKind: .commitment, databaseBacked: true,
            promisedCompletionAt: Self.t0.addingTimeInterval(10 * 86_400))
        #expect(database.rule == .unconnectedDatabase && database.answerBy == Self.t0.addingTimeInterval(1800))
        let long = try VerificationDeadlines.compute(
            filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
            promisedCompletionAt: Self.t0.addingTimeInterval(5 * 86_400))
        #expect(long.rule == .commitment24h && long.answerBy == Self.t0.addingTimeInterval(86_400))
        #expect(long.returnBy == Self.t0.addingTimeInterval(1800))
        let capped = try VerificationDeadlines.compute(
            filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
            promisedCompletionAt: Self.t0.addingTimeInterval(6 * 3600))
        #expect(capped.rule == .commitmentPromisedTime && capped.answerBy == Self.t0.addingTimeInterval(6 * 3600))
        // A case already past (or within 30 minutes of) its promised time may still be verified:
        // the issuing unit gets the Art. 10 minimum of 30 minutes, never less, and the note says so.
        for promised in [Self.t0.addingTimeInterval(-3 * 86_400), Self.t0, Self.t0.addingTimeInterval(120)] {
            let minimum = try VerificationDeadlines.compute(
                filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
                promisedCompletionAt: promised)
            #expect(minimum.rule == .commitmentMinimum && minimum.answerBy == Self.t0.addingTimeInterval(1800))
            #expect(minimum.returnBy == Self.t0.addingTimeInterval(1800))
            #expect(DeadlineRule.note(rule: minimum.rule, promisedCompletionAt: promised).contains("30 minutes"))
        }
        #expect(DeadlineRule.note(rule: .commitment24h, promisedCompletionAt: Self.t0).isEmpty)
        #expect(throws: NoProofError.self) {
            try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .commitment, databaseBacked: false, promisedCompletionAt: nil)
        }
        // 2 working days from Friday 2026-01-09 (China time): end of Tuesday 2026-01-13.
        let friday = Date(timeIntervalSince1970: 1_767_920_400)  // 2026-01-09 09:00 +08:00
        let promised = try VerificationDeadlines.promisedCompletion(.workingDays(2), acceptedAt: friday)
        #expect(promised == Date(timeIntervalSince1970: 1_768_320_000))  // 2026-01-14 00:00 +08:00
        #expect(try VerificationDeadlines.promisedCompletion(.hours(24), acceptedAt: friday) == friday.addingTimeInterval(86_400))
    }

    @Test("state machine: take, answer, replay; return; overdue, escalation, second breach; refile")
    func stateMachine() throws {
        var r = try VerificationRequest.file(Self.filing(), id: "VR-1", at: Self.t0)
        #expect(r.status == .filed && r.nextDeadline == r.answerBy)
        #expect(throws: NoProofError.self) {
            _ = try r.answer(by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "", content: "x", at: Self.t0)
        }
        #expect(try r.take(by: "agent-0001", isSupervisor: false, at: Self.t0))
        #expect(try !r.take(by: "agent-0001", isSupervisor: false, at: Self.t0))
        #expect(throws: NoProofError.self) { _ = try r.take(by: "agent-0002", isSupervisor: false, at: Self.t0) }
        #expect(
            try r.answer(
                by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                content: "a", at: Self.t0.addingTimeInterval(600)))
        #expect(
            try !r.answer(
                by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                content: "a", at: Self.t0.addingTimeInterval(700)))
        #expect(throws: NoProofError.self) {
            _ = try r.answer(by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "other", content: "b", at: Self.t0)
        }
        #expect(r.verificationTime(at: Self.t0.addingTimeInterval(9999)) == 600 && !r.finishedLate && r.nextDeadline == nil)

        var late = try VerificationRequest.file(Self.filing(), id: "VR-2", at: Self.t0)
        let early = late.markOverdue(at: Self.t0.addingTimeInterval(1799))
        let due = late.markOverdue(at: Self.t0.addingTimeInterval(1800))
        #expect(!early && due)
        #expect(late.status == .escalated && late.escalationBy == Self.t0.addingTimeInterval(3600) && late.nextDeadline == late.escalationBy)
        let earlyBreach = late.recordSecondBreach(at: Self.t0.addingTimeInterval(3599))
        let breach = late.recordSecondBreach(at: Self.t0.addingTimeInterval(3600))
        #expect(!earlyBreach && breach)
        #expect(late.nextDeadline == nil)
        #expect(
            try late.answer(
                by: "supervisor-0001", isSupervisor: true, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                content: "c", at: Self.t0.addingTimeInterval(4000)))
        #expect(late.finishedLate && late.secondBreachAt != nil)

        var returned = try VerificationRequest.file(Self.filing(), id: "VR-3", at: Self.t0)
        _ = try returned.take(by: "agent-0001", isSupervisor: false, at: Self.t0)
        #expect(throws: NoProofError.self) {
            _ = try returned.returnRequest(by: "agent-0001", isSupervisor: false, reason: " ", suggestedUnit: "X", at: Self.t0)
        }
        #expect(
            try returned.returnRequest(
                by: "agent-0001", isSupervisor: false, reason: "not ours", suggestedUnit: "11370400004315203J",
                at: Self.t0.addingTimeInterval(300)))
        let next = try returned.refiling(
            to: "11370400004315203J", unitName: "公安局", id: "VR-4", by: "agent-0002", databaseBacked: true,
            at: Self.t0.addingTimeInterval(400))
        #expect(next.refiledFrom == "VR-3" && next.status == .filed && next.priorVerificationTime == 300)
        #expect(next.answerBy == Self.t0.addingTimeInterval(400 + 1800))
        #expect(next.verificationTime(at: Self.t0.addingTimeInterval(500)) == 400)
    }
}
