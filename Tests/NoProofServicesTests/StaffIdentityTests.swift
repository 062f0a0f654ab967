import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofLibrary
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices
@testable import NoProofAudit
@testable import NoProofLicenceStore
@testable import NoProofDemoData
import NoProofAuditChain

/// Staff are authenticated principals, and the volume limits cannot be rotated away (issue 14),
/// each attack tried over a real socket: the demo units with their staff and published lists,
/// system credentials (`water`, `taskforce`, ...) that name the acting staff member per call, and
/// staff credentials (`water/agent-0001`, `taskforce/supervisor-0001`, ...) that are the person.
@Suite("Staff identity and volume limits over loopback")
struct StaffIdentityTests {
    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let demo = DemoDataGenerator(licenceCount: 400)

    struct Environment: Sendable {
        let port: Int
        let clock: TestClock
        let audit: AuditLog
        let units: SQLiteUnitStore
        func client(_ id: String) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (id, "secret")))
        }
    }

    static func withEnvironment(limits: RateLimits = .standard, _ body: @Sendable (Environment) async throws -> Void) async throws {
        try await DemoServiceStores.with(prefix: "noproof-staff") { stores in
            let (directory, clock, quiet, _, library, units, keyring) = (
                stores.directory, stores.clock, stores.quiet, stores.licences, stores.library, stores.units, stores.keyring
            )
            let audit = try AuditLog(directory: directory)
            let gate = AccessGate(store: units, limits: limits, audit: audit, now: { clock.now }, logger: quiet)
            try await gate.refresh()
            var registry = RPCRegistry()
            LicenceService(library: library, keyring: keyring, audit: audit, gate: gate, now: { clock.now }).register(in: &registry)
            UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, now: { clock.now }, logger: quiet).register(in: &registry)
            SupervisionService(
                audit: audit, units: units, oversight: nil,
                typeNames: Dictionary(uniqueKeysWithValues: library.licenceTypes.map { ($0.code, $0.nameZh) }),
                now: { clock.now }, logger: quiet
            ).register(in: &registry)
            let fixed = FixedCredentials.make([("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("bank", UnitDemoData.bank)])
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
            try await withRunningServer(server) { port in
                try await body(Environment(port: port, clock: clock, audit: audit, units: units))
            }
            await gate.close()
            audit.close()
        }
    }

    /// Holders with a valid resident ID card (JMSFZ), which the water company's SW-KH-001 obtains by data sharing.
    static let holders: [String] = {
        let all = demo.makeLicences()
        var seen = Set<String>()
        return all.filter { $0.typeCode == "JMSFZ" && $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid }
            .map(\.holder.key).filter { seen.insert($0).inserted }
    }()

    static func lookup(
        _ client: NoProofClient, holder: String = holders[0], caseReference: String = "SW-2026-1",
        staff: String?
    ) async throws -> APISealedProof {
        try await client.lookup(
            holderID: holder, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: caseReference),
            metadata: staff.map { ["staff": $0] } ?? [:])
    }

    @Test("a lookup's staff must be an active registered member of the unit; empty, made-up and huge ids are refused")
    func lookupsNeedARegisteredStaffMember() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water")
            defer { Task { await water.close() } }
            let empty = await failure { _ = try await Self.lookup(water, staff: nil) }
            #expect(empty?.code == .invalidArgument)
            #expect(empty?.message.contains("staff metadata required") == true)
            let ghost = await failure { _ = try await Self.lookup(water, staff: "ghost-9999") }
            #expect(ghost?.code == .permissionDenied)
            #expect(ghost?.message.contains("not an active staff member") == true)
            #expect(ghost?.message.contains("noproof staff list") == true)
            let huge = await failure { _ = try await Self.lookup(water, staff: String(repeating: "a", count: 1000)) }
            #expect(huge?.code == .invalidArgument)
            #expect(huge?.message.hasPrefix("staff: at most 64") == true)
            #expect((huge?.message.count ?? 0) < 400)
            // A member who left the unit is refused too.
            try await env.units.replaceStaff(
                of: UnitDemoData.water.code, with: UnitDemoData.staff(of: UnitDemoData.water.code).filter { $0.id != "agent-0002" },
                at: env.clock.now)
            let taskForce = try await env.client("taskforce/supervisor-0001")
            defer { Task { await taskForce.close() } }
            // Any staff change reloads the gate; the task force office's supervisor sets the same staff again.
            _ = try await taskForce.setStaff(
                of: Self.water,
                to: UnitDemoData.staff(of: UnitDemoData.water.code)
                    .filter { $0.id != "agent-0002" }.map { APIStaffEntry(staffID: $0.id, name: $0.name, role: $0.role.rawValue, active: true) })
            let former = await failure { _ = try await Self.lookup(water, staff: "agent-0002") }
            #expect(former?.code == .permissionDenied)
            // The connection and the server keep serving a registered member.
            let proof = try await Self.lookup(water, staff: "agent-0001")
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            #expect(body.staff == "agent-0001")
            // Every refusal is in the denial log with its reason.
            let reasons = try await env.units.denials(unit: UnitDemoData.water.code, limit: 10).map(\.reason)
            #expect(reasons.filter { $0 == "unknown_staff" }.count == 2)
            #expect(reasons.contains("no_staff"))
        }
    }

    @Test("a staff credential acts as its person only: it cannot name a colleague")
    func aStaffCredentialCannotActAsAColleague() async throws {
        try await Self.withEnvironment { env in
            let agent = try await env.client("water/agent-0001")
            defer { Task { await agent.close() } }
            let proof = try await Self.lookup(agent, staff: nil)
            #expect(try ProtoCodec.decode(APIProofBody.self, from: proof.body).staff == "agent-0001")
            let colleague = await failure { _ = try await Self.lookup(agent, staff: "supervisor-0001") }
            #expect(colleague?.code == .permissionDenied)
            #expect(colleague?.message.contains("signed in as staff member agent-0001") == true)
            let staffChange = await failure {
                _ = try await agent.setStaff(
                    of: Self.water, to: [APIStaffEntry(staffID: "agent-0001", name: "x", role: "supervisor", active: true)],
                    actingStaff: "supervisor-0001")
            }
            #expect(staffChange?.code == .permissionDenied)
        }
    }

    @Test("acts that carry authority need the staff member's own credential, never a name typed on a system credential")
    func authorityNeedsTheStaffMembersOwnCredential() async throws {
        try await Self.withEnvironment { env in
            let system = try await env.client("taskforce")
            defer { Task { await system.close() } }
            // The attack: a system credential names the supervisor to approve, issue credentials or set staff.
            let approve = await failure { _ = try await system.approveList(unitCode: Self.water, version: 1, staff: "supervisor-0001") }
            #expect(approve?.code == .permissionDenied)
            #expect(approve?.message.contains("own staff credential") == true)
            let issue = await failure { _ = try await system.issueCredential(unitCode: Self.water, staff: "supervisor-0001") }
            #expect(issue?.code == .permissionDenied)
            let water = try await env.client("water")
            defer { Task { await water.close() } }
            let newStaff = [
                APIStaffEntry(staffID: "supervisor-0009", name: "冒名", role: "supervisor", active: true),
                APIStaffEntry(staffID: "agent-0001", name: "x", role: "agent", active: true),
            ]
            let replaced = await failure { _ = try await water.setStaff(of: Self.water, to: newStaff) }
            #expect(replaced?.code == .permissionDenied)
            let named = await failure { _ = try await water.setStaff(of: Self.water, to: newStaff, actingStaff: "supervisor-0001") }
            #expect(named?.code == .permissionDenied)
            // An agent signed in is still not the supervisor.
            let agent = try await env.client("water/agent-0001")
            defer { Task { await agent.close() } }
            let byAgent = await failure { _ = try await agent.setStaff(of: Self.water, to: newStaff) }
            #expect(byAgent?.code == .permissionDenied)
            #expect(byAgent?.message.contains("supervisor") == true)
            #expect(
                try await env.units.staff(of: UnitDemoData.water.code, includeInactive: false).map(\.id).sorted()
                    == UnitDemoData.staff(of: UnitDemoData.water.code).map(\.id).sorted())
            // The supervisor signed in may; the audit row names them.
            let supervisor = try await env.client("water/supervisor-0001")
            defer { Task { await supervisor.close() } }
            let current = UnitDemoData.staff(of: UnitDemoData.water.code).map {
                APIStaffEntry(staffID: $0.id, name: $0.name, role: $0.role.rawValue, active: true)
            }
            _ = try await supervisor.setStaff(of: Self.water, to: current)
            let record = try env.audit.records(after: 0, limit: 10_000).last { $0.action == .staffSet }
            #expect(record?.staff == "supervisor-0001")
            #expect(record?.credentialID == "water/supervisor-0001")
            // The task force office's supervisor signed in issues a staff credential; it authenticates as that person.
            let taskForce = try await env.client("taskforce/supervisor-0001")
            defer { Task { await taskForce.close() } }
            let issued = try await taskForce.issueCredential(unitCode: Self.water, staffMember: "agent-0001", staff: nil)
            #expect(issued.credential?.kind == "staff")
            #expect(issued.credential?.staffID == "agent-0001")
            let ghost = await failure { _ = try await taskForce.issueCredential(unitCode: Self.water, staffMember: "ghost-9999", staff: nil) }
            #expect(ghost?.code == .invalidArgument)
            let person = try await NoProofClient.connect(.init(port: env.port, credential: (issued.credential!.credentialID, issued.secret)))
            defer { Task { await person.close() } }
            let proof = try await Self.lookup(person, staff: nil)
            #expect(try ProtoCodec.decode(APIProofBody.self, from: proof.body).staff == "agent-0001")
            // Approving still needs the task force office's supervisor signed in: it passes the identity checks and
            // stops at the list's state (version 1 is already published).
            let approved = await failure { _ = try await taskForce.approveList(unitCode: Self.water, version: 1, staff: nil) }
            #expect(approved?.code != .permissionDenied)
        }
    }

    @Test("rotating staff ids and case references does not reset the limits; other units are still served")
    func rotationDoesNotResetTheLimits() async throws {
        let limits = RateLimits(
            maxLookupsPerCase: 20, maxLookupsPerStaffPerMinute: 60, maxNewCasesPerStaffPerDay: 1_000,
            maxLookupsPerUnitPerMinute: 100)
        try await Self.withEnvironment(limits: limits) { env in
            let water = try await env.client("water")
            defer { Task { await water.close() } }
            let staff = UnitDemoData.staff(of: UnitDemoData.water.code).map(\.id) + ["ghost-1", "ghost-2", "ghost-3"]
            var answered = 0, denied = 0, exhausted = 0
            for attempt in 0..<300 {
                let holder = Self.holders[attempt % Self.holders.count]
                switch await failure({ _ = try await Self.lookup(water, holder: holder, caseReference: "ROT-\(attempt)", staff: staff[attempt % staff.count]) }
                )?.code {
                case nil: answered += 1
                case .permissionDenied?: denied += 1
                case .resourceExhausted?: exhausted += 1
                default: Issue.record("unexpected status")
                }
            }
            // Made-up staff got nothing; the real ones together got the unit's 100 a minute, not 300.
            #expect(denied == 150)
            #expect(answered == 100)
            #expect(exhausted == 50)
            // Another unit is served.
            let bank = try await env.client("bank")
            defer { Task { await bank.close() } }
            _ = try await bank.lookup(
                holderID: Self.holders[0], typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "YH-KH-001", caseReference: "B-1"),
                metadata: ["staff": "agent-0001"])
            // A minute later the water company is served again.
            env.clock.advance(by: 61)
            _ = try await Self.lookup(water, caseReference: "ROT-next", staff: "agent-0001")
        }
    }

    @Test("a burst of new case references raises harvesting_suspected in the supervision report")
    func aRotatedCaseBurstRaisesTheHarvestingFlag() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water/agent-0001")
            defer { Task { await water.close() } }
            for attempt in 0..<35 {
                _ = try await Self.lookup(water, holder: Self.holders[attempt % Self.holders.count], caseReference: "BURST-\(attempt)", staff: nil)
            }
            let taskForce = try await env.client("taskforce")
            defer { Task { await taskForce.close() } }
            let day = CivilDate(env.clock.now).description
            var flags: [String] = []
            // The suspicion is appended to the audit trail just after the call that completed it.
            for _ in 0..<50 where !flags.contains("harvesting_suspected") {
                let report = try await taskForce.supervisionReport(from: day, to: day, unitCode: Self.water)
                flags = report.units.first?.flags.map(\.code) ?? []
                if !flags.contains("harvesting_suspected") { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(flags.contains("harvesting_suspected"))
            let record = try env.audit.records(after: 0, limit: 10_000).first { $0.action == .harvestSuspected }
            #expect(record?.staff == "agent-0001")
            #expect(record?.licenceID == "new_cases")
        }
    }

    @Test("a burst of misses (guessed holder ids) raises harvesting_suspected")
    func aBurstOfMissesRaisesTheHarvestingFlag() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water")
            defer { Task { await water.close() } }
            let known = Set(Self.demo.makeLicences().map(\.holder.key))
            // Valid resident ID numbers nobody in the library holds.
            let guesses = (100..<500).compactMap { try? ResidentID.make(first17: "37040219800101\(String($0))").value }
                .filter { !known.contains($0) }.prefix(20)
            for guess in guesses {
                let miss = await failure { _ = try await Self.lookup(water, holder: guess, caseReference: "GUESS", staff: "agent-0002") }
                #expect(miss?.code == .notFound)
            }
            var found: AuditRecord?
            for _ in 0..<50 where found == nil {
                found = try env.audit.records(after: 0, limit: 10_000).first { $0.action == .harvestSuspected }
                if found == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(found?.licenceID == "misses")
            #expect(found?.staff == "agent-0002")
        }
    }
}
