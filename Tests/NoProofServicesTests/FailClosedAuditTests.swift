import Foundation
import GRDB
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
import NoProofAuditChain

/// Privileged changes fail closed, and every change to personal data or authority is audited
/// with its actor (issue 15), over a real socket: the demo units, staff and lists, the licence
/// library, and an audit trail whose write lock the test takes from another connection
/// (`BEGIN IMMEDIATE` on audit.sqlite), as an insider or a stuck backup would.
@Suite("Fail-closed audit over loopback")
struct FailClosedAuditTests {
    static let water = UnitDemoData.water.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let demo = DemoDataGenerator(licenceCount: 400)
    /// The trail's busy timeout in these tests (noproofd's is `AuditLog.defaultBusyTimeout`, 5 s).
    static let busyTimeout: TimeInterval = 1

    struct Environment: Sendable {
        let port: Int
        let directory: URL
        let audit: AuditLog
        let units: SQLiteUnitStore
        let library: LicenceLibrary
        let store: SQLiteLicenceStore

        func client(_ id: String) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (id, "secret")))
        }

        /// Takes audit.sqlite's write lock from another connection (`BEGIN IMMEDIATE`); `unlock` rolls back.
        func lockTrail() async throws -> DatabaseQueue {
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let holder = try DatabaseQueue(path: directory.appendingPathComponent("audit.sqlite").path, configuration: configuration)
            try await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            return holder
        }

        func unlock(_ holder: DatabaseQueue) async throws {
            try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        }

        /// Runs `body` while another connection holds audit.sqlite's write lock.
        func withTrailLocked<T: Sendable>(_ body: () async throws -> T) async throws -> T {
            let holder = try await lockTrail()
            do {
                let result = try await body()
                try await unlock(holder)
                return result
            } catch {
                try? await unlock(holder)
                throw error
            }
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        try await DemoServiceStores.with(prefix: "noproof-failclosed") { stores in
            let (directory, clock, quiet, store, library, units, keyring) = (
                stores.directory, stores.clock, stores.quiet, stores.licences, stores.library, stores.units, stores.keyring
            )
            let audit = try AuditLog(directory: directory, busyTimeout: busyTimeout)
            let gate = AccessGate(store: units, limits: nil, audit: audit, now: { clock.now }, logger: quiet)
            try await gate.refresh()
            var registry = RPCRegistry()
            LicenceService(library: library, keyring: keyring, audit: audit, gate: gate, now: { clock.now }, logger: quiet).register(in: &registry)
            UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, now: { clock.now }, logger: quiet).register(in: &registry)
            let fixed = FixedCredentials.make([("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water)])
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
            try await withRunningServer(server) { port in
                try await body(Environment(port: port, directory: directory, audit: audit, units: units, library: library, store: store))
            }
            await gate.close()
            audit.close()
        }
    }

    /// Refused because the intent could not be recorded: UNAVAILABLE saying nothing was changed.
    static func expectNothingChanged(_ error: RPCError?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.code == .unavailable, "\(what): \(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains("nothing was changed") == true, "\(what): \(String(describing: error))", sourceLocation: sourceLocation)
    }

    /// A licence valid on the reference day, issued by the demo data (the task force may change any).
    static func someLicence(offset: Int) -> Licence {
        let all = demo.makeLicences()
        return all.filter { $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid }[offset]
    }

    /// Licences the library does not hold yet (a second edition of demo identifiers).
    static func newLicences(_ count: Int) throws -> [LicenceMessage] {
        try DemoDataGenerator(seed: 99, licenceCount: count).makeLicences().map { licence -> LicenceMessage in
            var message = LicenceMessage(licence)
            message.licenceID = try LicenceIdentifier.make(
                typeCode: licence.id.typeCode, issuer: licence.id.issuerCode,
                serial: licence.id.serial, version: 2
            ).description
            return message
        }
    }

    /// With the trail's write lock held, IssueCredential, RevokeCredential, SetStaff, UpdateUnit, a
    /// list step and every licence write answer UNAVAILABLE "nothing was changed", and nothing is
    /// changed; once the lock is gone the same calls succeed with intent and outcome on record.
    @Test func privilegedChangesUnderALockedTrailAreRefusedAndNotMade() async throws {
        try await Self.withEnvironment { env in
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let supervisor = try await env.client("water/supervisor-0001")
            let waterSystem = try await env.client("water")
            let existing = try await taskForce.issueCredential(unitCode: Self.water, label: "to revoke", staff: nil)
            let existingID = try #require(existing.credential?.credentialID)
            let waterCode = UnitDemoData.water.code
            let credentialsBefore = try await env.units.credentials(of: waterCode).count
            let staffBefore = try await env.units.staff(of: waterCode, includeInactive: true)
            let listsBefore = try await env.units.listHistory(unit: waterCode).count
            var renamed = APIUnitInfo(UnitDemoData.hospital)
            renamed.name = "改名的医院"
            let suspendable = Self.someLicence(offset: 1)
            let amendable = Self.someLicence(offset: 2)
            let fresh = try Self.newLicences(30)
            let recordsBefore = try env.audit.count()
            // A valid new staff set: the same members, one renamed.
            let renamedStaff = staffBefore.filter { $0.active }.enumerated().map { index, member in
                APIStaffEntry(staffID: member.id, name: index == 0 ? member.name + "（改）" : member.name, role: member.role.rawValue, active: true)
            }

            let refusals = try await env.withTrailLocked { () async throws -> [(String, RPCError?)] in
                [
                    ("IssueCredential", await failure { _ = try await taskForce.issueCredential(unitCode: Self.water, label: "locked", staff: nil) }),
                    ("RevokeCredential", await failure { _ = try await taskForce.revokeCredential(id: existingID, reason: "locked", staff: nil) }),
                    ("SetStaff", await failure { _ = try await supervisor.setStaff(of: Self.water, to: renamedStaff) }),
                    ("UpdateUnit", await failure { _ = try await taskForce.updateUnit(renamed, actingStaff: nil) }),
                    ("CreateDraft", await failure { _ = try await waterSystem.createDraft(unitCode: Self.water, staff: "agent-0001") }),
                    (
                        "SuspendLicence",
                        await failure {
                            _ = try await taskForce.changeStatus(.suspend, licenceID: suspendable.id.description, reason: "locked")
                        }
                    ),
                    (
                        "AmendLicence",
                        await failure {
                            _ = try await taskForce.unary(
                                .path("/noproof.v1.Licences/AmendLicence"),
                                request: APIAmendLicenceRequest(
                                    licenceID: amendable.id.description, holderName: "改名",
                                    reason: "locked"),
                                as: APILicenceResponse.self)
                        }
                    ),
                    (
                        "IssueLicence",
                        await failure {
                            _ = try await taskForce.issue(fresh[0])
                        }
                    ),
                    ("ImportLicences", await failure { _ = try await taskForce.importLicences(Array(fresh[1...])) }),
                    (
                        "PublishCalendarYear",
                        await failure {
                            _ = try await taskForce.publishCalendarYear(
                                APICalendarYearInfo(year: 2028, holidays: ["2028-01-03"], workingDays: []),
                                actingStaff: nil)
                        }
                    ),
                ]
            }
            for (call, error) in refusals { Self.expectNothingChanged(error, call) }
            // Nothing was changed ...
            #expect(try await env.units.credentials(of: waterCode).count == credentialsBefore)
            #expect(try await env.units.credential(id: existingID)?.revokedAt == nil)
            #expect(try await env.units.staff(of: waterCode, includeInactive: true) == staffBefore)
            #expect(try await env.units.unit(code: UnitDemoData.hospital.code)?.name == UnitDemoData.hospital.name)
            #expect(try await env.units.listHistory(unit: waterCode).count == listsBefore)
            #expect(try await env.units.calendarYears().map(\.data.year) == [2025, 2026, 2027])
            #expect(!env.units.calendarBook.calendar.covers(CivilDate(year: 2028, month: 1, day: 3)!))
            #expect(try await env.library.licence(id: suspendable.id.description).status == .valid)
            #expect(try await env.library.licence(id: amendable.id.description).holderName == amendable.holderName)
            for message in fresh {
                #expect(await thrownError { _ = try await env.library.licence(id: message.licenceID) } != nil, "\(message.licenceID) was written")
            }
            // ... and nothing was recorded.
            #expect(try env.audit.count() == recordsBefore)

            // Unlocked, the same change is made, its intent recorded before its outcome.
            let issued = try await taskForce.issueCredential(unitCode: Self.water, label: "unlocked", staff: nil)
            let id = try #require(issued.credential?.credentialID)
            let records = try env.audit.records(after: 0, limit: 10_000).filter { $0.action == .credentialIssue && $0.caseReference == id }
            #expect(records.map(\.result) == [.intended, .issued])
            #expect(records.allSatisfy { $0.staff == "supervisor-0001" && $0.credentialID == "taskforce/supervisor-0001" })
            _ = try await supervisor.setStaff(of: Self.water, to: renamedStaff)
            #expect(try env.audit.records(after: 0, limit: 10_000).filter { $0.action == .staffSet }.map(\.result) == [.intended, .replaced])
            _ = try await taskForce.changeStatus(.suspend, licenceID: suspendable.id.description, reason: "unlocked")
            #expect(try await env.library.licence(id: suspendable.id.description).status == .suspended)
            #expect(try env.audit.verifyChain().isIntact)
            for client in [taskForce, supervisor, waterSystem] { await client.close() }
        }
    }

    /// A lock shorter than the busy timeout delays the change; it is made and recorded.
    @Test func aShortLockOnTheTrailWaitsInsteadOfFailing() async throws {
        try await Self.withEnvironment { env in
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let holder = try await env.lockTrail()
            async let call = taskForce.issueCredential(unitCode: Self.water, label: "waited", staff: nil)
            try await Task.sleep(for: .milliseconds(100))
            try await env.unlock(holder)
            let issued = try await call
            let id = try #require(issued.credential?.credentialID)
            #expect(try await env.units.credential(id: id) != nil)
            #expect(try env.audit.records(after: 0, limit: 10_000).contains { $0.action == .credentialIssue && $0.caseReference == id && $0.result == .issued })
            await taskForce.close()
        }
    }

    /// Licence issue, amend, suspend, reinstate, revoke and import are audited with the unit, the
    /// credential and the staff member, an import as one record with the SHA-256 digest of its rows.
    @Test func licenceWritesAreAuditedWithTheirActor() async throws {
        try await Self.withEnvironment { env in
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let licence = Self.someLicence(offset: 5)
            let id = licence.id.description
            _ = try await taskForce.changeStatus(.suspend, licenceID: id, reason: "under review")
            _ = try await taskForce.changeStatus(.reinstate, licenceID: id, reason: "review closed")
            _ = try await taskForce.unary(
                .path("/noproof.v1.Licences/AmendLicence"),
                request: APIAmendLicenceRequest(licenceID: id, holderName: "新名字", reason: "name changed"),
                as: APILicenceResponse.self)
            _ = try await taskForce.changeStatus(.revoke, licenceID: id, reason: "obtained by fraud")
            let fresh = try Self.newLicences(20)
            let issued = try await taskForce.issue(fresh[0])
            let rows = Array(fresh[1...])
            let imported = try await taskForce.importLicences(rows)
            #expect(imported.inserted == UInt32(rows.count))

            let records = try env.audit.records(after: 0, limit: 10_000).filter { $0.action.rawValue.hasPrefix("Licence.") }
            // Taken here, before the `#expect`s: below them this filter ran the closure above instead
            // (every record kept) in a debug build of Swift 6.3.1, a closure mix-up the String test escaped.
            let issue = records.filter { $0.action == .licenceIssue }
            #expect(records.allSatisfy { $0.unitCode == Self.taskForce && $0.credentialID == "taskforce/supervisor-0001" && $0.staff == "supervisor-0001" })
            let about = records.filter { $0.licenceID == id }.map { "\($0.action) \($0.result)" }
            #expect(
                about == [
                    "Licence.Suspend intended", "Licence.Suspend suspended", "Licence.Reinstate intended", "Licence.Reinstate reinstated",
                    "Licence.Amend intended", "Licence.Amend amended v\(licence.version + 1)", "Licence.Revoke intended",
                    "Licence.Revoke revoked",
                ], "\(about)")
            #expect(records.filter { $0.licenceID == id }.allSatisfy { $0.holderID == licence.holder.key })
            #expect(records.first { $0.action == .licenceAmend }?.proofSerial == "holder_name")
            #expect(records.first { $0.action == .licenceSuspend }?.caseReference == "under review")
            #expect(issue.map(\.result) == [.intended, .issued(status: "\(issued.status)")], "\(issue)")
            #expect(issue.allSatisfy { $0.licenceID == issued.licenceID })
            let imports = records.filter { $0.action == .licenceImport }
            #expect(imports.count == 2)
            #expect(imports.allSatisfy { $0.licenceID == "\(rows.count) rows" && $0.proofSerial == LicenceService.importDigest(rows) })
            #expect(imports.last?.result == .imported(inserted: rows.count, updated: 0, unchanged: 0, rejected: 0))
            // The library's own history names the writer too.
            let writer = "\(Self.taskForce)/taskforce/supervisor-0001/supervisor-0001"
            let changes = try await env.store.statusChanges(of: licence.id)
            #expect(changes.suffix(3).map(\.changedBy) == [writer, writer, writer], "\(changes)")
            #expect(try await env.store.versionWriters(of: licence.id)[licence.version] == writer)
            #expect(
                LicenceService.importDigest(rows).hasPrefix("sha256:")
                    && LicenceService.importDigest(rows) != LicenceService.importDigest(Array(rows.dropLast())))
            #expect(try env.audit.verifyChain().isIntact)
            await taskForce.close()
        }
    }
}
