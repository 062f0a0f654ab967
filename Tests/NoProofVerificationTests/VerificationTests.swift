import Foundation
import NoProofDomain
import NoProofTestSupport
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore
import Synchronization
import Testing

@Suite("Department verification: deadlines, state machine, store and scheduler")
struct VerificationTests {
    static let t0 = Date(timeIntervalSince1970: 1_767_600_000)

    static func filing(key: String = "k1", kind: VerificationItemKind = .immediate, databaseBacked: Bool = true,
                       promised: Date? = nil) -> VerificationRequest.Filing {
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
        let database = try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .commitment, databaseBacked: true,
                                                         promisedCompletionAt: Self.t0.addingTimeInterval(10 * 86_400))
        #expect(database.rule == .unconnectedDatabase && database.answerBy == Self.t0.addingTimeInterval(1800))
        let long = try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
                                                     promisedCompletionAt: Self.t0.addingTimeInterval(5 * 86_400))
        #expect(long.rule == .commitment24h && long.answerBy == Self.t0.addingTimeInterval(86_400))
        #expect(long.returnBy == Self.t0.addingTimeInterval(1800))
        let capped = try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
                                                       promisedCompletionAt: Self.t0.addingTimeInterval(6 * 3600))
        #expect(capped.rule == .commitmentPromisedTime && capped.answerBy == Self.t0.addingTimeInterval(6 * 3600))
        // A case already past (or within 30 minutes of) its promised time may still be verified:
        // the issuing unit gets the Art. 10 minimum of 30 minutes, never less, and the note says so.
        for promised in [Self.t0.addingTimeInterval(-3 * 86_400), Self.t0, Self.t0.addingTimeInterval(120)] {
            let minimum = try VerificationDeadlines.compute(filedAt: Self.t0, itemKind: .commitment, databaseBacked: false,
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
        let friday = Date(timeIntervalSince1970: 1_767_920_400) // 2026-01-09 09:00 +08:00
        let promised = try VerificationDeadlines.promisedCompletion(.workingDays(2), acceptedAt: friday)
        #expect(promised == Date(timeIntervalSince1970: 1_768_320_000)) // 2026-01-14 00:00 +08:00
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
        #expect(try r.answer(by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                             content: "a", at: Self.t0.addingTimeInterval(600)))
        #expect(try !r.answer(by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "",
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
        #expect(try late.answer(by: "supervisor-0001", isSupervisor: true, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                                content: "c", at: Self.t0.addingTimeInterval(4000)))
        #expect(late.finishedLate && late.secondBreachAt != nil)

        var returned = try VerificationRequest.file(Self.filing(), id: "VR-3", at: Self.t0)
        _ = try returned.take(by: "agent-0001", isSupervisor: false, at: Self.t0)
        #expect(throws: NoProofError.self) {
            _ = try returned.returnRequest(by: "agent-0001", isSupervisor: false, reason: " ", suggestedUnit: "X", at: Self.t0)
        }
        #expect(try returned.returnRequest(by: "agent-0001", isSupervisor: false, reason: "not ours", suggestedUnit: "11370400004315203J",
                                           at: Self.t0.addingTimeInterval(300)))
        let next = try returned.refiling(to: "11370400004315203J", unitName: "公安局", id: "VR-4", by: "agent-0002", databaseBacked: true,
                                         at: Self.t0.addingTimeInterval(400))
        #expect(next.refiledFrom == "VR-3" && next.status == .filed && next.priorVerificationTime == 300)
        #expect(next.answerBy == Self.t0.addingTimeInterval(400 + 1800))
        #expect(next.verificationTime(at: Self.t0.addingTimeInterval(500)) == 400)
    }

    static func directory() throws -> URL {
        try TemporaryDirectory(prefix: "noproof-verification").url
    }

    @Test("store: synchronous=FULL, idempotent insert, atomic refile, pending deadlines")
    func store() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteVerificationStore(directory: dir)
        #expect(try store.synchronousLevel() == 2)
        let r = try VerificationRequest.file(Self.filing(), id: "VR-1", at: Self.t0)
        #expect(try await store.insert(r).created)
        var again = r
        again.id = "VR-OTHER"
        let replay = try await store.insert(again)
        #expect(!replay.created && replay.request.id == "VR-1")
        #expect(try await store.pending().map(\.id) == ["VR-1"])
        _ = try await store.update(id: "VR-1") { r throws(NoProofError) in
            _ = try r.take(by: "agent-0001", isSupervisor: false, at: Self.t0)
            return try r.returnRequest(by: "agent-0001", isSupervisor: false, reason: "not ours", suggestedUnit: "11370400004315203J", at: Self.t0)
        }
        #expect(try await store.pending().isEmpty)
        let first = try await store.refile(id: "VR-1") { old throws(NoProofError) in
            try old.refiling(to: "11370400004315203J", unitName: "公安局", id: "VR-2", by: "agent-0001", databaseBacked: true, at: Self.t0)
        }
        let second = try await store.refile(id: "VR-1") { old throws(NoProofError) in
            try old.refiling(to: "11370400004315203J", unitName: "公安局", id: "VR-3", by: "agent-0001", databaseBacked: true, at: Self.t0)
        }
        #expect(first.created && !second.created && second.request.id == "VR-2")
        #expect(try await store.request(id: "VR-1")?.refiledAs == "VR-2")
        #expect(try await store.queue(issuingUnit: "11370400004315203J", includeFinished: false, limit: 10).map(\.id) == ["VR-2"])
        try store.close()
    }

    @Test("restart with pending deadlines: reopened store, re-armed scheduler, the deadlines still fire")
    func restart() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = TestClock(Self.t0)
        do {
            let store = try SQLiteVerificationStore(directory: dir)
            let scheduler = VerificationScheduler(store: store, now: { clock.now })
            let r = try VerificationRequest.file(Self.filing(), id: "VR-1", at: clock.now)
            _ = try await store.insert(r)
            await scheduler.arm(r)
            try store.close()
        }
        clock.advance(by: 1800)
        let store = try SQLiteVerificationStore(directory: dir)
        let seen = Mutex<[String]>([])
        let scheduler = VerificationScheduler(store: store, now: { clock.now }) { _, kinds, _ in seen.withLock { $0 += kinds } }
        #expect(try await scheduler.rearm() == 1)
        #expect(await scheduler.fireDue().map(\.id) == ["VR-1"])
        #expect(try await store.request(id: "VR-1")?.status == .escalated)
        #expect(seen.withLock { $0 } == ["escalated"])
        #expect(await scheduler.fireDue().isEmpty)
        clock.advance(by: 1800)
        _ = await scheduler.fireDue()
        #expect(try await store.request(id: "VR-1")?.secondBreachAt != nil)
        #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
        #expect(await scheduler.armedDeadlines.isEmpty)
        try store.close()
    }

    @Test("long downtime: both deadlines passed, both transitions recorded at once")
    func longDowntime() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = TestClock(Self.t0)
        let store = try SQLiteVerificationStore(directory: dir)
        _ = try await store.insert(try VerificationRequest.file(Self.filing(), id: "VR-1", at: clock.now))
        clock.advance(by: 7200)
        let seen = Mutex<[String]>([])
        let scheduler = VerificationScheduler(store: store, now: { clock.now }) { _, kinds, _ in seen.withLock { $0 += kinds } }
        try await scheduler.rearm()
        await scheduler.fireDue()
        #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
        try store.close()
    }

    /// Issue 16: deadlines ran on the wall clock, so a request filed on Friday at 17:50 reached
    /// second breach at 18:50. In office time it is due on Monday at 09:00, escalated then, and
    /// the supervisor's 30 minutes end at 09:30.
    @Test("office time: filed Friday 17:50, due Monday 09:00, second breach Monday 09:30")
    func officeTimeDeadlines() async throws {
        let office = OfficeClock(calendar: .default, hours: .standard)
        func cst(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
            // March 2026, China Standard Time.
            Date(timeIntervalSince1970: Double(CivilDate(year: 2026, month: 3, day: day)!.daysSinceEpoch * 86_400 + (hour - 8) * 3600 + minute * 60))
        }
        let friday = cst(13, 17, 50)
        let request = try VerificationRequest.file(Self.filing(), id: "VR-1", at: friday, clock: office)
        #expect(request.answerBy == cst(16, 9, 0) && request.returnBy == cst(16, 9, 0))
        let commitment = try VerificationDeadlines.compute(filedAt: cst(9, 8, 30), itemKind: .commitment, databaseBacked: false,
                                                           promisedCompletionAt: cst(31, 0, 0), clock: office)
        #expect(commitment.rule == .commitment24h && commitment.answerBy == cst(12, 10, 0))

        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = TestClock(Self.t0)
        clock.set(cst(13, 18, 50))
        let store = try SQLiteVerificationStore(directory: dir)
        _ = try await store.insert(request)
        let seen = Mutex<[String]>([])
        let scheduler = VerificationScheduler(store: store, now: { clock.now }, observer: { _, kinds, _ in seen.withLock { $0 += kinds } },
                                              clock: { office })
        try await scheduler.rearm()
        #expect(await scheduler.fireDue().isEmpty, "nothing is due on Friday evening")
        clock.set(cst(16, 9, 0))
        await scheduler.fireDue()
        #expect(try await store.request(id: "VR-1")?.escalationBy == cst(16, 9, 30))
        #expect(seen.withLock { $0 } == ["escalated"])
        clock.set(cst(16, 9, 30))
        await scheduler.fireDue()
        #expect(try await store.request(id: "VR-1")?.secondBreachAt == cst(16, 9, 30))
        #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
        try store.close()
    }
}
