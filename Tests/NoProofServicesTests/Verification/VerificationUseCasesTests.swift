import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore
import Testing
@testable import NoProofServices

/// The verification use cases called directly — no server, no socket: demo units with their
/// published lists, the stores on a temporary folder, callers built by hand.
@Suite("Verification use cases")
struct VerificationUseCasesTests {
    static let civil = UnitDemoData.civilAffairs
    static let university = UnitDemoData.university
    static let holder = "370404199306107807"

    struct Environment: Sendable {
        let useCases: VerificationUseCases
        let audit: AuditLog
        let clock: TestClock
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        try await withTemporaryDirectory(prefix: "noproof-verify-uc") { directory in
            let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let units = try SQLiteUnitStore(directory: directory)
            _ = try await UnitDemoSeeding.seed(into: units)
            let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
            let audit = try AuditLog(directory: directory)
            let store = try SQLiteVerificationStore(directory: directory)
            let useCases = VerificationUseCases(
                store: store, units: units, keyring: keyring, audit: audit,
                databaseBacked: { ["XWZS", "WFZJL"].contains($0) }, now: { clock.now }, logger: quiet)
            try await useCases.start()
            try await body(Environment(useCases: useCases, audit: audit, clock: clock))
            audit.close()
            try store.close()
            try units.close()
        }
    }

