import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofDomain
import NoProofProtocol
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

/// The unit, staff, credential and item-list use cases called directly — no server, no socket:
/// the demo units on a temporary folder, the audit trail and the access gate beside them.
@Suite("Unit use cases")
struct UnitUseCasesTests {
    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value
    static let taskForce = UnitDemoData.taskForce.code.value

    struct Environment {
        let world: UseCaseWorld
        let useCases: UnitUseCases
        var audit: AuditLog { world.audit }
        var units: SQLiteUnitStore { world.units }

        /// The records of `action` in the trail, in order.
        func audited(_ action: AuditAction) throws -> [AuditRecord] { try world.audited(action) }
    }

    static func withEnvironment(_ body: (Environment) async throws -> Void) async throws {
        try await UseCaseWorld.with(prefix: "noproof-unit-usecases") { world in
            let gate = AccessGate(store: world.units, limits: nil, audit: world.audit, now: world.now, logger: world.logger)
            try await gate.refresh()
            let useCases = UnitUseCases(store: world.units, gate: gate, audit: world.audit, credentialRounds: 1_000, now: world.now, logger: world.logger)
            try await body(Environment(world: world, useCases: useCases))
        }
    }

    static func caller(_ unit: ServiceUnit, roles: Set<String> = [], signedIn: String? = nil, claimed: String? = nil) -> Caller {
        Caller(
            unit: AuthenticatedUnit(
                unitCode: unit.code.value, unitName: unit.name, credentialID: "cred-\(unit.code.value.suffix(4))", roles: roles, staffID: signedIn),
            claimedStaff: claimed)
    }

    static let supervisor = caller(UnitDemoData.taskForce, roles: ["taskforce"], signedIn: "supervisor-0001")
    static let taskForceSystem = caller(UnitDemoData.taskForce, roles: ["taskforce"], claimed: "supervisor-0001")
    static let waterSupervisor = caller(UnitDemoData.water, signedIn: "supervisor-0001")
    static let waterSystem = caller(UnitDemoData.water, claimed: "agent-0001")

