import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore
import Synchronization
import Testing
@testable import NoProofServices
@testable import NoProofAudit
import NoProofAuditChain

/// Department verification over the in-process transport (the server's real pipeline, no
/// port): demo units (civil affairs, hospital, bank, the university and the public security
/// bureau) with their published lists, an injected clock that the tests move, and the scheduler
/// fired by hand after each move.
@Suite("Verification service in process")
struct VerificationServiceTests {
    static let civil = UnitDemoData.civilAffairs.code.value
    static let university = UnitDemoData.university.code.value
    static let police = UnitDemoData.publicSecurity.code.value
    static let holder = "370404199306107807"

    struct Environment: Sendable {
        let transport: InProcessTransport
        let clock: TestClock
        let service: VerificationService
        let audit: AuditLog
        let keyring: SealKeyring
        let units: SQLiteUnitStore
        func client(_ id: String) async throws -> NoProofClient {
            try await transport.connect(.init(credential: (id, "secret")))
        }
    }

    /// - Parameter officeHours: run the Art. 10 clocks in office time on the store's calendar
    ///   (as noproofd does); nil: the wall clock.
    static func withEnvironment(
        directory given: URL? = nil, officeHours: OfficeHours? = nil,
        _ body: @Sendable (Environment) async throws -> Void
    ) async throws {
        let temporary = try given == nil ? TemporaryDirectory(prefix: "noproof-verify") : nil
        defer { temporary?.remove() }
        let directory = given ?? temporary!.url
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let audit = try AuditLog(directory: directory)
        let store = try SQLiteVerificationStore(directory: directory)
        if let officeHours { units.calendarBook.replace(hours: officeHours) }
        let service = VerificationService(
            store: store, units: units, keyring: keyring, audit: audit,
            databaseBacked: { ["XWZS", "WFZJL"].contains($0) }, now: { clock.now },
            calendar: officeHours == nil ? nil : units.calendarBook, logger: quiet)
        try await service.start()
        var registry = RPCRegistry()
        service.register(in: &registry)
        let fixed = FixedCredentials.make([
            ("civil", UnitDemoData.civilAffairs), ("hospital", UnitDemoData.hospital), ("bank", UnitDemoData.bank),
            ("university", UnitDemoData.university), ("police", UnitDemoData.publicSecurity), ("water", UnitDemoData.water),
        ])
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(300)
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
        try await withInProcessServer(server) { transport in
            try await body(Environment(transport: transport, clock: clock, service: service, audit: audit, keyring: keyring, units: units))
        }
        audit.close()
        try store.close()
        try units.close()
    }

    static func filing(
        key: String = UUID().uuidString, to: String = university, proof: String = "XWZS", item: String = "MZ-HY-001",
        promised: Int64 = 0
    ) -> APIFileVerificationRequest {
        APIFileVerificationRequest(
            requestKey: key, issuingUnitCode: to, proofType: proof, holderID: holder, holderName: "张三",
            declared: [APILicenceField(key: "degree", value: "学士")],
            purpose: APIPurpose(itemCode: item, caseReference: "HY-1"), promisedCompletionAtMillis: promised)
    }

    static let record = APILicence(licenceID: "1045312026000123", holderName: "张三", fields: [APILicenceField(key: "degree", value: "学士")])

