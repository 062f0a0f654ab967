import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
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

/// The unit registry and item lists over a real socket: a server with the demo units, staff and
/// published lists (SQLite unit store), the licence service behind an `AccessGate` over the same
/// store, and `UnitCredentialAuthenticator` accepting fixed demo credentials and issued ones.
@Suite("Unit service over loopback")
struct UnitServiceTests {
    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let demo = DemoDataGenerator(licenceCount: 400)

    struct Environment: Sendable {
        let port: Int
        let units: SQLiteUnitStore
        let clock: TestClock

        /// A client authenticated with the fixed credential `id` (secret "secret"), or none.
        func client(_ id: String? = nil) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: id.map { ($0, "secret") }))
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-units")
        defer { temporary.remove() }
        let directory = temporary.url
        let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
        let logger = Logger(label: "test")
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: 400)
        let library = try await LicenceLibrary.open(
            store: store, cacheCapacity: 10_000, today: { DemoDataGenerator.defaultReferenceDate },
            logger: logger)
        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let audit = try AuditLog(directory: directory)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let gate = AccessGate(store: units, limits: nil, audit: audit, now: { clock.now }, logger: quiet)
        try await gate.refresh()
        var registry = RPCRegistry()
        LicenceService(library: library, keyring: keyring, audit: audit, gate: gate).register(in: &registry)
        UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, now: { clock.now }, logger: quiet).register(in: &registry)
        let fixed = FixedCredentials.make([
            ("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("bank", UnitDemoData.bank),
        ])
        let configuration = ServerConfiguration.forTests
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
        try await withRunningServer(server) { port in
            try await body(Environment(port: port, units: units, clock: clock))
        }
        await gate.close()
        audit.close()
        try store.close()
        try units.close()
    }

    /// A licence valid on the library's reference day, of a connected type (obtainable by data sharing).
    static func validConnectedLicence() -> Licence {
        let connected = Set(LicenceTypeCatalogue.starter.filter(\.connected).map(\.code))
        let all = demo.makeLicences()
        return all.first { licence in
            connected.contains(licence.typeCode) && licence.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid
                && all.filter { $0.holder == licence.holder && $0.typeCode == licence.typeCode }.count == 1
        }!
    }

    /// The water company's published items plus `SW-XH-003` needing `typeCode` by data sharing.
    static func revisedWaterItems(typeCode: String) -> [APIListItem] {
        UnitDemoData.items(of: UnitDemoData.water.code).map(APIListItem.init)
            + [APIListItem(code: "SW-XH-003", name: "居民用水销户", kind: "immediate", proofs: [APIItemProof(proof: typeCode, method: "data_sharing")])]
    }

    static func addItemChange(on day: CivilDate) -> APIDeclaredChange {
        APIDeclaredChange(kind: "add", item: "SW-XH-003", cause: "市政府办公室通知：用水销户纳入一网通办", causeDate: day.description)
    }

    /// Issue 16: CreateUnit accepted a unit with two supervisors (registered inactive) while
    /// SetStaff refused the same set. One rule on every path: both are refused the same way.
    @Test func createUnitAndSetStaffApplyTheSameSupervisorRule() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let code = try UnifiedSocialCreditCode.make(first17: "91370400MA3D00001", field: "code").value
            let twoSupervisors = [
                APIStaffEntry(staffID: "supervisor-0001", name: "甲", role: "supervisor", active: true),
                APIStaffEntry(staffID: "supervisor-0002", name: "乙", role: "supervisor", active: true),
                APIStaffEntry(staffID: "agent-0001", name: "丙", role: "agent", active: true),
            ]
            for active in [false, true] {
                let unit = APIUnitInfo(code: code, name: "枣庄测试燃气有限公司", kind: "public_service", sector: "gas", district: "市中区", active: active)
                let refused = await failure { _ = try await taskForce.createUnit(unit, staff: twoSupervisors, actingStaff: nil) }
                #expect(refused?.code == .failedPrecondition, "active \(active): \(String(describing: refused))")
                #expect(refused?.message.contains("exactly one supervisor") == true)
            }
            let setStaff = await failure { _ = try await taskForce.setStaff(of: Self.water, to: twoSupervisors) }
            #expect(setStaff?.code == .failedPrecondition)
            #expect(setStaff?.message.contains("exactly one supervisor") == true)
        }
    }

    /// The calendar over RPC: public to read; published by signed-in task force staff only, as
    /// the year's next version, in force at once for list timing.
    @Test func theCalendarIsPublishedByTheTaskForceAndReadByAnyone() async throws {
        try await Self.withEnvironment { environment in
            let anonymous = try await environment.client()
            let calendar = try await anonymous.calendar()
            #expect(calendar.years.map(\.year) == [2025, 2026, 2027])
            #expect(calendar.years.map(\.provisional) == [false, false, true])
            #expect(calendar.officeHours == "08:30-12:00,13:30-17:30")
            #expect(await failureCode { _ = try await anonymous.calendar(year: 2030) } == .notFound)

            let year2028 = APICalendarYearInfo(year: 2028, holidays: ["2028-01-03"], workingDays: [], source: "test")
            let water = try await environment.client("water/supervisor-0001")
            #expect(await failureCode { _ = try await water.publishCalendarYear(year2028, actingStaff: nil) } == .permissionDenied)
            let system = try await environment.client("taskforce")
            #expect(await failureCode { _ = try await system.publishCalendarYear(year2028, actingStaff: "supervisor-0001") } == .permissionDenied)
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let bad = APICalendarYearInfo(year: 2028, holidays: ["2028-02-30"], workingDays: [])
            #expect(await failureCode { _ = try await taskForce.publishCalendarYear(bad, actingStaff: nil) } == .invalidArgument)
            let published = try await taskForce.publishCalendarYear(year2028, actingStaff: nil)
            #expect(published.version == 1 && published.publishedBy == "\(Self.taskForce)/supervisor-0001")
            #expect(environment.units.machine.calendar.covers(CivilDate(year: 2028, month: 1, day: 3)!))
            #expect(!environment.units.machine.calendar.isWorkingDay(CivilDate(year: 2028, month: 1, day: 3)!))
            let again = try await taskForce.publishCalendarYear(year2028, actingStaff: nil)
            #expect(again.version == 2)
            #expect(try await anonymous.calendar(year: 2028, history: true).years.map(\.version) == [1, 2])
        }
    }

    @Test func listsAndUnitsAreReadableWithoutCredentials() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            let units = try await client.listUnits()
            #expect(units.count == UnitDemoData.units.count)
            #expect(units.contains { $0.code == Self.taskForce && $0.taskForceOffice })
            #expect(units.contains { $0.code == Self.water && $0.kind == "public_service" && $0.sector == "water" })

            let water = try await client.itemList(of: Self.water)
            #expect(water.unit?.name == UnitDemoData.water.name)
            #expect(water.inForce?.version == 1)
            #expect(water.inForce?.status == "published")
            #expect(water.versions.map(\.version) == [1])
            #expect(water.versions[0].history.map(\.action) == ["created", "edited", "submitted", "approved", "published"])
            let item = try #require(water.inForce?.items.first { $0.code == "SW-KH-001" })
            #expect(item.proofs.first { $0.proof == "JMSFZ" }?.method == "data_sharing")
            #expect(item.proofs.first { $0.proof == "WYZM" }?.method == "cancelled")

            // Department verification names the issuing unit; exclusions carry ground, category and note.
            let bank = try await client.itemList(of: Self.bank)
            let proofs = bank.inForce?.items.flatMap(\.proofs) ?? []
            #expect(proofs.first { $0.proof == "WFZJL" }?.issuingUnit == LicenceTypeCatalogue.publicSecurityBureau.code.value)
            let excluded = try #require(proofs.first { $0.proof == "GZZM" })
            #expect(excluded.method == "excluded" && excluded.exclusion == "high_risk" && excluded.exclusionCategory == "financial_supervision")
            #expect(!excluded.exclusionNote.isEmpty)

            #expect(await failureCode { _ = try await client.itemList(of: "91370400MA3C7WX8XX") } == .invalidArgument)
            #expect(await failureCode { _ = try await client.itemList(of: "91350100M000100Y43") } == .notFound)
            // Staff and unit details need authentication.
            #expect(await failureCode { _ = try await client.unit(code: Self.water) } == .unauthenticated)
            #expect(await failureCode { _ = try await client.staff(of: Self.water) } == .unauthenticated)
            await client.close()
        }
    }

    @Test func aListChangeGoesFromDraftToPublishedAndLookupsFollowIt() async throws {
        try await Self.withEnvironment { environment in
            let licence = Self.validConnectedLicence()
            let water = try await environment.client("water")
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let newItem = APIPurpose(itemCode: "SW-XH-003", caseReference: "CASE-1")

            // Not listed yet: refused.
            #expect(
                await failureCode {
                    _ = try await water.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: newItem, metadata: ["staff": "agent-0001"])
                }
                    == .permissionDenied)

            let draft = try await water.createDraft(unitCode: Self.water, staff: "agent-0001")
            #expect(draft.version == 2 && draft.basedOn == 1 && draft.status == "draft")
            #expect(await failureCode { _ = try await water.createDraft(unitCode: Self.water, staff: "agent-0001") } == .failedPrecondition)
            let today = CivilDate(environment.clock.now)
            let saved = try await water.saveDraft(
                unitCode: Self.water, version: 2, items: Self.revisedWaterItems(typeCode: licence.typeCode),
                changes: [Self.addItemChange(on: today)], staff: "agent-0001")
            #expect(saved.items.count == 3)
            let submitted = try await water.submitList(unitCode: Self.water, version: 2, staff: "agent-0002")
            #expect(submitted.status == "submitted")
            #expect(submitted.changes.first?.assessed == true && submitted.changes.first?.late == false)
            // The public does not see a version under review; the unit and the task force do.
            let anonymous = try await environment.client()
            #expect(try await anonymous.itemList(of: Self.water).versions.map(\.version) == [1])
            #expect(try await water.itemList(of: Self.water).versions.map(\.version) == [1, 2])

            environment.clock.advance(by: 3600)
            let approved = try await taskForce.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001")
            #expect(approved.status == "approved")
            #expect(approved.reviewedBy == "\(Self.taskForce)/supervisor-0001")
            // Approved but not yet published: still refused.
            #expect(
                await failureCode {
                    _ = try await water.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: newItem, metadata: ["staff": "agent-0001"])
                }
                    == .permissionDenied)
            let published = try await water.publishList(unitCode: Self.water, version: 2, staff: "supervisor-0001")
            #expect(published.status == "published")
            // Publishing again answers the published version.
            #expect(try await taskForce.publishList(unitCode: Self.water, version: 2, staff: "supervisor-0001").status == "published")

            // The gate follows at once: the listed item is served, an unlisted one is not.
            environment.clock.advance(by: 1)
            let proof = try await water.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: newItem, metadata: ["staff": "agent-0001"])
            #expect(try ProtoCodec.decode(APIProofBody.self, from: proof.body).licence?.licenceID == licence.id.description)
            let refusal = await failure {
                _ = try await water.lookup(
                    holderID: licence.holder.key, typeCode: licence.typeCode,
                    purpose: APIPurpose(itemCode: "SW-NOT-LISTED", caseReference: "CASE-2"), metadata: ["staff": "agent-0001"])
            }
            #expect(refusal?.code == .permissionDenied)
            #expect(refusal?.message.contains("SW-NOT-LISTED") == true)

            // The full history is public.
            let history = try await anonymous.itemList(of: Self.water)
            #expect(history.inForce?.version == 2)
            #expect(history.versions.map(\.version) == [1, 2])
            #expect(history.versions[1].history.map(\.action) == ["created", "edited", "submitted", "approved", "published"])
            #expect(history.versions[1].changes.first?.cause.isEmpty == false)
            for client in [water, taskForce, anonymous] { await client.close() }
        }
    }

    @Test func aRejectionNeedsAReasonAndTheUnitCanReopen() async throws {
        try await Self.withEnvironment { environment in
            let water = try await environment.client("water")
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            _ = try await water.createDraft(unitCode: Self.water, staff: "agent-0001")
            _ = try await water.saveDraft(
                unitCode: Self.water, version: 2, items: Self.revisedWaterItems(typeCode: "JMSFZ"),
                changes: [Self.addItemChange(on: CivilDate(environment.clock.now))], staff: "agent-0001")
            _ = try await water.submitList(unitCode: Self.water, version: 2, staff: "agent-0001")
            let noReason = await failure { _ = try await taskForce.rejectList(unitCode: Self.water, version: 2, reason: " ", staff: "supervisor-0001") }
            #expect(noReason?.code == .invalidArgument)
            #expect(noReason?.message.hasPrefix("reason") == true)
            let rejected = try await taskForce.rejectList(
                unitCode: Self.water, version: 2, reason: "cause document missing",
                staff: "supervisor-0001")
            #expect(rejected.status == "rejected" && rejected.rejectionReason == "cause document missing")
            // A rejected list is neither approved nor published; the unit reopens it.
            #expect(
                await failureCode { _ = try await taskForce.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001") }
                    == .failedPrecondition)
            #expect(await failureCode { _ = try await water.publishList(unitCode: Self.water, version: 2, staff: "agent-0001") } == .failedPrecondition)
            let reopened = try await water.reopenList(unitCode: Self.water, version: 2, staff: "agent-0001")
            #expect(reopened.status == "draft")
            #expect(reopened.history.map(\.action).suffix(3) == ["submitted", "rejected", "reopened"])
            await water.close()
            await taskForce.close()
        }
    }

    @Test func onlyTheTaskForceSupervisorReviewsAndListActionsNameTheirStaff() async throws {
        try await Self.withEnvironment { environment in
            let water = try await environment.client("water")
            let bank = try await environment.client("bank")
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            #expect(await failureCode { _ = try await water.createDraft(unitCode: Self.water, staff: nil) } == .invalidArgument)
            let missing = await failure { _ = try await water.createDraft(unitCode: Self.water, staff: nil) }
            #expect(missing?.message.contains("staff metadata required") == true)
            // A staff id that is not a member of the unit, and another unit's list.
            #expect(await failureCode { _ = try await water.createDraft(unitCode: Self.water, staff: "agent-0099") } == .permissionDenied)
            #expect(await failureCode { _ = try await bank.createDraft(unitCode: Self.water, staff: "agent-0001") } == .permissionDenied)

            _ = try await water.createDraft(unitCode: Self.water, staff: "agent-0001")
            _ = try await water.saveDraft(
                unitCode: Self.water, version: 2, items: Self.revisedWaterItems(typeCode: "JMSFZ"),
                changes: [Self.addItemChange(on: CivilDate(environment.clock.now))], staff: "agent-0001")
            _ = try await water.submitList(unitCode: Self.water, version: 2, staff: "supervisor-0001")
            // The unit cannot approve its own list, nor can another unit.
            #expect(await failureCode { _ = try await water.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await bank.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001") } == .permissionDenied)
            #expect(
                await failureCode { _ = try await bank.rejectList(unitCode: Self.water, version: 2, reason: "no", staff: "supervisor-0001") }
                    == .permissionDenied)
            try await approvalNeedsTheSupervisorSignedIn(environment)
            // An effective time before the approval is refused, naming the field.
            let early = await failure {
                _ = try await taskForce.approveList(
                    unitCode: Self.water, version: 2,
                    effectiveAtMillis: Int64(environment.clock.now.timeIntervalSince1970 * 1000) - 86_400_000,
                    staff: "supervisor-0001")
            }
            #expect(early?.code == .invalidArgument)
            #expect(early?.message.hasPrefix("effective_at") == true)
            #expect(try await taskForce.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001").status == "approved")
            for client in [water, bank, taskForce] { await client.close() }
        }
    }

    /// The task force's agent may not approve, signed in (approval is the supervisor's), nor may the
    /// task force office's system credential naming the supervisor (approval is the person's act).
    func approvalNeedsTheSupervisorSignedIn(_ environment: Environment) async throws {
        let taskForceAgent = try await environment.client("taskforce/agent-0001")
        let agent = await failure { _ = try await taskForceAgent.approveList(unitCode: Self.water, version: 2, staff: nil) }
        #expect(agent?.code == .permissionDenied)
        #expect(agent?.message.contains("supervisor") == true)
        await taskForceAgent.close()
        let taskForceSystem = try await environment.client("taskforce")
        let named = await failure { _ = try await taskForceSystem.approveList(unitCode: Self.water, version: 2, staff: "supervisor-0001") }
        #expect(named?.code == .permissionDenied)
        #expect(named?.message.contains("own staff credential") == true)
        #expect(await failureCode { _ = try await taskForceSystem.approveList(unitCode: Self.water, version: 2, staff: nil) } == .permissionDenied)
        await taskForceSystem.close()
    }

    @Test func theArticle10StaffRuleIsEnforcedWithAReason() async throws {
        try await Self.withEnvironment { environment in
            let water = try await environment.client("water/supervisor-0001")
            let bank = try await environment.client("bank")
            let twoSupervisors = [
                APIStaffEntry(staffID: "supervisor-0001", name: "王志强", role: "supervisor"),
                APIStaffEntry(staffID: "supervisor-0002", name: "赵敏", role: "supervisor"),
                APIStaffEntry(staffID: "agent-0001", name: "李娜", role: "agent"),
            ]
            let refusal = await failure { _ = try await water.setStaff(of: Self.water, to: twoSupervisors) }
            #expect(refusal?.code == .failedPrecondition)
            #expect(refusal?.message.contains("Art. 10") == true)
            let noAgent = await failure { _ = try await water.setStaff(of: Self.water, to: [twoSupervisors[0]]) }
            #expect(noAgent?.code == .failedPrecondition)
            #expect(noAgent?.message.contains("agent") == true)
            #expect(
                await failureCode {
                    _ = try await water.setStaff(of: Self.water, to: [APIStaffEntry(staffID: "x", name: "X", role: "boss")])
                } == .invalidArgument)
            #expect(await failureCode { _ = try await bank.setStaff(of: Self.water, to: [twoSupervisors[1], twoSupervisors[2]]) } == .permissionDenied)

            // A handover in one step: the new supervisor in, the old one (left out) deactivated.
            let handed = try await water.setStaff(of: Self.water, to: [twoSupervisors[1], twoSupervisors[2]])
            #expect(handed.staff.first { $0.staffID == "supervisor-0001" }?.active == false)
            #expect(handed.staff.first { $0.staffID == "supervisor-0002" }?.role == "supervisor")
            let active = try await water.staff(of: Self.water)
            #expect(Set(active.staff.map(\.staffID)) == ["supervisor-0002", "agent-0001"])
            // The deactivated supervisor can no longer act for the unit.
            #expect(await failureCode { _ = try await water.createDraft(unitCode: Self.water, staff: "supervisor-0001") } == .permissionDenied)
            await water.close()
            await bank.close()
        }
    }

    @Test func theTaskForceRegistersAndRetiresUnits() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let water = try await environment.client("water")
            let gas = APIUnitInfo(
                code: "91350100M000100Y43", name: "测试燃气公司", kind: "public_service", sector: "gas",
                district: "市中区", active: true)
            let staff = [APIStaffEntry(staffID: "s-1", name: "王强", role: "supervisor"), APIStaffEntry(staffID: "a-1", name: "李娜", role: "agent")]
            #expect(await failureCode { _ = try await water.createUnit(gas, staff: staff, actingStaff: "supervisor-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await taskForce.createUnit(gas, staff: [staff[0]], actingStaff: "supervisor-0001") } == .failedPrecondition)
            var badCode = gas
            badCode.code = "91350100M000100Y44"
            let refusal = await failure { _ = try await taskForce.createUnit(badCode, staff: staff, actingStaff: "supervisor-0001") }
            #expect(refusal?.code == .invalidArgument)
            #expect(refusal?.message.hasPrefix("unit.code") == true)
            let created = try await taskForce.createUnit(gas, staff: staff, actingStaff: "supervisor-0001")
            #expect(created.name == "测试燃气公司")
            #expect(try await taskForce.listUnits().contains { $0.code == gas.code })
            var retired = created
            retired.active = false
            #expect(try await taskForce.updateUnit(retired, actingStaff: "supervisor-0001").active == false)
            #expect(try await taskForce.unit(code: gas.code).active == false)
            await taskForce.close()
            await water.close()
        }
    }

    @Test func anIssuedCredentialAuthenticatesUntilRevoked() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let water = try await environment.client("water")
            #expect(await failureCode { _ = try await water.issueCredential(unitCode: Self.water, staff: "supervisor-0001") } == .permissionDenied)
            #expect(await failureCode { _ = try await water.credentials() } == .permissionDenied)
            let system = try await environment.client("taskforce")
            #expect(await failureCode { _ = try await system.issueCredential(unitCode: Self.water, staff: "supervisor-0001") } == .permissionDenied)
            await system.close()
            #expect(await failureCode { _ = try await taskForce.issueCredential(unitCode: "91350100M000100Y43", staff: "supervisor-0001") } == .notFound)

            let issued = try await taskForce.issueCredential(unitCode: Self.water, label: "营业厅系统", expiresInDays: 30, staff: "supervisor-0001")
            let credential = try #require(issued.credential)
            #expect(!issued.secret.isEmpty)
            #expect(credential.unitCode == Self.water && credential.issuedBy == "supervisor-0001" && credential.label == "营业厅系统")
            #expect(credential.expiresAtMillis - credential.issuedAtMillis == 30 * 86_400_000)

            let connected = try await NoProofClient.connect(.init(port: environment.port, credential: (credential.credentialID, issued.secret)))
            #expect(connected.session?.unitCode == Self.water)
            #expect(try await connected.staff(of: "").unitCode == Self.water)
            await connected.close()
            #expect(
                await failureCode {
                    _ = try await NoProofClient.connect(.init(port: environment.port, credential: (credential.credentialID, "wrong")))
                } == .unauthenticated)

            // Listing never shows a secret.
            let listed = try await taskForce.credentials(of: Self.water)
            #expect(listed.map(\.credentialID) == [credential.credentialID])

            #expect(
                await failureCode { _ = try await taskForce.revokeCredential(id: credential.credentialID, reason: "", staff: "supervisor-0001") }
                    == .invalidArgument)
            let revoked = try await taskForce.revokeCredential(id: credential.credentialID, reason: "system retired", staff: "supervisor-0001")
            #expect(revoked.revokedAtMillis > 0 && revoked.revocationReason == "system retired")
            #expect(
                await failureCode { _ = try await taskForce.revokeCredential(id: credential.credentialID, reason: "again", staff: "supervisor-0001") }
                    == .failedPrecondition)
            #expect(await failureCode { _ = try await taskForce.revokeCredential(id: "cred_nonexistent", reason: "x", staff: "supervisor-0001") } == .notFound)
            let after = await failure {
                _ = try await NoProofClient.connect(.init(port: environment.port, credential: (credential.credentialID, issued.secret)))
            }
            #expect(after?.code == .unauthenticated)
            #expect(after?.message.contains("revoked") == true)
            await taskForce.close()
            await water.close()
        }
    }

    @Test func bulkLoadingReportsProblemsAndLoadsOnlyOwnOrTaskForceLists() async throws {
        try await Self.withEnvironment { environment in
            let water = try await environment.client("water")
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let json = """
                {"lists": [
                  {"unit": "\(Self.water)", "items": [{"code": "SW-KH-001", "name": "居民用水新开户", "kind": "immediate",
                    "proofs": [{"proof": "JMSFZ", "method": "data_sharing"}]}],
                   "changes": []},
                  {"unit": "\(Self.bank)", "items": [{"code": "YH-KH-001", "name": "开户", "kind": "immediate",
                    "proofs": [{"proof": "GZZM", "method": "applicant_supplies"}]}]}
                ]}
                """
            let report = try await taskForce.loadItemLists(text: json, staff: "supervisor-0001")
            #expect(report.loaded.map(\.unitCode) == [Self.water])
            #expect(report.loaded.first?.version == 2 && report.loaded.first?.itemCount == 1)
            #expect(report.problems.count == 1)
            #expect(report.problems.first?.unit == Self.bank)
            #expect(report.problems.first?.field.hasSuffix("method") == true)

            let csv = "unit,item,item_name,item_kind,proof,method\n\(Self.bank),YH-KH-001,开户,immediate,JMSFZ,data_sharing\n"
            let foreign = try await water.loadItemLists(text: csv, format: "csv", staff: "agent-0001")
            #expect(foreign.loaded.isEmpty)
            #expect(foreign.problems.first?.field == "unit")
            #expect(await failureCode { _ = try await water.loadItemLists(text: csv, format: "xml", staff: "agent-0001") } == .invalidArgument)
            await water.close()
            await taskForce.close()
        }
    }

    @Test func theMethodsAreListedWithTheirIdsAndDenialsAreReadable() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("taskforce/supervisor-0001")
            let water = try await environment.client("water")
            let methods = try await taskForce.listMethods().methods.filter { $0.path.hasPrefix("/noproof.v1.Units/") }
            #expect(Set(methods.map(\.id)) == Set(30...48).union([110]).union(100...101))  // 110: ShowItem; 100-101: calendar
            #expect(methods.first { $0.id == 100 }?.requiresAuthentication == false)
            #expect(methods.first { $0.id == 30 }?.requiresAuthentication == false)
            #expect(methods.first { $0.id == 37 }?.requiresAuthentication == false)
            _ = try? await water.lookup(
                holderID: Self.demo.holder(at: 0).holder.key, typeCode: "JHZ",
                purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "C1"), metadata: ["staff": "agent-0001"])
            var denials: [APIDenialEntry] = []
            for _ in 0..<200 {
                denials = try await taskForce.denials(of: Self.water)
                if !denials.isEmpty { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(denials.first?.typeCode == "JHZ")
            #expect(await failureCode { _ = try await water.denials() } == .permissionDenied)
            await taskForce.close()
            await water.close()
        }
    }
}
