import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofMessages
import NoProofOversight
import NoProofOversightStore
import NoProofProtocol
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices
@testable import NoProofAudit
import NoProofAuditChain

/// Commitments, the ledger, mismatch cases and complaints over the in-process transport (the
/// server's real pipeline, no port): demo units with their published lists, an injected clock
/// the tests move.
@Suite("Oversight service in process")
struct OversightServiceTests {
    static let civil = UnitDemoData.civilAffairs.code.value
    static let university = UnitDemoData.university.code.value
    static let water = UnitDemoData.water.code.value
    static let holder = "370404199306107807"

    struct Environment: Sendable {
        let transport: InProcessTransport
        let clock: TestClock
        let store: SQLiteOversightStore
        let audit: AuditLog
        func client(_ id: String) async throws -> NoProofClient {
            try await transport.connect(.init(credential: (id, "secret")))
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-oversight-svc")
        defer { temporary.remove() }
        let directory = temporary.url
        let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        let audit = try AuditLog(directory: directory)
        let store = try SQLiteOversightStore(directory: directory)
        let service = OversightService(store: store, units: units, audit: audit, now: { clock.now }, logger: quiet)
        var registry = RPCRegistry()
        service.register(in: &registry)
        let fixed: [StaticCredentialAuthenticator.Credential] =
            [
                ("civil", UnitDemoData.civilAffairs), ("university", UnitDemoData.university), ("water", UnitDemoData.water),
                ("bank", UnitDemoData.bank),
            ].map { id, unit in
                .init(id: id, secret: "secret", unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: id))
            } + [
                .init(
                    id: "taskforce", secret: "secret",
                    unit: AuthenticatedUnit(
                        unitCode: UnitDemoData.taskForce.code.value, unitName: UnitDemoData.taskForce.name, credentialID: "taskforce", roles: ["taskforce"]))
            ]
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(300)
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
        try await withInProcessServer(server) { transport in
            try await body(Environment(transport: transport, clock: clock, store: store, audit: audit))
        }
        audit.close()
        try store.close()
        try units.close()
    }

    static func commitment(item: String = "MZ-DB-001", proof: String = "JZZM", caseReference: String = "DB-1") -> APIRecordCommitmentRequest {
        APIRecordCommitmentRequest(
            holderID: holder, holderName: "张三", itemCode: item, caseReference: caseReference, proofType: proof,
            text: "本人承诺居住信息真实", channel: "counter_face_check")
    }