    @Test("answered in time: filed, seen by the watching agent, taken, answered with a verification-sealed proof; audited")
    func answeredInTime() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university/agent-0001")
            var queue = university.watchVerificationQueue(includeOpen: true, staff: "agent-0001").makeAsyncIterator()
            // The watch is registered once the server has subscribed; the first filing is pushed as "new".
            while env.service.events.subscriberCount == 0 { await Task.yield() }
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0002").request)
            #expect(filed.status == "filed" && filed.deadlineRule == "immediate_item")
            #expect(filed.answerByMillis - filed.filedAtMillis == 30 * 60 * 1000)
            let pushed = try #require(try await queue.next())
            #expect(pushed.kind == "new" && pushed.request?.requestID == filed.requestID)
            #expect(try await university.verificationQueue().map(\.requestID) == [filed.requestID])
            _ = try await university.takeVerification(id: filed.requestID, staff: "agent-0001")
            env.clock.advance(by: 600)
            let answered = try #require(
                try await university.answerVerification(
                    APIAnswerVerificationRequest(requestID: filed.requestID, outcome: "verified", licence: Self.record), staff: "agent-0001"
                ).request)
            #expect(answered.status == "answered" && !answered.finishedLate && answered.verificationMillis == 600_000)
            let got = try #require(try await civil.verificationRequest(id: filed.requestID).request)
            let proof = try #require(got.proof)
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            #expect(body.sealKind == "verification" && body.extractingUnitCode == Self.civil && body.producingUnitCode == Self.university)
            #expect(body.extractedAtMillis == answered.finishedAtMillis && body.licence?.typeCode == "XWZS")
            // Issue 16: the requesting unit's filer is the extracting unit's staff, the issuing unit's
            // agent the verifier; the licence carries no version or validity the answer did not give.
            #expect(body.staff == "agent-0002" && body.verifierStaff == "agent-0001")
            #expect(body.licence?.version == 0 && body.licence?.validFrom == "" && body.licence?.validTo == "")
            #expect(body.licence?.holderID == Self.holder && body.licence?.issuerCode == Self.university)
            #expect(got.checks.map(\.result) == [.match])
            let verifier = SealVerifier(keys: env.keyring.publicKeys)
            try verifier.verify(body: proof.body, seal: Seal(keyID: proof.keyID, signature: proof.signature))
            #expect(proof.keyID == env.keyring.publicKey(.verification).id)
            // Item processing time excludes verification time.
            env.clock.advance(by: 300)
            let later = try #require(try await civil.verificationRequest(id: filed.requestID).request)
            #expect(later.verificationMillis == 600_000 && later.itemProcessingMillis == 300_000)
            let actions = try env.audit.records().map(\.action)
            #expect(actions == [.verificationFile, .verificationTake, .verificationAnswer])
            await civil.close()
            await university.close()
        }
    }

    /// Publishes a new version of `unit`'s list in force, edited by `edit`, through the task
    /// force office's approval (as `noproof list draft/submit/approve/publish` would).
    static func republish(
        _ units: SQLiteUnitStore, unit: UnifiedSocialCreditCode, at now: Date, change: ListChange,
        _ edit: (inout [ServiceItem]) -> Void
    ) async throws {
        let draft = try await units.createDraft(unit: unit, by: "agent-0001", at: now)
        var items = draft.items
        edit(&items)
        _ = try await units.saveDraft(unit: unit, version: draft.version, items: items, changes: [change], by: "agent-0001", at: now)
        _ = try await units.submitList(unit: unit, version: draft.version, by: "agent-0001", at: now)
        _ = try await units.approveList(unit: unit, version: draft.version, reviewerStaff: "supervisor-0001", at: now, effectiveAt: now)
        _ = try await units.publishList(unit: unit, version: draft.version, actor: "system", at: now)
    }

    @Test(
        "returned with a suggestion: re-filed only to the unit the requester's published list names; once the list names the suggested unit, re-filed in one call"
    )
    func returnedAndRefiled() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university/agent-0001")
            let police = try await env.client("police")
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            var follow = civil.watchVerification(id: filed.requestID).makeAsyncIterator()
            #expect(try await follow.next()?.kind == "current")
            _ = try await university.takeVerification(id: filed.requestID, staff: "agent-0001")
            env.clock.advance(by: 120)
            let returned = try #require(
                try await university.returnVerification(
                    id: filed.requestID, reason: "degree awarded by another institution", suggestedUnit: Self.police, staff: "agent-0001"
                ).request)
            #expect(returned.status == "returned" && returned.suggestedUnitCode == Self.police && !returned.finishedLate)
            var kinds: [String] = []
            while let event = try await follow.next() { kinds.append(event.kind) }
            #expect(kinds == ["taken", "returned"])
            // Civil affairs' list names the university as XWZS's verifier: the suggestion does not widen that.
            do {
                _ = try await civil.refileVerification(id: filed.requestID, staff: "agent-0002")
                Issue.record("re-filed to a unit the list does not name")
            } catch let error as RPCError {
                #expect(error.code == .permissionDenied)
                #expect(error.message.contains(Self.university) && error.message.contains("list"), "\(error.message)")
            }
            #expect(try await police.verificationQueue().isEmpty)
            // Now the list is changed (approved and published): XWZS of MZ-HY-001 verified by the police.
            let change = ListChange(
                kind: .change, itemCode: "MZ-HY-001", proofCode: "XWZS", cause: "学位证书改由公安局核验",
                causeDate: CivilDate(env.clock.now))
            try await Self.republish(env.units, unit: UnitDemoData.civilAffairs.code, at: env.clock.now, change: change) { items in
                let index = items.firstIndex { $0.code == "MZ-HY-001" }!
                let proof = items[index].proofs.firstIndex { $0.proofCode == "XWZS" }!
                items[index].proofs[proof].method = .departmentVerification(issuingUnit: UnitDemoData.publicSecurity.code)
            }
            let refiled = try #require(try await civil.refileVerification(id: filed.requestID, staff: "agent-0002").request)
            #expect(refiled.issuingUnitCode == Self.police && refiled.refiledFrom == filed.requestID && refiled.status == "filed")
            let again = try await civil.refileVerification(id: filed.requestID, staff: "agent-0002")
            #expect(again.replayed && again.request?.requestID == refiled.requestID)
            #expect(try await police.verificationQueue().map(\.requestID) == [refiled.requestID])
            #expect(try await civil.verificationRequest(id: filed.requestID).request?.refiledAs == refiled.requestID)
            env.clock.advance(by: 60)
            #expect(try await civil.verificationRequest(id: refiled.requestID).request?.verificationMillis == 180_000)
            await civil.close()
            await university.close()
            await police.close()
        }
    }

    @Test(
        "issue 14: file and refile --to a unit the published list does not name are PERMISSION_DENIED naming the listed unit; nothing reaches it and the server goes on serving"
    )
    func misdirectedFilingAndRefilingAreRefused() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university/agent-0001")
            let water = try await env.client("water")
            // Filing straight to the wrong unit.
            do {
                _ = try await civil.fileVerification(Self.filing(to: UnitDemoData.water.code.value), staff: "agent-0001")
                Issue.record("filed to a unit the list does not name")
            } catch let error as RPCError {
                #expect(error.code == .permissionDenied && error.message.contains(Self.university), "\(error.message)")
            }
            // Re-filing a returned request to any unit but the listed one, by --to or by the suggestion.
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            _ = try await university.takeVerification(id: filed.requestID, staff: "agent-0001")
            _ = try await university.returnVerification(
                id: filed.requestID, reason: "not ours", suggestedUnit: UnitDemoData.water.code.value,
                staff: "agent-0001")
            for target in ["", UnitDemoData.water.code.value, Self.police] {
                do {
                    _ = try await civil.refileVerification(id: filed.requestID, to: target, staff: "agent-0001")
                    Issue.record("re-filed to \(target.isEmpty ? "the suggested unit" : target)")
                } catch let error as RPCError {
                    #expect(error.code == .permissionDenied, "\(target): \(error.code)")
                    #expect(error.message.contains(Self.university) && error.message.contains("MZ-HY-001"), "\(error.message)")
                }
            }
            // The misdirected units received nothing of the applicant's.
            #expect(try await water.verificationQueue(includeFinished: true).isEmpty)
            let refusals = try env.audit.records().filter { $0.action == .verificationRefile }
            #expect(refusals.count == 3 && refusals.allSatisfy { $0.result == .denied })
            // The listed unit is still allowed, and the server goes on serving.
            let refiled = try #require(try await civil.refileVerification(id: filed.requestID, to: Self.university, staff: "agent-0001").request)
            #expect(refiled.issuingUnitCode == Self.university && refiled.status == "filed")
            await civil.close()
            await university.close()
            await water.close()
        }
    }

    @Test("overdue -> escalated to the supervisor's watch -> finished late by the supervisor")
    func overdueEscalatedFinished() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university")
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            var supervisor = university.watchVerificationQueue(includeOpen: false, staff: "supervisor-0001").makeAsyncIterator()
            var agent = university.watchVerificationQueue(includeOpen: false, staff: "agent-0001").makeAsyncIterator()
            while env.service.events.subscriberCount < 2 { await Task.yield() }
            env.clock.advance(by: 30 * 60)
            #expect(await env.service.scheduler.fireDue().count == 1)
            let escalation = try #require(try await supervisor.next())
            #expect(escalation.kind == "escalated" && escalation.request?.status == "escalated")
            #expect(try await agent.next()?.kind == "overdue")
            env.clock.advance(by: 10 * 60)
            // Answering is the issuing unit's word: the supervisor signs in with their own credential.
            let universitySupervisor = try await env.client("university/supervisor-0001")
            defer { Task { await universitySupervisor.close() } }
            let finished = try #require(
                try await universitySupervisor.answerVerification(
                    APIAnswerVerificationRequest(requestID: filed.requestID, outcome: "not_on_record", note: "no such degree"), staff: "supervisor-0001"
                ).request)
            #expect(finished.status == "answered" && finished.finishedLate && finished.secondBreachAtMillis == 0)
            env.clock.advance(by: 60 * 60)
            #expect(await env.service.scheduler.fireDue().isEmpty)
            await civil.close()
            await university.close()
        }
    }

    /// Issue 16: on the wall clock a request filed on Friday at 17:50 reached second breach at
    /// 18:50. In office time it is due on Monday at 09:00 and the supervisor's half hour ends at 09:30.
    /// An instant of January 2026, China Standard Time.
    @Sendable static func januaryCST(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
        Date(timeIntervalSince1970: Double(CivilDate(year: 2026, month: 1, day: day)!.daysSinceEpoch * 86_400 + (hour - 8) * 3600 + minute * 60))
    }

    @Test("office time: filed Friday 17:50, nothing due over the weekend, escalated Monday 09:00, second breach 09:30")
    func officeTimeOverTheWeekend() async throws {
        try await Self.withEnvironment(officeHours: .standard) { env in
            let cst = Self.januaryCST
            env.clock.set(cst(9, 17, 50))  // Friday 9 January 2026
            let civil = try await env.client("civil")
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            #expect(filed.answerByMillis == Self.millis(cst(12, 9, 0)) && filed.returnByMillis == Self.millis(cst(12, 9, 0)))
            env.clock.set(cst(9, 18, 50))
            #expect(await env.service.scheduler.fireDue().isEmpty)
            env.clock.set(cst(11, 23, 0))
            #expect(await env.service.scheduler.fireDue().isEmpty)
            env.clock.set(cst(12, 9, 0))
            let escalated = await env.service.scheduler.fireDue()
            #expect(escalated.first?.escalationBy == cst(12, 9, 30))
            env.clock.set(cst(12, 9, 30))
            #expect(await env.service.scheduler.fireDue().first?.secondBreachAt == cst(12, 9, 30))
            await civil.close()
        }
    }

    @Test("overdue twice: the supervisor's 30 minutes pass too and the second breach is recorded and pushed")
    func overdueTwice() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university")
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            var supervisor = university.watchVerificationQueue(includeOpen: false, staff: "supervisor-0001").makeAsyncIterator()
            while env.service.events.subscriberCount < 1 { await Task.yield() }
            env.clock.advance(by: 30 * 60)
            await env.service.scheduler.fireDue()
            #expect(try await supervisor.next()?.kind == "escalated")
            env.clock.advance(by: 30 * 60)
            await env.service.scheduler.fireDue()
            let breach = try #require(try await supervisor.next())
            #expect(breach.kind == "second_breach" && breach.request?.secondBreachAtMillis == filed.answerByMillis + 30 * 60 * 1000)
            let actions = try env.audit.records().map(\.action)
            #expect(actions == [.verificationFile, .verificationEscalate, .verificationSecondBreach])
            await civil.close()
            await university.close()
        }
    }

    /// The promised completion time of the hospital's YY-YB-002 (5 working days) for a case accepted at `accepted`.
    static func hospitalPromised(acceptedAt accepted: Date) -> Date {
        try! VerificationDeadlines.promisedCompletion(.workingDays(5), acceptedAt: accepted)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    @Test("deadline rules over RPC: the 24-hour commitment limit, capped by the item's promised time, never under 30 minutes")
    func commitmentDeadlines() async throws {
        try await Self.withEnvironment { env in
            let hospital = try await env.client("hospital")
            let now = env.clock.now
            // ZDZM has no database behind it: a commitment item gets 24 hours...
            let long = try #require(try await hospital.fileVerification(Self.filing(proof: "ZDZM", item: "YY-YB-002"), staff: "agent-0001").request)
            #expect(long.itemKind == "commitment" && long.deadlineRule == "commitment_24h" && long.answerByMillis - long.filedAtMillis == 86_400_000)
            #expect(long.promisedCompletionAtMillis == Self.millis(Self.hospitalPromised(acceptedAt: now)) && long.deadlineNote.isEmpty)
            // ...but never later than the item's promised completion time, counted from the case's acceptance.
            let accepted = try #require(
                (0..<24 * 40).lazy.map { now.addingTimeInterval(-Double($0) * 3600) }.first {
                    (3600...(23 * 3600)).contains(Self.hospitalPromised(acceptedAt: $0).timeIntervalSince(now))
                })
            let promised = Self.hospitalPromised(acceptedAt: accepted)
            var capping = Self.filing(proof: "ZDZM", item: "YY-YB-002")
            capping.caseAcceptedAtMillis = Self.millis(accepted)
            let capped = try #require(try await hospital.fileVerification(capping, staff: "agent-0001").request)
            #expect(capped.deadlineRule == "commitment_promised_time" && capped.answerByMillis == Self.millis(promised), "\(capped.deadlineRule)")
            // A database-backed proof not yet connected: 30 minutes even for a commitment item.
            let database = try #require(try await hospital.fileVerification(Self.filing(item: "YY-YB-002"), staff: "agent-0001").request)
            #expect(database.deadlineRule == "unconnected_database" && database.answerByMillis - database.filedAtMillis == 1_800_000)
            await hospital.close()
        }
    }

    @Test(
        "issue 14: the requesting unit cannot set the promised completion time: --promised-by 2 minutes or months ahead is refused naming the published one; a case past it is verified within the 30-minute minimum, and says so"
    )
    func promisedCompletionComesFromThePublishedItem() async throws {
        try await Self.withEnvironment { env in
            let hospital = try await env.client("hospital")
            let university = try await env.client("university")
            let now = env.clock.now
            let served = Self.hospitalPromised(acceptedAt: now)
            for attempt in [now.addingTimeInterval(120), now.addingTimeInterval(120 * 86_400)] {
                do {
                    _ = try await hospital.fileVerification(Self.filing(proof: "ZDZM", item: "YY-YB-002", promised: Self.millis(attempt)), staff: "agent-0001")
                    Issue.record("a caller's promised time was accepted")
                } catch let error as RPCError {
                    #expect(error.code == .invalidArgument && error.message.hasPrefix("promised_completion_at_millis"), "\(error.message)")
                    #expect(error.message.contains("5 working days") && error.message.contains("\(Self.millis(served))"), "\(error.message)")
                }
            }
            #expect(try await university.verificationQueue().isEmpty)
            // Sending the published time itself is accepted (the deprecated field agrees).
            let agreed = try #require(
                try await hospital.fileVerification(
                    Self.filing(proof: "ZDZM", item: "YY-YB-002", promised: Self.millis(served)), staff: "agent-0001"
                ).request)
            #expect(agreed.promisedCompletionAtMillis == Self.millis(served) && agreed.deadlineRule == "commitment_24h")
            // A case accepted weeks ago is past its promised time: still verifiable, with the
            // Art. 10 minimum of 30 minutes, and the record says why.
            var late = Self.filing(proof: "ZDZM", item: "YY-YB-002")
            late.caseAcceptedAtMillis = Self.millis(now.addingTimeInterval(-30 * 86_400))
            let past = try #require(try await hospital.fileVerification(late, staff: "agent-0001").request)
            #expect(past.deadlineRule == "commitment_minimum" && past.answerByMillis - past.filedAtMillis == 1_800_000)
            #expect(past.deadlineNote.contains("30 minutes") && past.deadlineNote.contains("promised"), "\(past.deadlineNote)")
            // The issuing unit is not pushed into OVERDUE before the minimum.
            env.clock.advance(by: 25 * 60)
            #expect(await env.service.scheduler.fireDue().isEmpty)
            #expect(try await university.verificationQueue().map(\.overdueAtMillis) == [0, 0])
            await hospital.close()
            await university.close()
        }
    }

    @Test("restart with a pending deadline: the reopened server re-arms it and it still fires")
    func restart() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-verify-restart")
        defer { temporary.remove() }
        let directory = temporary.url
        let id = Mutex("")
        try await Self.withEnvironment(directory: directory) { env in
            let civil = try await env.client("civil")
            id.withLock { $0 = "" }
            let filed = try await civil.fileVerification(Self.filing(), staff: "agent-0001").request!
            id.withLock { $0 = filed.requestID }
            await civil.close()
        }
        try await Self.withEnvironment(directory: directory) { env in
            let requestID = id.withLock { $0 }
            #expect(await env.service.scheduler.armedDeadlines.keys.contains(requestID))
            env.clock.advance(by: 30 * 60)
            #expect(await env.service.scheduler.fireDue().map(\.id) == [requestID])
            let civil = try await env.client("civil")
            #expect(try await civil.verificationRequest(id: requestID).request?.status == "escalated")
            await civil.close()
        }
    }

    @Test("idempotent retries: the same filing twice is one request, the same answer twice is one answer")
    func idempotentRetries() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university/agent-0001")
            let filing = Self.filing(key: "retry-1")
            let first = try await civil.fileVerification(filing, staff: "agent-0001")
            let second = try await civil.fileVerification(filing, staff: "agent-0001")
            #expect(!first.replayed && second.replayed && first.request?.requestID == second.request?.requestID)
            var different = filing
            different.holderID = "370404199001011230"  // another (valid) resident
            #expect(await failureCode { _ = try await civil.fileVerification(different, staff: "agent-0001") } == .alreadyExists)
            let id = first.request!.requestID
            #expect(try await civil.filedVerifications().count == 1)
            _ = try await university.takeVerification(id: id, staff: "agent-0001")
            #expect(try await university.takeVerification(id: id, staff: "agent-0001").replayed)
            let answer = APIAnswerVerificationRequest(requestID: id, outcome: "verified", licence: Self.record)
            let a1 = try await university.answerVerification(answer, staff: "agent-0001")
            env.clock.advance(by: 5)
            let a2 = try await university.answerVerification(answer, staff: "agent-0001")
            #expect(!a1.replayed && a2.replayed && a1.request?.proof == a2.request?.proof && a1.request?.finishedAtMillis == a2.request?.finishedAtMillis)
            #expect(
                await failureCode {
                    _ = try await university.answerVerification(APIAnswerVerificationRequest(requestID: id, outcome: "not_on_record"), staff: "agent-0001")
                } == .failedPrecondition)
            #expect(try env.audit.records().filter { $0.action == .verificationAnswer }.count == 1)
            #expect(try env.audit.records().filter { $0.action == .verificationFile }.count == 1)
            await civil.close()
            await university.close()
        }
    }

    @Test("every permission refusal, and the other status codes")
    func refusals() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university/agent-0001")
            let bank = try await env.client("bank")
            let police = try await env.client("police")
            // Filing: the item must list the proof by department verification from that unit.
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(item: "NO-SUCH"), staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(proof: "WFZJL"), staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(proof: "HKB"), staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(to: Self.police), staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(), staff: "nobody") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(), staff: nil) } == .invalidArgument)
            #expect(await failureCode { _ = try await civil.fileVerification(Self.filing(key: ""), staff: "agent-0001") } == .invalidArgument)
            // A unit without a published list cannot file at all.
            #expect(await failureCode { _ = try await police.fileVerification(Self.filing(), staff: "agent-0001") } == .permissionDenied)
            let filed = try #require(try await civil.fileVerification(Self.filing(), staff: "agent-0001").request)
            let id = filed.requestID
            // Only the two units read it.
            #expect(await failureCode { _ = try await bank.verificationRequest(id: id) } == .permissionDenied)
            #expect(
                await failureCode {
                    for try await _ in bank.watchVerification(id: id) {}
                } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.verificationRequest(id: "VR-0000000000000000") } == .notFound)
            #expect(await failureCode { _ = try await civil.verificationRequest(id: "VR-NOPE") } == .invalidArgument)
            // Only the issuing unit's staff act on it.
            #expect(await failureCode { _ = try await civil.takeVerification(id: id, staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await bank.takeVerification(id: id, staff: "agent-0001") } == .permissionDenied)
            #expect(
                await failureCode {
                    _ = try await civil.answerVerification(APIAnswerVerificationRequest(requestID: id, outcome: "not_on_record"), staff: "agent-0001")
                } == .permissionDenied)
            #expect(
                await failureCode { _ = try await civil.returnVerification(id: id, reason: "x", suggestedUnit: Self.police, staff: "agent-0001") }
                    == .permissionDenied)
            #expect(await failureCode { _ = try await university.takeVerification(id: id, staff: "agent-9999") } == .permissionDenied)
            // Answering and returning need the staff member's own credential, not a name on the system's.
            let universitySystem = try await env.client("university")
            defer { Task { await universitySystem.close() } }
            #expect(
                await failureCode {
                    _ = try await universitySystem.answerVerification(
                        APIAnswerVerificationRequest(requestID: id, outcome: "not_on_record"), staff: "agent-0001")
                } == .permissionDenied)
            #expect(
                await failureCode { _ = try await universitySystem.returnVerification(id: id, reason: "x", suggestedUnit: Self.police, staff: "agent-0001") }
                    == .permissionDenied)
            // Wrong state and invalid arguments.
            #expect(
                await failureCode {
                    _ = try await university.answerVerification(APIAnswerVerificationRequest(requestID: id, outcome: "not_on_record"), staff: "agent-0001")
                } == .failedPrecondition)
            _ = try await university.takeVerification(id: id, staff: "agent-0001")
            #expect(
                await failureCode {
                    _ = try await university.answerVerification(APIAnswerVerificationRequest(requestID: id, outcome: "maybe"), staff: "agent-0001")
                } == .invalidArgument)
            #expect(
                await failureCode {
                    _ = try await university.answerVerification(APIAnswerVerificationRequest(requestID: id, outcome: "verified"), staff: "agent-0001")
                } == .invalidArgument)
            #expect(
                await failureCode { _ = try await university.returnVerification(id: id, reason: "", suggestedUnit: Self.police, staff: "agent-0001") }
                    == .invalidArgument)
            #expect(await failureCode { _ = try await civil.refileVerification(id: id, staff: "agent-0001") } == .failedPrecondition)
            _ = try await university.returnVerification(id: id, reason: "not ours", suggestedUnit: Self.police, staff: "agent-0001")
            // Only the requesting unit re-files.
            #expect(await failureCode { _ = try await university.refileVerification(id: id, staff: "agent-0001") } == .permissionDenied)
            // The queue watch needs a staff member of the unit.
            #expect(await failureCode { for try await _ in university.watchVerificationQueue(includeOpen: true, staff: "nobody") {} } == .permissionDenied)
            #expect(try await bank.verificationQueue().isEmpty)
            for client in [civil, university, bank, police] { await client.close() }
        }
    }
}