    /// A departmental system's credential of `unit`, naming `staff` in the metadata.
    static func system(_ unit: ServiceUnit, staff: String?) -> Caller {
        Caller(unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: "sys"), claimedStaff: staff)
    }

    /// `staff`'s own staff credential at `unit`.
    static func signedIn(_ unit: ServiceUnit, _ staff: String) -> Caller {
        Caller(unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: "sys/\(staff)", staffID: staff))
    }

    static func filing(item: String = "MZ-HY-001", key: String = UUID().uuidString) -> VerificationUseCases.FileInput {
        .init(
            requestKey: key, issuingUnitCode: university.code.value, proofType: "XWZS", holderID: holder, holderName: "张三",
            declared: [DeclaredFact(key: "degree", value: "学士")], itemCode: item, caseReference: "HY-1")
    }

    static func error(_ body: () async throws -> Void) async -> NoProofError? {
        await thrownError(body) as? NoProofError
    }

    @Test("filing: audited as filed by the requesting unit's staff member; a replay writes nothing more")
    func fileAudited() async throws {
        try await Self.withEnvironment { env in
            let input = Self.filing()
            let filed = try await env.useCases.file(input, caller: Self.system(Self.civil, staff: "agent-0002"))
            #expect(!filed.replayed && filed.request.status == .filed && filed.request.issuingUnit == Self.university.code.value)
            let records = try env.audit.records()
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record.action == .verificationFile && record.result == .filed)
            #expect(record.unitCode == Self.civil.code.value && record.credentialID == "sys" && record.staff == "agent-0002")
            #expect(record.licenceID == filed.request.id && record.counterpartUnit == Self.university.code.value)
            let again = try await env.useCases.file(input, caller: Self.system(Self.civil, staff: "agent-0002"))
            #expect(again.replayed && again.request.id == filed.request.id)
            #expect(try env.audit.records().count == 1)
        }
    }

    @Test("filing for an item not on the requester's list is refused (forbidden) and audited as denied")
    func fileRefusedByTheList() async throws {
        try await Self.withEnvironment { env in
            let error = await Self.error {
                _ = try await env.useCases.file(Self.filing(item: "NO-SUCH-ITEM"), caller: Self.system(Self.civil, staff: "agent-0002"))
            }
            #expect(error?.code == .forbidden)
            #expect(error?.message.contains("item NO-SUCH-ITEM is not on") == true)
            let records = try env.audit.records()
            #expect(records.map(\.action) == [.verificationFile])
            #expect(records.first?.result == .denied && records.first?.unitCode == Self.civil.code.value)
            #expect(records.first?.staff == "agent-0002" && records.first?.itemCode == "NO-SUCH-ITEM")
        }
    }

    @Test("filing without a staff member, or naming someone who is not staff, is refused before anything is written")
    func fileNeedsStaff() async throws {
        try await Self.withEnvironment { env in
            let missing = await Self.error { _ = try await env.useCases.file(Self.filing(), caller: Self.system(Self.civil, staff: nil)) }
            #expect(missing?.code == .invalid)
            let stranger = await Self.error {
                _ = try await env.useCases.file(Self.filing(), caller: Self.system(Self.civil, staff: "agent-0999"))
            }
            #expect(stranger?.code == .forbidden && stranger?.message.contains("agent-0999 is not an active staff member") == true)
            let written = try env.audit.records().count
            #expect(written == 0)
        }
    }

    @Test("taking: only the issuing unit's staff; the take is audited with the issuing unit and its agent")
    func take() async throws {
        try await Self.withEnvironment { env in
            let filed = try await env.useCases.file(Self.filing(), caller: Self.system(Self.civil, staff: "agent-0002"))
            let refused = await Self.error {
                _ = try await env.useCases.take(filed.request.id, caller: Self.system(Self.civil, staff: "agent-0002"))
            }
            #expect(refused?.code == .forbidden && refused?.message.contains("may take request \(filed.request.id)") == true)
            #expect(try env.audit.records().count == 1)
            let taken = try await env.useCases.take(filed.request.id, caller: Self.system(Self.university, staff: "agent-0001"))
            #expect(!taken.replayed && taken.request.status == .taken && taken.request.takenBy == "agent-0001")
            let record = try #require(try env.audit.records().last)
            #expect(record.action == .verificationTake && record.result == AuditResult(rawValue: "taken"))
            #expect(record.unitCode == Self.university.code.value && record.staff == "agent-0001")
            #expect(record.counterpartUnit == Self.civil.code.value)
        }
    }

    @Test("answering needs the staff member's own credential; a verified answer is sealed, compared and audited")
    func answer() async throws {
        try await Self.withEnvironment { env in
            let filed = try await env.useCases.file(Self.filing(), caller: Self.system(Self.civil, staff: "agent-0002"))
            _ = try await env.useCases.take(filed.request.id, caller: Self.system(Self.university, staff: "agent-0001"))
            let record = LicenceMessage(holderName: "张三", fields: [APILicenceField(key: "degree", value: "学士")])
            let input = VerificationUseCases.AnswerInput(
                requestID: filed.request.id, outcome: .verified, record: record, note: "", content: "answer-1")
            let refused = await Self.error {
                _ = try await env.useCases.answer(input, caller: Self.system(Self.university, staff: "agent-0001"))
            }
            #expect(refused?.code == .forbidden && refused?.message.contains("sign in with their own staff credential") == true)
            #expect(try env.audit.records().count == 2)
            env.clock.advance(by: 60)
            let answered = try await env.useCases.answer(input, caller: Self.signedIn(Self.university, "agent-0001"))
            #expect(!answered.replayed && answered.request.status == .answered && answered.request.outcome == .verified)
            #expect(answered.request.checks.map(\.result) == [.match])
            let proof = try #require(answered.request.proof)
            let body = try ProtoCodec.decode(APIProofBody.self, from: [UInt8](proof.body))
            #expect(body.sealKind == "verification" && body.staff == "agent-0002" && body.verifierStaff == "agent-0001")
            #expect(body.licence?.typeCode == "XWZS" && body.licence?.issuerCode == Self.university.code.value)
            let entry = try #require(try env.audit.records().last)
            #expect(entry.action == .verificationAnswer && entry.result == AuditResult(rawValue: "verified"))
            #expect(entry.unitCode == Self.university.code.value && entry.staff == "agent-0001")
            #expect(entry.proofSerial == filed.request.id && entry.credentialID == "sys/agent-0001")
            let replay = try await env.useCases.answer(input, caller: Self.signedIn(Self.university, "agent-0001"))
            #expect(replay.replayed)
            #expect(try env.audit.records().count == 3)
        }
    }

    @Test(
        "returning and re-filing: an open request cannot be re-filed (conflict); the list refuses the suggested unit (audited denied); returns and re-filings are audited"
    )
    func returnAndRefile() async throws {
        try await Self.withEnvironment { env in
            let civil = Self.system(Self.civil, staff: "agent-0002")
            let agent = Self.signedIn(Self.university, "agent-0001")
            let police = UnitDemoData.publicSecurity.code
            let filed = try await env.useCases.file(Self.filing(), caller: civil)
            let early = await Self.error { _ = try await env.useCases.refile(filed.request.id, issuingUnitCode: "", caller: civil) }
            #expect(early?.code == .conflict && early?.message.contains("only a returned request can be re-filed") == true)
            _ = try await env.useCases.take(filed.request.id, caller: agent)
            let returned = try await env.useCases.returnRequest(filed.request.id, reason: "not ours", suggested: police, caller: agent)
            #expect(returned.request.status == .returned && returned.request.suggestedUnit == police.value)
            let entry = try #require(try env.audit.records().last)
            #expect(entry.action == .verificationReturn && entry.result == AuditResult(rawValue: "returned"))
            #expect(entry.unitCode == Self.university.code.value && entry.staff == "agent-0001")
            // The list names the university as the verifier: the suggestion does not widen it.
            let denied = await Self.error { _ = try await env.useCases.refile(filed.request.id, issuingUnitCode: "", caller: civil) }
            #expect(denied?.code == .forbidden && denied?.message.contains("address it to \(Self.university.code.value)") == true)
            let refusal = try #require(try env.audit.records().last)
            #expect(refusal.action == .verificationRefile && refusal.result == .denied)
            #expect(refusal.unitCode == Self.civil.code.value && refusal.staff == "agent-0002" && refusal.licenceID == filed.request.id)
            let refiled = try await env.useCases.refile(filed.request.id, issuingUnitCode: Self.university.code.value, caller: civil)
            #expect(!refiled.replayed && refiled.request.refiledFrom == filed.request.id)
            let last = try #require(try env.audit.records().last)
            #expect(last.action == .verificationRefile && last.result == .filed)
            #expect(last.unitCode == Self.civil.code.value && last.staff == "agent-0002" && last.licenceID == refiled.request.id)
        }
    }

    @Test("reading: only the two units involved; a malformed id is invalid, an unknown one not found")
    func read() async throws {
        try await Self.withEnvironment { env in
            let filed = try await env.useCases.file(Self.filing(), caller: Self.system(Self.civil, staff: "agent-0002"))
            #expect(try await env.useCases.request(filed.request.id, caller: Self.system(Self.university, staff: nil)).id == filed.request.id)
            let other = await Self.error {
                _ = try await env.useCases.request(filed.request.id, caller: Self.system(UnitDemoData.bank, staff: nil))
            }
            #expect(other?.code == .forbidden)
            let malformed = await Self.error { _ = try await env.useCases.request("VR-x", caller: Self.system(Self.civil, staff: nil)) }
            #expect(malformed?.code == .invalid && malformed?.field == "request_id")
            let unknown = await Self.error {
                _ = try await env.useCases.request("VR-0000000000000000", caller: Self.system(Self.civil, staff: nil))
            }
            #expect(unknown?.code == .notFound)
        }
    }
}
