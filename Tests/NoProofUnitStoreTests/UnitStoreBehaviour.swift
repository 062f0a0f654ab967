import Foundation
import GRDB
import NoProofDomain
import NoProofPostgres
import PostgresNIO
import NoProofTestSupport
import NoProofUnits
import Testing
@testable import NoProofUnitStore

/// What every `UnitStore` must do, written once and run against each backend by
/// `SQLiteUnitStoreTests` and `PostgresUnitStoreBehaviourTests`: the same assertions prove the
/// same behaviour. "Reopening" is a new pool on the same data (on PostgreSQL, a second instance).
enum UnitStoreBehaviour {
    static let t0 = UnitDemoData.effectiveAt
    static let demo = UnitDemoData.self

    static func expectStoreError(_ code: NoProofError.Code? = nil, containing text: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected an error containing \"\(text)\"")
        } catch let error as NoProofError {
            if let code { #expect(error.code == code, "\(error)") }
            #expect(error.description.contains(text), "message: \(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Every stored credential's hash, label and id as the database holds them (to look for a secret).
    static func rawCredentialTexts(_ store: any UnitStoreUnderTest) async throws -> [String] {
        switch store {
        case let store as SQLiteUnitStore:
            return try await store.dbPool.read { db in try String.fetchAll(db, sql: "SELECT secret_hash || label || id FROM credential") }
        case let store as PostgresUnitStore:
            return try await store.database.withConnection { connection in
                var texts: [String] = []
                for try await text in try await connection.query("SELECT secret_hash || label || id FROM credential", logger: store.database.logger)
                    .decode(String.self)
                {
                    texts.append(text)
                }
                return texts
            }
        default:
            Issue.record("unknown store \(type(of: store))")
            return []
        }
    }

    static func unitsAndStaffRoundTripAndSurviveReopening(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            do {
                let store = try await fixture.open()
                for unit in demo.units { try await store.createUnit(unit, staff: demo.staff(of: unit.code), at: t0) }
                try await fixture.closeAll()
            }
            let store = try await fixture.open()
            #expect(try await store.units() == demo.units.sorted { $0.code < $1.code })
            #expect(try await store.unit(code: demo.water.code) == demo.water)
            #expect(try await store.taskForceOffice() == demo.taskForce)
            #expect(try await store.staff(of: demo.water.code, includeInactive: false) == demo.staff(of: demo.water.code).sorted { $0.id < $1.id })
            var renamed = demo.water
            renamed.name = "枣庄水务集团"
            try await store.updateUnit(renamed, at: t0)
            #expect(try await store.unit(code: demo.water.code)?.name == "枣庄水务集团")
            await expectStoreError(.alreadyExists, containing: "already registered") {
                try await store.createUnit(demo.water, staff: demo.staff(of: demo.water.code), at: t0)
            }
            var secondOffice = ServiceUnit(
                code: try UnifiedSocialCreditCode.make(first17: "11370400MB1P26018"), name: "另一个专班", kind: .government, district: "市直", isTaskForceOffice: true)
            await expectStoreError(.alreadyExists, containing: "only one") {
                try await store.createUnit(secondOffice, staff: demo.staff(of: demo.taskForce.code), at: t0)
            }
            secondOffice.isTaskForceOffice = false
            await expectStoreError(.conflict, containing: "exactly one supervisor") {
                try await store.createUnit(secondOffice, staff: [StaffMember(id: "agent-0001", name: "a", role: .agent)], at: t0)
            }
            try await fixture.closeAll()
        }
    }

    static func staffChangesEnforceArticle10Atomically(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            let unit = demo.bank.code
            try await store.createUnit(demo.bank, staff: demo.staff(of: unit), at: t0)  // supervisor + 1 agent
            await expectStoreError(.conflict, containing: "at least one agent") { try await store.deactivateStaff("agent-0001", of: unit, at: t0) }
            await expectStoreError(.conflict, containing: "exactly one supervisor") {
                try await store.addStaff(StaffMember(id: "supervisor-0002", name: "新督办", role: .supervisor), to: unit, at: t0)
            }
            await expectStoreError(.conflict, containing: "none") { try await store.deactivateStaff("supervisor-0001", of: unit, at: t0) }
            try await store.addStaff(StaffMember(id: "agent-0002", name: "新代办", role: .agent), to: unit, at: t0)
            await expectStoreError(.alreadyExists, containing: "already has a staff member") {
                try await store.addStaff(StaffMember(id: "agent-0002", name: "x", role: .agent), to: unit, at: t0)
            }
            try await store.deactivateStaff("agent-0001", of: unit, at: t0)
            #expect(try await store.staff(of: unit, includeInactive: false).map(\.id) == ["agent-0002", "supervisor-0001"])
            // Hand over the supervisor role in one replace.
            try await store.replaceStaff(
                of: unit,
                with: [
                    StaffMember(id: "supervisor-0002", name: "新督办", role: .supervisor),
                    StaffMember(id: "agent-0002", name: "新代办", role: .agent),
                ], at: t0)
            let all = try await store.staff(of: unit, includeInactive: true)
            #expect(all.map(\.id) == ["agent-0001", "agent-0002", "supervisor-0001", "supervisor-0002"])
            #expect(all.filter(\.active).map(\.id) == ["agent-0002", "supervisor-0002"])
            await expectStoreError(.conflict, containing: "leaves 2") {
                try await store.replaceStaff(
                    of: unit,
                    with: [
                        StaffMember(id: "supervisor-0002", name: "a", role: .supervisor),
                        StaffMember(id: "supervisor-0003", name: "b", role: .supervisor),
                        StaffMember(id: "agent-0002", name: "c", role: .agent),
                    ], at: t0)
            }
            #expect(try await store.staff(of: unit, includeInactive: false).map(\.id) == ["agent-0002", "supervisor-0002"])
            await expectStoreError(.notFound, containing: "no staff member") { try await store.deactivateStaff("ghost", of: unit, at: t0) }
            await expectStoreError(.notFound, containing: "not registered") { try await store.deactivateStaff("x", of: demo.water.code, at: t0) }
            try await fixture.closeAll()
        }
    }

    /// Issue 16: the one supervisor rule holds on every path, for an inactive unit too.
    static func noPathGivesAUnitTwoSupervisors(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            var dormant = demo.bank
            dormant.active = false
            let twoSupervisors = [
                StaffMember(id: "supervisor-0001", name: "a", role: .supervisor),
                StaffMember(id: "supervisor-0002", name: "b", role: .supervisor),
                StaffMember(id: "agent-0001", name: "c", role: .agent),
            ]
            await expectStoreError(.conflict, containing: "leaves 2") { try await store.createUnit(dormant, staff: twoSupervisors, at: t0) }
            try await store.createUnit(dormant, staff: [StaffMember(id: "supervisor-0001", name: "a", role: .supervisor)], at: t0)
            await expectStoreError(.conflict, containing: "leaves 2") { try await store.replaceStaff(of: dormant.code, with: twoSupervisors, at: t0) }
            await expectStoreError(.conflict, containing: "leaves 2") {
                try await store.addStaff(StaffMember(id: "supervisor-0002", name: "b", role: .supervisor), to: dormant.code, at: t0)
            }
            // Activating it needs the full rule: an agent first.
            dormant.active = true
            await expectStoreError(.conflict, containing: "at least one agent") { try await store.updateUnit(dormant, at: t0) }
            try await fixture.closeAll()
        }
    }

    /// The working-day calendar is data: a new database has the shipped years, a publication is
    /// the year's next version, in force at once and after reopening.
    static func calendarYearsArePublishedAsVersionsAndPersist(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            var store = try await fixture.open()
            let shipped = try await store.calendarYears()
            #expect(shipped.map(\.data.year) == [2025, 2026, 2027])
            #expect(shipped.map(\.version) == [1, 1, 1] && shipped.allSatisfy { $0.publishedBy == "shipped" })
            #expect(store.calendarBook.calendar.provisionalYears == [2027])
            #expect(!store.machine.calendar.covers(CivilDate(year: 2028, month: 1, day: 3)!))
            let d = { (text: String) in try! CivilDate.parse(text, field: "date") }
            let final2027 = CalendarYear(
                year: 2027, holidays: [d("2027-01-01"), d("2027-02-05"), d("2027-02-08")],
                workingDays: [d("2027-02-20")], source: "test notice")
            let published = try await store.publishCalendarYear(final2027, by: "11370400MB1234567/supervisor-0001", at: t0)
            #expect(published.version == 2)
            #expect(store.calendarBook.calendar.provisionalYears.isEmpty)
            #expect(store.machine.calendar.isWorkingDay(d("2027-02-20")))
            let year2028 = CalendarYear(year: 2028, holidays: [d("2028-01-03")], workingDays: [])
            #expect(try await store.publishCalendarYear(year2028, by: "x/y", at: t0).version == 1)
            await expectStoreError(containing: "weekday") {
                _ = try await store.publishCalendarYear(CalendarYear(year: 2028, holidays: [], workingDays: [d("2028-03-01")]), by: "x/y", at: t0)
            }
            try await fixture.closeAll()
            store = try await fixture.open()
            #expect(try await store.calendarYears().map(\.version) == [1, 1, 2, 1])
            #expect(try await store.calendarHistory(year: 2027).map(\.data.provisional) == [true, false])
            #expect(store.machine.calendar.covers(d("2028-01-04")) && !store.machine.calendar.isWorkingDay(d("2028-01-03")))
            try await fixture.closeAll()
        }
    }

    static func credentialsStoreOnlyHashesAndRevocationPersists(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            var store = try await fixture.open()
            try await store.createUnit(demo.water, staff: demo.staff(of: demo.water.code), at: t0)
            let (credential, secret) = try Credential.issue(
                unitCode: demo.water.code, label: "营业厅", issuedBy: "supervisor-0001",
                issuedAt: t0, expiresAt: t0.addingTimeInterval(86_400 * 30), rounds: 1_000)
            try await store.insertCredential(credential)
            await expectStoreError(.alreadyExists, containing: "already exists") { try await store.insertCredential(credential) }
            let raw = try await rawCredentialTexts(store)
            #expect(!raw.joined().contains(secret))
            try await fixture.closeAll()
            store = try await fixture.open()
            let loaded = try #require(try await store.credential(id: credential.id))
            #expect(loaded == credential)
            #expect(loaded.check(secret: secret, at: t0.addingTimeInterval(10)) == .valid)
            let revoked = try await store.revokeCredential(id: credential.id, by: "supervisor-0001", reason: "设备遗失", at: t0.addingTimeInterval(60))
            #expect(revoked.revokedAt == t0.addingTimeInterval(60))
            await expectStoreError(.conflict, containing: "already revoked") {
                try await store.revokeCredential(id: credential.id, by: "x", reason: "again", at: t0.addingTimeInterval(120))
            }
            await expectStoreError(.notFound, containing: "not found") { try await store.revokeCredential(id: "cred_none", by: "x", reason: "r", at: t0) }
            try await fixture.closeAll()
            store = try await fixture.open()
            let after = try await store.credentials(of: demo.water.code)
            #expect(after.count == 1)
            #expect(after[0].check(secret: secret, at: t0.addingTimeInterval(61)) == .revoked(t0.addingTimeInterval(60)))
            #expect(after[0].revocationReason == "设备遗失")
            try await fixture.closeAll()
        }
    }

    static func listLifeCycleThroughTheStore(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            let machine = ItemListStateMachine(calendar: .prc2026)
            var store = try await fixture.open(machine: machine)
            let unit = demo.water.code
            try await store.createUnit(demo.taskForce, staff: demo.staff(of: demo.taskForce.code), at: t0)
            try await store.createUnit(demo.water, staff: demo.staff(of: unit), at: t0)
            let start = Date(timeIntervalSince1970: 1_772_416_800)  // 2026-03-02 10:00 CST, Monday
            await expectStoreError(.forbidden, containing: "not an active staff member") { _ = try await store.createDraft(unit: unit, by: "ghost", at: start) }
            let draft = try await store.createDraft(unit: unit, by: "agent-0001", at: start)
            #expect(draft.version == 1 && draft.basedOn == nil)
            await expectStoreError(.conflict, containing: "already has version 1 open") {
                _ = try await store.createDraft(unit: unit, by: "agent-0001", at: start)
            }
            _ = try await store.saveDraft(unit: unit, version: 1, items: demo.items(of: unit), changes: [], by: "agent-0001", at: start)
            _ = try await store.submitList(unit: unit, version: 1, by: "agent-0001", at: start)
            await expectStoreError(.forbidden, containing: "not an active staff member") {
                _ = try await store.approveList(unit: unit, version: 1, reviewerStaff: "agent-0003", at: start, effectiveAt: start)
            }
            let rejected = try await store.rejectList(unit: unit, version: 1, reviewerStaff: "supervisor-0001", at: start, reason: "请补充过户事项说明")
            #expect(rejected.status == .rejected)
            await expectStoreError(.conflict, containing: "reopen it") { _ = try await store.submitList(unit: unit, version: 1, by: "agent-0001", at: start) }
            _ = try await store.reopenList(unit: unit, version: 1, by: "agent-0002", at: start)
            _ = try await store.submitList(unit: unit, version: 1, by: "agent-0001", at: start)
            let effective = start.addingTimeInterval(86_400)
            _ = try await store.approveList(unit: unit, version: 1, reviewerStaff: "supervisor-0001", at: start, effectiveAt: effective)
            #expect(try await store.versionInForce(unit: unit, at: effective) == nil)  // approved, not yet published
            #expect(try await store.publishDue(at: start).isEmpty)
            let published = try await store.publishDue(at: effective)
            #expect(published.map(\.version) == [1])
            #expect(try await store.versionInForce(unit: unit, at: effective)?.version == 1)
            #expect(try await store.versionInForce(unit: unit, at: start) == nil)

            // A revision: change JMSFZ of SW-KH-001 to commitment, caused on Thursday 2026-03-05.
            let revision = try await store.createDraft(unit: unit, by: "agent-0001", at: start.addingTimeInterval(86_400 * 3))
            #expect(revision.version == 2 && revision.basedOn == 1 && revision.items == demo.items(of: unit))
            var items = revision.items
            items[0].proofs[2].method = .departmentVerification(issuingUnit: demo.realEstate.code)
            let change = ListChange(
                kind: .change, itemCode: "SW-KH-001", proofCode: "ZLHT", cause: "租赁合同改由不动产中心核验",
                causeDate: try CivilDate.parse("2026-03-05", field: "d"))
            _ = try await store.saveDraft(unit: unit, version: 2, items: items, changes: [change], by: "agent-0001", at: start.addingTimeInterval(86_400 * 3))
            let lateSubmit = start.addingTimeInterval(86_400 * 9)  // Wednesday 11 March: 4th working day
            let submitted = try await store.submitList(unit: unit, version: 2, by: "agent-0001", at: lateSubmit)
            #expect(submitted.changes[0].isLate)
            _ = try await store.approveList(
                unit: unit, version: 2, reviewerStaff: "supervisor-0001", at: lateSubmit, effectiveAt: lateSubmit.addingTimeInterval(3600))
            _ = try await store.publishList(unit: unit, version: 2, actor: "system", at: lateSubmit)
            try await fixture.closeAll()

            store = try await fixture.open(machine: machine)
            let history = try await store.listHistory(unit: unit)
            #expect(history.map(\.version) == [1, 2])
            #expect(history.map(\.status) == [.published, .published])
            #expect(history[0].history.map(\.action) == ["created", "edited", "submitted", "rejected", "reopened", "submitted", "approved", "published"])
            #expect(history[1].changes[0].isLate)
            #expect(try await store.versionInForce(unit: unit, at: lateSubmit)?.version == 1)
            #expect(try await store.versionInForce(unit: unit, at: lateSubmit.addingTimeInterval(3600))?.version == 2)
            #expect(try await store.listsInForce(at: lateSubmit.addingTimeInterval(3600)).map(\.version) == [2])
            #expect(try await store.listVersion(unit: unit, version: 2) == history[1])
            try await fixture.closeAll()
        }
    }

    static func demoSeedIsIdempotentAndDrivesTheAccessPolicy(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            let first = try await UnitDemoSeeding.seed(into: store)
            // The university and the public security bureau (issuing units of department verification) have no list.
            #expect(first.unitsCreated == demo.units.count && first.listsPublished == 6)
            let second = try await UnitDemoSeeding.seed(into: store)
            #expect(second.unitsCreated == 0 && second.listsPublished == 0)
            let now = UnitDemoData.effectiveAt.addingTimeInterval(86_400 * 30)
            #expect(try await store.listsInForce(at: now).count == 6)
            let water = try await store.versionInForce(unit: demo.water.code, at: now)
            #expect(AccessPolicy.decide(unit: demo.water.code, licenceType: "BDCQZS", itemCode: "SW-KH-001", at: now, listInForce: water).isAllowed)
            #expect(
                AccessPolicy.decide(unit: demo.water.code, licenceType: "JHZ", itemCode: "SW-KH-001", at: now, listInForce: water).denial
                    == .typeNotListed(type: "JHZ", item: "SW-KH-001"))
            let civil = try await store.versionInForce(unit: demo.civilAffairs.code, at: now)
            #expect(AccessPolicy.decide(unit: demo.civilAffairs.code, licenceType: "HKB", itemCode: "MZ-HY-001", at: now, listInForce: civil).isAllowed)
            #expect(
                AccessPolicy.decide(unit: demo.civilAffairs.code, licenceType: "XWZS", itemCode: "MZ-HY-001", at: now, listInForce: civil).denial?.code
                    == "method_not_data_sharing")
            // Every obtaining method appears in the demo lists.
            let methods = Set(try await store.listsInForce(at: now).flatMap(\.items).flatMap(\.proofs).map(\.method.token))
            #expect(methods == Set(ObtainingMethod.tokens))
            let issued = try await UnitDemoSeeding.issueCredentials(into: store, now: now, rounds: 1_000)
            #expect(issued.count == demo.units.count)
            let stored = try #require(try await store.credential(id: issued[0].credential.id))
            #expect(stored.check(secret: issued[0].secret, at: now) == .valid)
            try await fixture.closeAll()
        }
    }

    static func denialLogAppendsDurably(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            var store = try await fixture.open()
            let denial = AccessDenial.unknownItem(item: "NOPE")
            let first = try await store.appendDenial(
                DenialRecord(
                    at: t0, unitCode: demo.water.code.value, staffID: "agent-0001", itemCode: "NOPE",
                    caseReference: "CASE-1", typeCode: "JMSFZ", kind: .denial, reason: denial.code, message: denial.message))
            let breach = RateLimitBreach(limit: .perCase(caseReference: "CASE-1"), currentCount: 20, maximum: 20)
            let second = try await store.appendDenial(
                DenialRecord(
                    at: t0.addingTimeInterval(1), unitCode: demo.bank.code.value, staffID: "agent-0001", itemCode: "YH-KH-001",
                    caseReference: "CASE-1", typeCode: "JMSFZ", kind: .breach, reason: breach.code, message: breach.message))
            #expect(second == first + 1)
            try await fixture.closeAll()
            store = try await fixture.open()
            let all = try await store.denials(unit: nil, limit: 10)
            #expect(all.map(\.sequence) == [second, first])
            #expect(all[1].reason == "unknown_item" && all[1].at == t0)
            #expect(try await store.denials(unit: demo.bank.code, limit: 10).map(\.kind) == [.breach])
            try await fixture.closeAll()
        }
    }

    static func bulkLoadFromJSONAndCSVWithAReport(_ backend: UnitStoreBackend) async throws {
        try await UnitStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            try await store.createUnit(demo.water, staff: demo.staff(of: demo.water.code), at: t0)
            try await store.createUnit(demo.hospital, staff: demo.staff(of: demo.hospital.code), at: t0)
            let json = """
                {"lists": [
                  {"unit": "\(demo.water.code)", "items": [
                    {"code": "SW-KH-001", "name": "居民用水新开户", "kind": "immediate", "proofs": [
                      {"proof": "JMSFZ", "method": "data_sharing"},
                      {"proof": "XWZS", "method": "department_verification", "issuing_unit": "12370000495570452X"},
                      {"proof": "WFZJL", "method": "excluded", "exclusion": "high_risk", "exclusion_category": "public_safety", "exclusion_note": "公共安全"}]}]},
                  {"unit": "\(demo.hospital.code)", "items": [
                    {"code": "YY-1", "name": "x", "kind": "immediate", "proofs": [{"proof": "HKB", "method": "applicant_supplies"}]},
                    {"code": "YY-2", "name": "y", "kind": "commitment", "proofs": []}]},
                  {"unit": "12370400493182577", "items": [{"code": "A", "name": "a", "kind": "immediate"}]},
                  {"unit": "\(demo.bank.code)", "items": [{"code": "A", "name": "a", "kind": "immediate"}]}
                ]}
                """
            let file = ItemListBulkFile.parseJSON(Data(json.utf8))
            #expect(file.entries.map(\.unitCode) == [demo.water.code, demo.bank.code])
            let report = try await store.loadLists(file, by: "bulk-load", at: t0)
            #expect(report.loaded.map(\.unitCode) == [demo.water.code.value])
            #expect(report.loaded.first?.itemCount == 1)
            let problems = report.problems.map(\.description)
            #expect(problems.contains { $0.contains("lists[1].items[0]") && $0.contains("may not be asked to supply") })
            #expect(problems.contains { $0.contains("lists[1].items[1]") && $0.contains("promised_days") })
            #expect(problems.contains { $0.contains("lists[2]") && $0.contains("must be 18 characters") })
            #expect(problems.contains { $0.contains("not registered") })
            #expect(try await store.listHistory(unit: demo.hospital.code).isEmpty)
            #expect(try await store.listVersion(unit: demo.water.code, version: 1)?.items.count == 1)

            let csv = """
                unit,item,item_name,item_kind,promised_days,promised_hours,proof,proof_name,method,issuing_unit,exclusion,exclusion_category,exclusion_note
                \(demo.hospital.code),YY-CS-001,出生医学证明首次签发,immediate,,,JMSFZ,,data_sharing,,,,
                \(demo.hospital.code),YY-CS-001,出生医学证明首次签发,immediate,,,JHZ,,data_sharing,,,,
                \(demo.hospital.code),YY-YB-002,"异地就医, 报销",commitment,5,,WDZY,外地住院证明,excluded,,out_of_city,,"外地证明, 无法在线核验"
                \(demo.water.code),SW-9,x,immediate,,,XWZS,,data_sharing,,,,
                """
            let parsed = ItemListBulkFile.parseCSV(csv)
            #expect(parsed.entries.count == 1)
            #expect(parsed.entries.first?.items.map(\.proofs.count) == [2, 1])
            #expect(parsed.entries.first?.items[1].name == "异地就医, 报销")
            #expect(parsed.problems.count == 1 && parsed.problems[0].message.contains("not connected"))
            let csvReport = try await store.loadLists(parsed, by: "bulk-load", at: t0)
            #expect(csvReport.loaded.map(\.unitCode) == [demo.hospital.code.value])
            // Loading again replaces the open draft rather than creating another version.
            let again = try await store.loadLists(parsed, by: "bulk-load", at: t0)
            #expect(again.loaded.first?.version == 1)
            try await fixture.closeAll()
        }
    }
}