    static func gas() throws -> (ServiceUnit, [StaffMember]) {
        let unit = ServiceUnit(
            code: try UnifiedSocialCreditCode.parse("91350100M000100Y43", field: "code"), name: "测试燃气公司", kind: .publicService(.gas), district: "市中区")
        return (unit, [StaffMember(id: "s-1", name: "王强", role: .supervisor), StaffMember(id: "a-1", name: "李娜", role: .agent)])
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

    @Test func onlyTheTaskForceStaffSignedInRegisterAUnitAndTheChangeIsAuditedIntentFirst() async throws {
        try await Self.withEnvironment { env in
            let gas = try Self.gas()
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.createUnit(.success(gas), caller: Self.waterSupervisor) }
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.createUnit(.success(gas), caller: Self.taskForceSystem) }
            // The caller's authority is checked before the request's unit is looked at.
            let unread = await thrownError {
                _ = try await env.useCases.createUnit(.failure(NoProofError.invalid("unit", "required")), caller: Self.waterSupervisor)
            }
            #expect(Self.code(of: unread) == .forbidden)
            #expect(try env.audited(.unitCreate).isEmpty)

            let created = try await env.useCases.createUnit(.success(gas), caller: Self.supervisor)
            #expect(created.code == gas.0.code)
            #expect(try await env.units.unit(code: gas.0.code) != nil)
            let audited = try env.audited(.unitCreate)
            #expect(audited.map(\.result) == [.intended, .created])
            #expect(audited.allSatisfy { $0.unitCode == Self.taskForce && $0.staff == "supervisor-0001" && $0.counterpartUnit == gas.0.code.value })
        }
    }

    @Test func aUnitsStaffIsSetByItsSupervisorSignedInAndAudited() async throws {
        try await Self.withEnvironment { env in
            let staff = [StaffMember(id: "supervisor-0001", name: "张伟", role: .supervisor), StaffMember(id: "agent-0001", name: "李娜", role: .agent)]
            // Another unit, and the unit's system credential naming its supervisor, are refused.
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.setStaff(of: Self.bank, to: .success(staff), caller: Self.waterSupervisor) }
            let system = Self.caller(UnitDemoData.water, claimed: "supervisor-0001")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.setStaff(of: "", to: .success(staff), caller: system) }
            await Self.expectRefusal(.invalid) { _ = try await env.useCases.setStaff(of: "", to: .success([]), caller: Self.waterSupervisor) }
            #expect(try env.audited(.staffSet).isEmpty)

            let set = try await env.useCases.setStaff(of: "", to: .success(staff), caller: Self.waterSupervisor)
            #expect(set.unit.value == Self.water && set.staff.filter(\.active).map(\.id).sorted() == ["agent-0001", "supervisor-0001"])
            let audited = try env.audited(.staffSet)
            #expect(audited.map(\.result) == [.intended, .replaced])
            #expect(audited.allSatisfy { $0.unitCode == Self.water && $0.staff == "supervisor-0001" && $0.counterpartUnit == "" })
        }
    }

    @Test func credentialsAreIssuedByTheTaskForceOfficeOnlyAndAudited() async throws {
        try await Self.withEnvironment { env in
            let input = UnitUseCases.CredentialInput(unitCode: Self.water, label: "窗口系统")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.issueCredential(input, caller: Self.waterSupervisor) }
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.credentials(of: "", caller: Self.waterSupervisor) }
            #expect(try env.audited(.credentialIssue).isEmpty)

            let issued = try await env.useCases.issueCredential(input, caller: Self.supervisor)
            #expect(issued.credential.unitCode.value == Self.water && !issued.secret.isEmpty && issued.credential.issuedBy == "supervisor-0001")
            let audited = try env.audited(.credentialIssue)
            #expect(audited.map(\.result) == [.intended, .issued])
            #expect(
                audited.allSatisfy {
                    $0.unitCode == Self.taskForce && $0.staff == "supervisor-0001" && $0.caseReference == issued.credential.id
                        && $0.counterpartUnit == Self.water
                })
            #expect(try await env.useCases.credentials(of: Self.water, caller: Self.supervisor).map(\.id).contains(issued.credential.id))

            let revoked = try await env.useCases.revokeCredential(issued.credential.id, reason: "窗口系统停用", caller: Self.supervisor)
            #expect(revoked.revokedAt != nil)
            #expect(try env.audited(.credentialRevoke).map(\.result) == [.intended, .revoked])
        }
    }

    @Test func aUnitDraftsItsOwnListOnlyAndOnlyTheOfficesSupervisorReviewsIt() async throws {
        try await Self.withEnvironment { env in
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.createDraft(of: Self.bank, caller: Self.waterSystem) }
            #expect(try env.audited(.listDraft).isEmpty)

            let draft = try await env.useCases.createDraft(of: "", caller: Self.waterSystem)
            #expect(draft.unitCode.value == Self.water && draft.status == .draft)
            let audited = try env.audited(.listDraft)
            #expect(audited.map(\.result) == [.intended, .draft])
            #expect(audited.allSatisfy { $0.unitCode == Self.water && $0.staff == "agent-0001" })
            #expect(audited.last?.caseReference == "LIST \(Self.water) v\(draft.version)")

            // Reviewing is the task force office's supervisor's, signed in.
            let version = UInt32(draft.version)
            await Self.expectRefusal(.forbidden) {
                _ = try await env.useCases.rejectList(of: Self.water, version: version, reason: "x", caller: Self.waterSupervisor)
            }
            await Self.expectRefusal(.forbidden) {
                _ = try await env.useCases.rejectList(of: Self.water, version: version, reason: "x", caller: Self.taskForceSystem)
            }
            await Self.expectRefusal(.invalid) { _ = try await env.useCases.rejectList(of: Self.water, version: version, reason: " ", caller: Self.supervisor) }
            #expect(try env.audited(.listReject).isEmpty)

            // The published lists are public; a unit sees its own versions still under work.
            let outside = try await env.useCases.itemList(of: UnitDemoData.water.code, caller: nil)
            #expect(!outside.versions.contains { $0.version == draft.version })
            let inside = try await env.useCases.itemList(of: UnitDemoData.water.code, caller: Self.waterSystem)
            #expect(inside.versions.contains { $0.version == draft.version })
        }
    }

    @Test func theCalendarIsPublishedByTheTaskForceStaffSignedInOnly() async throws {
        try await Self.withEnvironment { env in
            let read = try await env.useCases.calendar(year: 0, history: false)
            #expect(read.years.map(\.data.year) == [2025, 2026, 2027] && read.officeHours == "08:30-12:00,13:30-17:30")
            await Self.expectRefusal(.notFound) { _ = try await env.useCases.calendar(year: 2030, history: false) }
            let year = CalendarYear(year: 2028, holidays: [CivilDate(year: 2028, month: 1, day: 3)!], workingDays: [], source: "test")
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.publishCalendarYear(.success(year), caller: Self.waterSupervisor) }
            await Self.expectRefusal(.forbidden) { _ = try await env.useCases.publishCalendarYear(.success(year), caller: Self.taskForceSystem) }
            #expect(try env.audited(.calendarPublish).isEmpty)
            let published = try await env.useCases.publishCalendarYear(.success(year), caller: Self.supervisor)
            #expect(published.data.year == year.year)
            let audited = try env.audited(.calendarPublish)
            #expect(audited.first?.result == .intended && audited.count == 2)
            #expect(audited.allSatisfy { $0.unitCode == Self.taskForce && $0.staff == "supervisor-0001" && $0.caseReference == "CALENDAR \(year.year)" })
        }
    }
}
