import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofDomain
import NoProofOversight
import NoProofOversightStore
import NoProofProtocol
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

/// The oversight use cases called directly — no server, no socket: the demo units with their
/// published lists on a temporary folder, the oversight store and the audit trail beside them.
@Suite("Oversight use cases")
struct OversightUseCasesTests {
    static let civil = UnitDemoData.civilAffairs.code.value
    static let water = UnitDemoData.water.code.value
    static let university = UnitDemoData.university.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let holder = "370404199306107807"

    struct Environment {
        let world: UseCaseWorld
        let useCases: OversightUseCases
        var audit: AuditLog { world.audit }

        /// The records of `action` in the trail, in order.
        func audited(_ action: AuditAction) throws -> [AuditRecord] { try world.audited(action) }
    }

    static func withEnvironment(_ body: (Environment) async throws -> Void) async throws {
        try await UseCaseWorld.with(prefix: "noproof-oversight-usecases") { world in
            let store = try SQLiteOversightStore(directory: world.directory)
            let useCases = OversightService(store: store, units: world.units, audit: world.audit, now: world.now, logger: world.logger).useCases
            try await body(Environment(world: world, useCases: useCases))
        }
    }

    static func caller(_ unit: ServiceUnit, roles: Set<String> = [], staff: String? = "agent-0001") -> Caller {
        Caller(
            unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: "cred-\(unit.code.value.suffix(4))", roles: roles),
            claimedStaff: staff)
    }

    static let civilCaller = caller(UnitDemoData.civilAffairs)
    static let waterCaller = caller(UnitDemoData.water)
    static let taskForceCaller = caller(UnitDemoData.taskForce, roles: ["taskforce"])

    static func commitment(proof: String = "JZZM") -> OversightUseCases.CommitmentInput {
        OversightUseCases.CommitmentInput(
            holderID: holder, holderName: "张三", itemCode: "MZ-DB-001", caseReference: "DB-1", proofType: proof, text: "本人承诺居住信息真实",
            channel: "counter_face_check")
    }

    static func code(of error: (any Error)?) -> NoProofError.Code? { (error as? NoProofError)?.code }

    /// Expects `body` to be refused with the domain error `code`.
    static func expectRefusal(_ code: NoProofError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        var refused: NoProofError.Code?
        do {
            try await body()
        } catch {
            refused = (error as? NoProofError)?.code
        }
        #expect(refused == code, sourceLocation: sourceLocation)
    }

    @Test func aCommitmentOnlyForAProofTheListObtainsByCommitmentRecordedAndCheckedWithTheirAudit() async throws {
        try await Self.withEnvironment { env in
            // HKB of MZ-DB-001 is obtained by data sharing; agent-0099 is no staff member.
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.recordCommitment(Self.commitment(proof: "HKB"), caller: Self.civilCaller) }
            let stranger = Self.caller(UnitDemoData.civilAffairs, staff: "agent-0099")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.recordCommitment(Self.commitment(), caller: stranger) }
            #expect(try env.audited(.oversightRecordCommitment).isEmpty)

            let recorded = try await env.useCases.recordCommitment(Self.commitment(), caller: Self.civilCaller)
            #expect(!recorded.replayed && recorded.record.proofName == "居住证明" && recorded.record.recordedBy == "agent-0001")
            #expect(try await env.useCases.recordCommitment(Self.commitment(), caller: Self.civilCaller).replayed)
            let audited = try env.audited(.oversightRecordCommitment)
            #expect(audited.count == 1)  // the replay changed nothing and wrote nothing
            #expect(audited.first?.result.rawValue.hasPrefix("recorded") == true)
            #expect(audited.first?.unitCode == Self.civil && audited.first?.staff == "agent-0001" && audited.first?.licenceID == recorded.record.id)

            // Another unit neither reads nor checks it; the unit that recorded it does.
            let id = recorded.record.id
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.commitment(id, caller: Self.waterCaller) }
            await Self.expectRefusal(.forbidden) {
                _ = try await env.useCases.checkCommitment(id, outcome: "confirmed", evidence: "核实", caller: Self.waterCaller)
            }
            await Self.expectRefusal(.forbidden) {
                _ = try await env.useCases.commitments(unitCode: Self.civil, filter: "", limit: 10, caller: Self.waterCaller)
            }
            let checked = try await env.useCases.checkCommitment(id, outcome: "confirmed", evidence: "实地核实", caller: Self.civilCaller)
            #expect(!checked.replayed && checked.record.checkOutcome == .confirmed)
            let checks = try env.audited(.oversightCheckCommitment)
            #expect(checks.map(\.result) == [AuditResult(rawValue: "confirmed")] && checks.first?.unitCode == Self.civil && checks.first?.staff == "agent-0001")
        }
    }

    @Test func aLedgerEntryCitesAnItemOfTheUnitsListAndIsAudited() async throws {
        try await Self.withEnvironment { env in
            let input = OversightUseCases.LedgerInput(
                holderID: Self.holder, holderName: "", itemCode: "MZ-HY-001", caseReference: "HY-9", proofType: "HKB", proofName: "", note: "")
            // The water company's list has no MZ-HY-001.
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.addLedgerEntry(input, caller: Self.waterCaller) }
            #expect(try env.audited(.oversightAddLedgerEntry).isEmpty)
            let entry = try await env.useCases.addLedgerEntry(input, caller: Self.civilCaller)
            #expect(!entry.replayed && entry.record.notToBeAskedFor)
            let audited = try env.audited(.oversightAddLedgerEntry)
            #expect(audited.count == 1 && audited.first?.result.rawValue.hasPrefix("volunteered") == true)
            #expect(audited.first?.unitCode == Self.civil && audited.first?.staff == "agent-0001" && audited.first?.licenceID == entry.record.id)
            #expect(try await env.useCases.ledger(unitCode: "", from: nil, to: nil, limit: 10, caller: Self.waterCaller).isEmpty)
        }
    }

    @Test func aMismatchIsReverifiedByTheIssuingUnitOnlyAndEachStepIsAudited() async throws {
        try await Self.withEnvironment { env in
            let input = OversightUseCases.MismatchInput(
                issuingUnitCode: Self.university, holderID: Self.holder, itemCode: "MZ-HY-001", caseReference: "HY-7", proofType: "XWZS",
                proofSerial: "P1-1", facts: [MismatchedFact(key: "degree", declared: "硕士", fetched: "学士")])
            let stranger = Self.caller(UnitDemoData.civilAffairs, staff: "agent-0099")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.openMismatch(input, caller: stranger) }
            #expect(try env.audited(.oversightOpenMismatch).isEmpty)
            let opened = try await env.useCases.openMismatch(input, caller: Self.civilCaller)
            #expect(!opened.replayed && opened.record.status == .open)
            let audited = try env.audited(.oversightOpenMismatch)
            #expect(audited.map(\.result) == [.open] && audited.first?.unitCode == Self.civil && audited.first?.staff == "agent-0001")

            // Only the issuing unit re-verifies; the opening unit's finding does not count.
            let id = opened.record.id
            let byOpener = await thrownError {
                _ = try await env.useCases.reverify(id, finding: "record_stands", note: "", corrected: [], caller: Self.civilCaller)
            }
            #expect(Self.code(of: byOpener) == .forbidden)
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.mismatch(id, caller: Self.waterCaller) }
            let universityCaller = Self.caller(UnitDemoData.university)
            let found = try await env.useCases.reverify(id, finding: "record_stands", note: "学籍记录为学士", corrected: [], caller: universityCaller)
            #expect(!found.replayed && found.record.finding == .recordStands)
            let reverified = try env.audited(.oversightReverify)
            #expect(reverified.map(\.result) == [AuditResult(rawValue: "record_stands")])
            #expect(reverified.first?.unitCode == Self.university && reverified.first?.staff == "agent-0001" && reverified.first?.licenceID == id)
        }
    }

    @Test func complaintsAreRegisteredByTheTaskForceOfficeOnlyAndAudited() async throws {
        try await Self.withEnvironment { env in
            let input = OversightUseCases.ComplaintInput(
                channel: "hotline_12345", channelReference: "12345-1", unitCode: Self.water, breachType: "demanded_no_proof_item",
                summary: "开户仍要物业证明", complainant: "")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.fileComplaint(input, caller: Self.waterCaller) }
            #expect(try env.audited(.oversightFileComplaint).isEmpty)
            let filed = try await env.useCases.fileComplaint(input, caller: Self.taskForceCaller)
            #expect(!filed.replayed && filed.record.status == .registered && filed.record.unit == Self.water)
            let audited = try env.audited(.oversightFileComplaint)
            #expect(audited.map(\.result) == [.registered(breach: "demanded_no_proof_item", about: Self.water)])
            #expect(audited.first?.unitCode == Self.taskForce && audited.first?.staff == "agent-0001" && audited.first?.licenceID == filed.record.id)

            // Routing is the office's; the unit it was routed to reads it.
            let id = filed.record.id
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.routeComplaint(id, to: "", caller: Self.waterCaller) }
            let routed = try await env.useCases.routeComplaint(id, to: "", caller: Self.taskForceCaller)
            #expect(routed.record.routedTo == Self.water)
            #expect(try env.audited(.oversightRouteComplaint).map(\.result) == [.routed(to: Self.water)])
            #expect(try await env.useCases.complaint(id, caller: Self.waterCaller).id == id)
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.complaint(id, caller: Self.civilCaller) }
        }
    }

    @Test func aUnitReadsItsOwnFiguresOnly() async throws {
        try await Self.withEnvironment { env in
            let refused = await thrownError {
                _ = try await env.useCases.counts(unitCode: Self.civil, from: nil, to: nil, asOf: nil, caller: Self.waterCaller)
            }
            #expect(Self.code(of: refused) == .forbidden)
            let own = try await env.useCases.counts(unitCode: "", from: nil, to: nil, asOf: nil, caller: Self.waterCaller)
            #expect(own.unitCode == Self.water && own.to.timeIntervalSince(own.from) == 30 * 86_400)
            let any = try await env.useCases.counts(unitCode: Self.civil, from: nil, to: nil, asOf: nil, caller: Self.taskForceCaller)
            #expect(any.unitCode == Self.civil)
        }
    }
}