    @Test("commitment: only for a proof the list obtains by commitment; check found false is flagged; others cannot read; task force can")
    func commitments() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let water = try await env.client("water")
            let taskforce = try await env.client("taskforce")
            // JZZM of MZ-DB-001 is obtained by commitment; HKB by data sharing; XWZS is not on MZ-DB-001.
            #expect(await failureCode { _ = try await civil.recordCommitment(Self.commitment(proof: "HKB"), staff: "agent-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await civil.recordCommitment(Self.commitment(proof: "XWZS"), staff: "agent-0001") } == .permissionDenied)
            #expect(
                await failureCode { _ = try await civil.recordCommitment(Self.commitment(item: "SW-KH-001", proof: "ZLHT"), staff: "agent-0001") }
                    == .permissionDenied)
            #expect(await failureCode { _ = try await civil.recordCommitment(Self.commitment(), staff: nil) } == .invalidArgument)
            #expect(await failureCode { _ = try await civil.recordCommitment(Self.commitment(), staff: "agent-0099") } == .permissionDenied)
            var bad = Self.commitment()
            bad.channel = "fax"
            #expect(await failureCode { _ = try await civil.recordCommitment(bad, staff: "agent-0001") } == .invalidArgument)
            bad = Self.commitment()
            bad.holderID = "370404199306107800"
            #expect(await failureCode { _ = try await civil.recordCommitment(bad, staff: "agent-0001") } == .invalidArgument)

            let recorded = try #require(try await civil.recordCommitment(Self.commitment(), staff: "agent-0001").commitment)
            #expect(recorded.riskLevel == "medium" && recorded.checkDueAtMillis - recorded.recordedAtMillis == 30 * 86_400_000)
            #expect(recorded.proofName == "居住证明" && recorded.itemName == "最低生活保障审核确认")
            let retry = try await civil.recordCommitment(Self.commitment(), staff: "agent-0001")
            #expect(retry.replayed && retry.commitment?.commitmentID == recorded.commitmentID)
            var other = Self.commitment()
            other.text = "另一份承诺"
            #expect(await failureCode { _ = try await civil.recordCommitment(other, staff: "agent-0001") } == .alreadyExists)

            // Reading: the unit and the task force office only.
            #expect(await failureCode { _ = try await water.commitment(id: recorded.commitmentID) } == .permissionDenied)
            #expect(try await taskforce.commitment(id: recorded.commitmentID).commitment?.commitmentID == recorded.commitmentID)
            #expect(await failureCode { _ = try await water.commitments(unitCode: Self.civil) } == .permissionDenied)
            #expect(try await water.commitments().isEmpty)
            // Another unit cannot record the check.
            #expect(
                await failureCode { _ = try await water.checkCommitment(id: recorded.commitmentID, outcome: "confirmed", evidence: "", staff: "agent-0001") }
                    == .permissionDenied)

            env.clock.advance(by: 31 * 86_400)
            #expect(try await civil.commitments(filter: "overdue").map(\.commitmentID) == [recorded.commitmentID])
            #expect(
                await failureCode { _ = try await civil.checkCommitment(id: recorded.commitmentID, outcome: "found_false", evidence: "", staff: "agent-0001") }
                    == .invalidArgument)
            let checked = try #require(
                try await civil.checkCommitment(
                    id: recorded.commitmentID, outcome: "found_false",
                    evidence: "实际居住地不符", staff: "agent-0001"
                ).commitment)
            #expect(checked.checkOutcome == "found_false" && checked.checkedLate && !checked.overdue)
            #expect(try await civil.checkCommitment(id: recorded.commitmentID, outcome: "found_false", evidence: "实际居住地不符", staff: "agent-0001").replayed)
            #expect(
                await failureCode { _ = try await civil.checkCommitment(id: recorded.commitmentID, outcome: "confirmed", evidence: "", staff: "agent-0001") }
                    == .failedPrecondition)
            // Flagged for the task force office across units.
            #expect(try await taskforce.commitments(filter: "found_false").map(\.commitmentID) == [recorded.commitmentID])
            #expect(try await taskforce.commitments(unitCode: Self.water, filter: "found_false").isEmpty)
            // Audited: recorded and checked.
            let actions = try env.audit.records().map(\.action)
            #expect(actions == [.oversightRecordCommitment, .oversightCheckCommitment])
            #expect(try env.audit.records().last?.result == AuditResult(rawValue: "found_false").late)
        }
    }

    @Test("commitments with memory: after one is found false, the applicant's next commitment warns and is flagged (risk high), at any unit")
    func commitmentsWithMemory() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let water = try await env.client("water")
            let first = try #require(try await civil.recordCommitment(Self.commitment(caseReference: "DB-1"), staff: "agent-0001").commitment)
            #expect(first.warning.isEmpty && first.earlierFalseCommitments.isEmpty && first.ruleRiskLevel.isEmpty)
            // Recorded but not yet found false: no memory yet.
            let second = try #require(try await civil.recordCommitment(Self.commitment(caseReference: "DB-2"), staff: "agent-0001").commitment)
            #expect(second.warning.isEmpty && second.riskLevel == "medium")
            _ = try await civil.checkCommitment(id: first.commitmentID, outcome: "found_false", evidence: "实地走访：不在该地址居住", staff: "agent-0001")

            // The next one by the same applicant warns the clerk and is flagged: risk raised to high, check due in 7 days.
            let third = try #require(try await civil.recordCommitment(Self.commitment(caseReference: "DB-3"), staff: "agent-0001").commitment)
            #expect(third.earlierFalseCommitments == [first.commitmentID])
            #expect(third.warning.contains(first.commitmentID) && third.warning.contains("found false"))
            #expect(third.riskLevel == "high" && third.ruleRiskLevel == "medium")
            #expect(third.checkDueAtMillis - third.recordedAtMillis == 7 * 86_400_000)
            // The flag is kept with the record: a read shows it too.
            #expect(try await civil.commitment(id: third.commitmentID).commitment?.warning == third.warning)
            // At another unit too (the memory is the applicant's): water's tenancy contract is low risk by the rule, high here.
            var tenancy = Self.commitment(item: "SW-KH-001", proof: "ZLHT", caseReference: "KH-1")
            tenancy.text = "本人承诺租赁合同真实"
            let atWater = try #require(try await water.recordCommitment(tenancy, staff: "agent-0001").commitment)
            #expect(atWater.earlierFalseCommitments == [first.commitmentID] && atWater.riskLevel == "high" && atWater.ruleRiskLevel == "low")
            #expect(atWater.checkDueAtMillis - atWater.recordedAtMillis == 7 * 86_400_000)
            // Another applicant: no warning.
            var someoneElse = Self.commitment(caseReference: "DB-4")
            someoneElse.holderID = "37040219850312123X"
            let clean = try #require(try await civil.recordCommitment(someoneElse, staff: "agent-0001").commitment)
            #expect(clean.warning.isEmpty && clean.riskLevel == "medium")
            // Audited as other commitment steps: the flag is in the record's result.
            let recorded = try env.audit.records().filter { $0.action == .oversightRecordCommitment }
            #expect(recorded.count == 5)
            #expect(
                recorded.filter { $0.result.rawValue.contains("flagged: earlier false \(first.commitmentID)") }.map(\.licenceID)
                    == [third.commitmentID, atWater.commitmentID])
        }
    }

    @Test("ledger: records what the list says; own unit only; task force sees all, by period")
    func ledger() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let water = try await env.client("water")
            let bank = try await env.client("bank")
            let taskforce = try await env.client("taskforce")
            let hkb = try #require(
                try await civil.addLedgerEntry(
                    APIAddLedgerEntryRequest(
                        holderID: Self.holder, itemCode: "MZ-HY-001", caseReference: "HY-9", proofType: "HKB", proofName: "户口簿复印件"),
                    staff: "agent-0001"
                ).entry)
            #expect(hkb.volunteered && hkb.listedMethod == "data_sharing" && hkb.notToBeAskedFor)
            #expect(
                try await civil.addLedgerEntry(
                    APIAddLedgerEntryRequest(
                        holderID: Self.holder, itemCode: "MZ-HY-001", caseReference: "HY-9", proofType: "HKB"), staff: "agent-0001"
                ).replayed)
            env.clock.advance(by: 3600)
            let excluded = try #require(
                try await bank.addLedgerEntry(
                    APIAddLedgerEntryRequest(
                        holderID: Self.holder, itemCode: "YH-KH-001", caseReference: "YH-1", proofType: "GZZM"), staff: "agent-0001"
                ).entry)
            #expect(excluded.listedMethod == "excluded" && !excluded.notToBeAskedFor && excluded.proofName == "工作证明")
            #expect(
                await failureCode {
                    _ = try await water.addLedgerEntry(
                        APIAddLedgerEntryRequest(
                            holderID: Self.holder, itemCode: "MZ-HY-001", caseReference: "X", proofType: "HKB"), staff: "agent-0001")
                } == .permissionDenied)
            #expect(
                await failureCode {
                    _ = try await water.addLedgerEntry(
                        APIAddLedgerEntryRequest(
                            holderID: Self.holder, itemCode: "SW-KH-001", caseReference: "", proofType: "HKB"), staff: "agent-0001")
                } == .invalidArgument)

            #expect(try await civil.ledger(APIListLedgerRequest()).map(\.entryID) == [hkb.entryID])
            #expect(try await water.ledger(APIListLedgerRequest()).isEmpty)
            #expect(await failureCode { _ = try await water.ledger(APIListLedgerRequest(unitCode: Self.civil)) } == .permissionDenied)
            #expect(try await taskforce.ledger(APIListLedgerRequest()).map(\.entryID) == [hkb.entryID, excluded.entryID])
            let split = OversightService.millis(env.clock.now) - 1000
            #expect(try await taskforce.ledger(APIListLedgerRequest(fromMillis: split)).map(\.entryID) == [excluded.entryID])
            #expect(try await taskforce.ledger(APIListLedgerRequest(unitCode: Self.civil, toMillis: split)).map(\.entryID) == [hkb.entryID])

            let counts = try await taskforce.oversightCounts(APIOversightCountsRequest(unitCode: Self.civil))
            #expect(counts.ledgerEntries == 1 && counts.ledgerEntriesNotToBeAskedFor == 1)
            #expect(await failureCode { _ = try await water.oversightCounts(APIOversightCountsRequest(unitCode: Self.civil)) } == .permissionDenied)
            #expect(try await civil.oversightCounts(APIOversightCountsRequest()).ledgerEntries == 1)
        }
    }

    @Test("mismatch: opened by the unit, supplement, re-verified by the issuing unit only, appealed; reads limited to the two units")
    func mismatch() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let university = try await env.client("university")
            let water = try await env.client("water")
            let taskforce = try await env.client("taskforce")
            let open = APIOpenMismatchRequest(
                issuingUnitCode: Self.university, holderID: Self.holder, itemCode: "MZ-HY-001", caseReference: "HY-7",
                proofType: "XWZS", proofSerial: "P1-1", facts: [APIMismatchFact(key: "degree", declared: "硕士", fetched: "学士")])
            var noLink = open
            noLink.proofSerial = ""
            #expect(await failureCode { _ = try await civil.openMismatch(noLink, staff: "agent-0001") } == .invalidArgument)
            var badAudit = open
            badAudit.auditSequence = 999
            #expect(await failureCode { _ = try await civil.openMismatch(badAudit, staff: "agent-0001") } == .invalidArgument)
            let opened = try #require(try await civil.openMismatch(open, staff: "agent-0001").mismatch)
            #expect(opened.status == "open" && opened.issuingUnitName == UnitDemoData.university.name)
            #expect(try await civil.openMismatch(open, staff: "agent-0001").replayed)
            let id = opened.mismatchID

            #expect(await failureCode { _ = try await water.mismatch(id: id) } == .permissionDenied)
            #expect(try await university.mismatch(id: id).mismatch?.mismatchID == id)
            #expect(try await taskforce.mismatches().map(\.mismatchID) == [id])
            #expect(try await water.mismatches().isEmpty)

            func call(_ client: NoProofClient, _ method: String, _ request: some ProtoMessage) async throws -> APIMismatchRecord {
                try #require(
                    try await client.unary(
                        .path("/noproof.v1.Oversight/\(method)"), request: request, as: APIMismatchResponse.self,
                        metadata: ["staff": "agent-0001"]
                    ).mismatch)
            }
            // The issuing unit cannot ask for supplements; the opener cannot re-verify.
            #expect(
                await failureCode { _ = try await call(university, "RequestSupplement", APIMismatchSupplementRequest(mismatchID: id, text: "x")) }
                    == .permissionDenied)
            #expect(
                await failureCode { _ = try await call(civil, "Reverify", APIReverifyMismatchRequest(mismatchID: id, finding: "record_stands", note: "n")) }
                    == .permissionDenied)
            #expect(
                await failureCode { _ = try await call(civil, "RecordSupplement", APIMismatchSupplementRequest(mismatchID: id, text: "x")) }
                    == .failedPrecondition
            )
            #expect(try await call(civil, "RequestSupplement", APIMismatchSupplementRequest(mismatchID: id, text: "学位证书")).status == "awaiting_supplement")
            #expect(
                await failureCode {
                    _ = try await call(university, "Reverify", APIReverifyMismatchRequest(mismatchID: id, finding: "record_stands", note: "n"))
                }
                    == .failedPrecondition)
            #expect(try await call(civil, "RecordSupplement", APIMismatchSupplementRequest(mismatchID: id, text: "复印件")).status == "supplement_received")
            #expect(await failureCode { _ = try await call(civil, "Appeal", APIAppealMismatchRequest(mismatchID: id, reference: "R1")) } == .failedPrecondition)
            let resolved = try await call(
                university, "Reverify",
                APIReverifyMismatchRequest(
                    mismatchID: id, finding: "record_corrected", note: "档案已更正", corrected: [APILicenceField(key: "degree", value: "硕士")]))
            #expect(resolved.status == "resolved" && resolved.facts.first?.corrected == "硕士" && resolved.reverifiedCredential == "university")
            #expect(
                await failureCode {
                    _ = try await call(university, "Reverify", APIReverifyMismatchRequest(mismatchID: id, finding: "record_stands", note: "n"))
                }
                    == .failedPrecondition)
            #expect(try await call(civil, "Appeal", APIAppealMismatchRequest(mismatchID: id, reference: "枣政复1号")).status == "appealed")
            #expect(await failureCode { _ = try await call(civil, "Appeal", APIAppealMismatchRequest(mismatchID: id, outcome: "won")) } == .invalidArgument)
            let decided = try await call(civil, "Appeal", APIAppealMismatchRequest(mismatchID: id, outcome: "upheld", note: "维持"))
            #expect(decided.status == "appeal_decided" && decided.appealOutcome == "upheld")
            let actions = try env.audit.records().map(\.action)
            #expect(
                actions == [
                    .oversightOpenMismatch, .oversightRequestSupplement, .oversightRecordSupplement, .oversightReverify,
                    .oversightAppealFiled, .oversightAppealDecided,
                ])
            let counts = try await civil.oversightCounts(APIOversightCountsRequest())
            #expect(counts.mismatchesOpened == 1 && counts.mismatchesResolved == 1 && counts.appealsFiled == 1 && counts.appealsDecided == 1)

            // The audit sequence link must be this unit's own lookup of this holder.
            let sequence = try env.audit.records().first!.sequence
            var linked = open
            linked.caseReference = "HY-8"
            linked.proofSerial = ""
            linked.auditSequence = sequence
            #expect(try await civil.openMismatch(linked, staff: "agent-0001").mismatch?.auditSequence == sequence)
            var foreign = linked
            foreign.caseReference = "HY-9"
            foreign.holderID = "37040219850312123X"
            #expect(await failureCode { _ = try await civil.openMismatch(foreign, staff: "agent-0001") } == .invalidArgument)
        }
    }

    @Test("complaints: the task force registers, routes and closes; the routed unit answers; others cannot")
    func complaints() async throws {
        try await Self.withEnvironment { env in
            let civil = try await env.client("civil")
            let water = try await env.client("water")
            let taskforce = try await env.client("taskforce")
            let filing = APIFileComplaintRequest(
                channel: "hotline_12345", channelReference: "12345-1", unitCode: Self.water,
                breachType: "demanded_no_proof_item", summary: "开户仍要物业证明")
            #expect(await failureCode { _ = try await water.fileComplaint(filing, staff: "agent-0001") } == .permissionDenied)
            var bad = filing
            bad.breachType = "rude"
            #expect(await failureCode { _ = try await taskforce.fileComplaint(bad, staff: "agent-0001") } == .invalidArgument)
            let filed = try #require(try await taskforce.fileComplaint(filing, staff: "agent-0001").complaint)
            #expect(filed.status == "registered")
            #expect(try await taskforce.fileComplaint(filing, staff: "agent-0001").replayed)
            let id = filed.complaintID
            func call(_ client: NoProofClient, _ method: String, _ request: some ProtoMessage) async throws -> APIComplaintRecord {
                try #require(
                    try await client.unary(
                        .path("/noproof.v1.Oversight/\(method)"), request: request, as: APIComplaintResponse.self,
                        metadata: ["staff": "agent-0001"]
                    ).complaint)
            }
            // Not yet routed: the unit cannot see or answer it.
            #expect(await failureCode { _ = try await water.complaint(id: id) } == .permissionDenied)
            #expect(await failureCode { _ = try await call(taskforce, "CloseComplaint", APICloseComplaintRequest(complaintID: id)) } == .failedPrecondition)
            #expect(await failureCode { _ = try await call(water, "RouteComplaint", APIRouteComplaintRequest(complaintID: id)) } == .permissionDenied)
            #expect(try await call(taskforce, "RouteComplaint", APIRouteComplaintRequest(complaintID: id)).routedToCode == Self.water)
            #expect(try await water.complaints().map(\.complaintID) == [id])
            #expect(try await civil.complaints().isEmpty)
            #expect(await failureCode { _ = try await civil.complaint(id: id) } == .permissionDenied)
            #expect(
                await failureCode { _ = try await call(taskforce, "AnswerComplaint", APIAnswerComplaintRequest(complaintID: id, answer: "x")) }
                    == .permissionDenied)
            #expect(try await call(water, "AnswerComplaint", APIAnswerComplaintRequest(complaintID: id, answer: "已整改")).status == "answered")
            #expect(await failureCode { _ = try await call(water, "CloseComplaint", APICloseComplaintRequest(complaintID: id)) } == .permissionDenied)
            let closed = try await call(taskforce, "CloseComplaint", APICloseComplaintRequest(complaintID: id, substantiated: true, note: "属实"))
            #expect(closed.status == "closed" && closed.substantiated)
            #expect(try await taskforce.complaints(status: "closed").map(\.complaintID) == [id])
            let counts = try await taskforce.oversightCounts(APIOversightCountsRequest(unitCode: Self.water))
            #expect(counts.complaints.map(\.breachType) == ["demanded_no_proof_item"] && counts.complaints.first?.count == 1)
            #expect(
                try env.audit.records().map(\.action) == [
                    .oversightFileComplaint, .oversightRouteComplaint, .oversightAnswerComplaint,
                    .oversightCloseComplaint,
                ])
        }
    }
}
