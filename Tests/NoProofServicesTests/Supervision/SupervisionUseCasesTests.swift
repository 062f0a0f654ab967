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

/// The supervision use cases called directly — no server, no socket: the demo units on a
/// temporary folder, the audit trail and the oversight store beside them, callers built by hand.
@Suite("Supervision use cases")
struct SupervisionUseCasesTests {
    static let university = UnitDemoData.university.code.value
    static let water = UnitDemoData.water.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let holder = "370404199306107807"

    struct Environment {
        let world: UseCaseWorld
        let useCases: SupervisionUseCases
        let exemptions: SQLiteOversightStore
        var audit: AuditLog { world.audit }

        /// The records of `action` in the trail, in order.
        func audited(_ action: AuditAction) throws -> [AuditRecord] { try world.audited(action) }
    }

    static func withEnvironment(_ body: (Environment) async throws -> Void) async throws {
        try await UseCaseWorld.with(prefix: "noproof-supervision-usecases") { world in
            let exemptions = try SQLiteOversightStore(directory: world.directory)
            let useCases = SupervisionUseCases(audit: world.audit, units: world.units, exemptions: exemptions, now: world.now, logger: world.logger)
            try await body(Environment(world: world, useCases: useCases, exemptions: exemptions))
        }
    }

    static func caller(_ code: String, name: String, roles: Set<String> = [], staffID: String? = nil, claimedStaff: String? = nil) -> Caller {
        Caller(
            unit: AuthenticatedUnit(unitCode: code, unitName: name, credentialID: "cred-\(name)", roles: roles, staffID: staffID),
            claimedStaff: claimedStaff)
    }

    static let universityCaller = caller(university, name: "university", claimedStaff: "clerk-1")
    static let supervisor = caller(taskForce, name: "taskforce", roles: ["taskforce"], staffID: "supervisor-0001")
    static let taskForceSystem = caller(taskForce, name: "taskforce", roles: ["taskforce"], claimedStaff: "supervisor-0001")
    static let portal = caller(taskForce, name: "portal", roles: [AuthenticatedUnit.citizenPortalRole])

    static let november1 = CivilDate(year: 2026, month: 11, day: 1)!
    static let november30 = CivilDate(year: 2026, month: 11, day: 30)!

    static func code(_ text: String) throws -> UnifiedSocialCreditCode { try UnifiedSocialCreditCode.parse(text, field: "unit_code") }

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

    @Test func aUnitReadsOnlyItsOwnReportAndTheReadIsAudited() async throws {
        try await Self.withEnvironment { env in
            let everyUnit = await thrownError {
                _ = try await env.useCases.report(from: Self.november1, to: Self.november30, unitCode: nil, caller: Self.universityCaller)
            }
            #expect(Self.code(of: everyUnit) == .forbidden)
            let another = await thrownError {
                _ = try await env.useCases.report(from: Self.november1, to: Self.november30, unitCode: Self.code(Self.water), caller: Self.universityCaller)
            }
            #expect(Self.code(of: another) == .forbidden)
            #expect(try env.audited(.supervisionReport).isEmpty)

            let report = try await env.useCases.report(
                from: Self.november1, to: Self.november30, unitCode: Self.code(Self.university), caller: Self.universityCaller)
            #expect(report.rows.map(\.unitCode) == [Self.university])
            #expect(report.rows.first?.list != nil && report.periodDays == 30)
            let audited = try env.audited(.supervisionReport)
            #expect(audited.count == 1)
            #expect(audited.first?.result == .reported)
            #expect(audited.first?.unitCode == Self.university && audited.first?.staff == "clerk-1")
            #expect(audited.first?.licenceID == Self.university && audited.first?.caseReference == "2026-11-01..2026-11-30")
        }
    }

    @Test func anExemptionNeedsTheTaskForceStaffSignedInAndIsAuditedIntentFirst() async throws {
        try await Self.withEnvironment { env in
            let input = SupervisionUseCases.ExemptionInput(
                unitCode: Self.university, flag: "repeated_overdue", fromDate: "2026-11-01", toDate: "2026-11-30",
                ground: "issuer_data_false_remedied", reason: "申请人学籍数据由省平台错误推送，已及时更正并补发")
            // A unit cannot exempt itself; the office's system credential carries no person's authority.
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.exempt(input, caller: Self.universityCaller) }
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.exempt(input, caller: Self.taskForceSystem) }
            var unknownFlag = input
            unknownFlag.flag = "no_such_flag"
            let refused = await thrownError { _ = try await env.useCases.exempt(unknownFlag, caller: Self.supervisor) }
            #expect(Self.code(of: refused) == .invalid && (refused as? NoProofError)?.field == "flag")
            #expect(try env.audited(.supervisionExempt).isEmpty)

            let stored = try await env.useCases.exempt(input, caller: Self.supervisor)
            #expect(stored.created && stored.exemption.grantedBy == "supervisor-0001" && stored.exemption.unit == Self.university)
            let again = try await env.useCases.exempt(input, caller: Self.supervisor)
            #expect(!again.created && again.exemption.id == stored.exemption.id)
            let audited = try env.audited(.supervisionExempt)
            #expect(audited.map(\.result) == [.intended, .exempted, .intended, .alreadyExempted])
            #expect(audited.allSatisfy { $0.unitCode == Self.taskForce && $0.staff == "supervisor-0001" && $0.counterpartUnit == Self.university })
            #expect(audited.last?.licenceID == stored.exemption.id)
            let kept = try await env.exemptions.exemptions(unit: Self.university, from: Self.november1, through: Self.november30)
            #expect(kept.map(\.id) == [stored.exemption.id])
        }
    }

    @Test func exemptionsAreListedToTheUnitItselfAndTheListingIsAudited() async throws {
        try await Self.withEnvironment { env in
            let everyUnit = await thrownError {
                _ = try await env.useCases.exemptions(from: Self.november1, to: Self.november30, unitCode: nil, caller: Self.universityCaller)
            }
            #expect(Self.code(of: everyUnit) == .forbidden)
            #expect(try env.audited(.supervisionListExemptions).isEmpty)
            let found = try await env.useCases.exemptions(
                from: Self.november1, to: Self.november30, unitCode: Self.code(Self.university), caller: Self.universityCaller)
            #expect(found.isEmpty)
            let audited = try env.audited(.supervisionListExemptions)
            #expect(audited.map(\.result) == [.listed(count: 0)])
            #expect(audited.first?.unitCode == Self.university && audited.first?.staff == "clerk-1" && audited.first?.licenceID == Self.university)
        }
    }

    @Test func onlyTheCitizenPortalReadsWhoLookedAndTheReadIsAudited() async throws {
        try await Self.withEnvironment { env in
            _ = try env.audit.appendBatch([
                AuditRecord(
                    atMillis: 1_793_462_400_000, unitCode: Self.water, credentialID: "water", staff: "clerk-9", action: .lookup,
                    itemCode: "ITEM", caseReference: "CASE", holderID: Self.holder, typeCode: "JMSFZ", result: .found)
            ])
            let input = SupervisionUseCases.WhoLookedInput(holder: try Holder.parse(Self.holder))
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.whoLooked(input, caller: Self.supervisor) }
            #expect(try env.audited(.supervisionWhoLooked).isEmpty)

            let page = try await env.useCases.whoLooked(input, caller: Self.portal)
            #expect(page.entries.map(\.unitCode) == [Self.water] && page.entries.first?.action == .lookup && page.nextPageToken == "")
            let audited = try env.audited(.supervisionWhoLooked)
            #expect(audited.count == 1)
            #expect(audited.first?.result == .listed && audited.first?.unitCode == Self.taskForce && audited.first?.credentialID == "cred-portal")
            #expect(audited.first?.holderID == (try Holder.parse(Self.holder)).key && audited.first?.licenceID == "1 entries")
        }
    }
}
