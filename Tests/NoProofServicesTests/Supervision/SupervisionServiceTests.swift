import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofLibrary
import NoProofMessages
import NoProofOversight
import NoProofOversightStore
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
@testable import NoProofLicenceStore
@testable import NoProofDemoData
import NoProofAuditChain

/// Supervision over a real socket: the licence, unit, verification and supervision services on
/// one audit trail, the demo units with their lists, fixed credentials for the task force office,
/// units and the citizen portal, and an injected clock.
@Suite("Supervision service over loopback")
struct SupervisionServiceTests {
    /// A test double of the oversight records: fixed counts per unit, and what it was asked.
    final class FixedOversight: OversightCountsSource {
        let counts: [String: OversightFigures]
        let asked = Mutex<[(CivilDate, CivilDate, String?)]>([])
        init(_ counts: [String: OversightFigures]) { self.counts = counts }
        func oversightCounts(from: CivilDate, through: CivilDate, unitCode: String?) async throws -> [String: OversightFigures] {
            asked.withLock { $0.append((from, through, unitCode)) }
            return unitCode.map { code in counts.filter { $0.key == code } } ?? counts
        }
    }

    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value
    static let civil = UnitDemoData.civilAffairs.code.value
    static let university = UnitDemoData.university.code.value
    static let taskForce = UnitDemoData.taskForce.code.value
    static let demo = DemoDataGenerator(licenceCount: 400)

    struct Environment: Sendable {
        let port: Int
        let clock: TestClock
        let audit: AuditLog
        let units: SQLiteUnitStore
        let verification: VerificationService
        let gate: AccessGate
        let oversightStore: SQLiteOversightStore
        func client(_ id: String) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (id, "secret")))
        }
    }

    static func withEnvironment(
        oversight: (any OversightCountsSource)? = nil, thresholds: SupervisionThresholds = .standard,
        _ body: @Sendable (Environment) async throws -> Void
    ) async throws {
        try await DemoServiceStores.with(prefix: "noproof-supervision") { stores in
            let (directory, clock, quiet, _, library, units, keyring) = (
                stores.directory, stores.clock, stores.quiet, stores.licences, stores.library, stores.units, stores.keyring
            )
            let audit = try AuditLog(directory: directory)
            let oversightStore = try SQLiteOversightStore(directory: directory)
            let gate = AccessGate(store: units, limits: nil, audit: audit, now: { clock.now }, logger: quiet)
            try await gate.refresh()
            let verificationStore = try SQLiteVerificationStore(directory: directory)
            let verification = VerificationService(
                store: verificationStore, units: units, keyring: keyring, audit: audit,
                databaseBacked: { ["XWZS", "WFZJL"].contains($0) }, now: { clock.now }, logger: quiet)
            try await verification.start()
            var registry = RPCRegistry()
            LicenceService(library: library, keyring: keyring, audit: audit, gate: gate, now: { clock.now }).register(in: &registry)
            UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, now: { clock.now }, logger: quiet).register(in: &registry)
            verification.register(in: &registry)
            SupervisionService(
                audit: audit, units: units, oversight: oversight,
                typeNames: Dictionary(uniqueKeysWithValues: library.licenceTypes.map { ($0.code, $0.nameZh) }),
                thresholds: thresholds, exemptions: oversightStore, issuers: Set(library.licenceTypes.map(\.issuerCode.value)),
                now: { clock.now }, logger: quiet
            ).register(in: &registry)
            var fixed = FixedCredentials.make([
                ("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water), ("bank", UnitDemoData.bank),
                ("civil", UnitDemoData.civilAffairs), ("university", UnitDemoData.university), ("estate", UnitDemoData.realEstate),
            ])
            fixed.append(
                .init(
                    id: "portal", secret: "secret",
                    unit: AuthenticatedUnit(
                        unitCode: UnitDemoData.taskForce.code.value, unitName: "市民端", credentialID: "portal", roles: [AuthenticatedUnit.citizenPortalRole])))
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
            try await withRunningServer(server) { port in
                try await body(
                    Environment(
                        port: port, clock: clock, audit: audit, units: units, verification: verification, gate: gate,
                        oversightStore: oversightStore))
            }
            await gate.close()
            audit.close()
            try oversightStore.close()
            try verificationStore.close()
        }
    }

    static func figure(_ row: APIUnitReport?, _ key: String) -> UInt64? {
        row?.figures.first { $0.key == key && $0.recorded }?.value
    }

    /// 2026-11-01 00:00 China Standard Time, in Unix milliseconds.
    static let november1 = Int64(1_793_462_400_000)
    static let day = Int64(86_400_000)

    static func entry(_ unit: String, _ action: AuditAction, _ result: AuditResult, day offset: Int64, counterpart: String = "") -> AuditRecord {
        AuditRecord(
            atMillis: november1 + offset * day + 3_600_000, unitCode: unit, credentialID: "c", staff: "agent-0001", action: action,
            itemCode: "ITEM", caseReference: "CASE", holderID: "370404199306107807", typeCode: "JMSFZ", result: result,
            counterpartUnit: counterpart)
    }

    /// A history written record by record, as the services write them, for November 2026 (and a
    /// few records just outside it); the figures and flags are counted by hand below.
    static let history: [AuditRecord] = [
        // The water company: 4 lookups (2 found, 1 not found, 1 revoked), 1 check that matched,
        // 2 refused by its list, 1 over the limits, 1 invalid; one list submission with one late change.
        entry(water, .lookup, .found, day: 0), entry(water, .lookup, .found, day: 3), entry(water, .lookup, .notFound, day: 3),
        entry(water, .lookup, .revoked, day: 10), entry(water, .checkLicence, .match, day: 11),
        entry(water, .lookup, .denied, day: 12), entry(water, .getLicence, .permissionDenied, day: 12),
        entry(water, .lookup, .rateLimited, day: 13), entry(water, .lookup, .invalidArgument, day: 14),
        entry(water, .listSubmit, .submittedLate, day: 20), entry(water, .listLateChange, .lateChange, day: 20),
        entry(water, .lookup, .found, day: -1), entry(water, .lookup, .found, day: 30),  // 31 October and 1 December: outside
        // Civil affairs files 3 requests to the university, re-files 1, and is refused once.
        entry(civil, .verificationFile, .filed, day: 1, counterpart: university),
        entry(civil, .verificationFile, .filed, day: 2, counterpart: university),
        entry(civil, .verificationFile, .filed, day: 5, counterpart: university),
        entry(civil, .verificationRefile, .filed, day: 6, counterpart: university),
        entry(civil, .verificationFile, .denied, day: 7),
        // The university: answers 1 in time, 1 late, returns 1, lets 2 go overdue, 1 of them to a second breach.
        entry(university, .verificationTake, .taken, day: 1, counterpart: civil),
        entry(university, .verificationAnswer, .verified, day: 1, counterpart: civil),
        entry(university, .verificationEscalate, .escalated, day: 2, counterpart: civil),
        entry(university, .verificationAnswer, .notOnRecord.late, day: 2, counterpart: civil),
        entry(university, .verificationEscalate, .escalated, day: 5, counterpart: civil),
        entry(university, .verificationSecondBreach, .secondBreach, day: 5, counterpart: civil),
        entry(university, .verificationReturn, .returned, day: 6, counterpart: civil),
    ]

    @Test func theReportCountsASeededHistoryAndRaisesItsFlags() async throws {
        try await Self.withEnvironment { env in
            _ = try env.audit.appendBatch(Self.history)
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let report = try await taskForce.supervisionReport(from: "2026-11-01", to: "2026-11-30")
            #expect(report.fromDate == "2026-11-01" && report.toDate == "2026-11-30")
            #expect(report.units.map(\.unitCode) == UnitDemoData.units.map(\.code.value).sorted())
            let water = report.units.first { $0.unitCode == Self.water }
            #expect(water?.unitName == UnitDemoData.water.name)
            let expectedWater: [String: UInt64] = [
                "lookups": 9, "lookups_found": 3, "lookups_not_found": 1, "lookups_not_in_force": 1, "lookups_denied": 2,
                "lookups_rate_limited": 1, "lookups_other": 1, "denied_calls": 2, "rate_limited_calls": 1,
                "list_submissions": 1, "list_changes_late": 1, "verification_sent": 0, "verification_received": 0,
            ]
            for (key, value) in expectedWater { #expect(Self.figure(water, key) == value, "water \(key)") }
            // Two refused calls are below the denied_calls threshold (5): a typo is not a violation.
            #expect(Set(water?.flags.map(\.code) ?? []) == ["late_list_change", "rate_limited"])
            let civil = report.units.first { $0.unitCode == Self.civil }
            #expect(Self.figure(civil, "verification_sent") == 4)
            #expect(Self.figure(civil, "denied_calls") == 1)
            #expect(Self.figure(civil, "verification_received") == 0)
            #expect(civil?.flags.map(\.code) == [])
            let university = report.units.first { $0.unitCode == Self.university }
            let expectedUniversity: [String: UInt64] = [
                "verification_received": 4, "verification_answered_in_time": 1, "verification_answered_late": 1,
                "verification_returned": 1, "verification_overdue": 2, "verification_second_breaches": 1, "verification_sent": 0,
                "lookups": 0, "denied_calls": 0,
            ]
            for (key, value) in expectedUniversity { #expect(Self.figure(university, key) == value, "university \(key)") }
            #expect(university?.flags.map(\.code) == ["repeated_overdue", "second_breach"])
            #expect(university?.flags.first?.detail == "verification_overdue = 2")
            // Without an oversight source those figures are "not recorded", never zero, and raise no flag.
            let ledger = water?.figures.first { $0.key == "ledger_entries_no_proof_items" }
            #expect(ledger?.recorded == false)
            #expect(report.rules.contains { $0.hasPrefix("repeated_overdue: ") && $0.contains(">= 2") })
            // A bank with items in force and nothing in the period has a row of zeros and one flag: it
            // does not use the system (Art. 16 (7)).
            let bank = report.units.first { $0.unitCode == Self.bank }
            #expect(Self.figure(bank, "lookups") == 0 && bank?.flags.map(\.code) == ["system_not_used"])
            // The task force office compiles no list and is never flagged for it.
            #expect(report.units.first { $0.unitCode == Self.taskForce }?.flags.isEmpty == true)
            // One day: 4 November holds two of the water company's lookups.
            let oneDay = try await taskForce.supervisionReport(from: "2026-11-04", to: "2026-11-04", unitCode: Self.water)
            #expect(oneDay.units.count == 1 && Self.figure(oneDay.units.first, "lookups") == 2)
            await taskForce.close()
        }
    }

    @Test func oversightFiguresComeFromTheSourceAndRaiseTheirFlags() async throws {
        let source = FixedOversight([
            Self.water: OversightFigures(
                commitmentsRecorded: 5, checksConfirmed: 3, checksFoundFalse: 1, ledgerEntries: 4,
                ledgerEntriesForNoProofItems: 2, complaintsByBreachType: ["fake_requirement": 2, "refused_lookup": 1])
        ])
        try await Self.withEnvironment(oversight: source) { env in
            let water = try await env.client("water")
            let report = try await water.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.water)
            let row = try #require(report.units.first)
            #expect(Self.figure(row, "commitments_recorded") == 5 && Self.figure(row, "commitment_checks_false") == 1)
            #expect(Self.figure(row, "ledger_entries") == 4 && Self.figure(row, "ledger_entries_no_proof_items") == 2)
            #expect(Self.figure(row, "complaints") == 3 && Self.figure(row, "complaints.fake_requirement") == 2)
            #expect(Self.figure(row, "mismatches_opened") == 0)
            // Honest ledger entries raise nothing; the water company made no lookup in November, so it
            // is also flagged for not using the system.
            #expect(Set(row.flags.map(\.code)) == ["commitments_found_false", "system_not_used"])
            let asked = source.asked.withLock { $0 }
            #expect(asked.count == 1)
            #expect(asked.first.map { "\($0.0) \($0.1) \($0.2 ?? "all")" } == "2026-11-01 2026-11-30 \(Self.water)")
            await water.close()
        }
    }

    @Test func aUnitReadsOnlyItsOwnReportAndThePortalOnlyWhoLooked() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water")
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let portal = try await env.client("portal")
            #expect(await failureCode { _ = try await water.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.water) } == nil)
            #expect(await failureCode { _ = try await water.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.bank) } == .permissionDenied)
            #expect(await failureCode { _ = try await water.supervisionReport(from: "2026-11-01", to: "2026-11-30") } == .permissionDenied)
            #expect(await failureCode { _ = try await taskForce.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.bank) } == nil)
            #expect(await failureCode { _ = try await taskForce.supervisionReport(from: "2026-11-30", to: "2026-11-01") } == .invalidArgument)
            #expect(await failureCode { _ = try await taskForce.supervisionReport(from: "2026-13-01", to: "2026-11-01") } == .invalidArgument)
            #expect(
                await failureCode { _ = try await portal.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.taskForce) }
                    == .permissionDenied)
            // Units and the task force office are refused who-looked; the portal cannot act as a unit.
            let holder = Self.demo.holder(at: 0).holder.key
            #expect(await failureCode { _ = try await water.whoLooked(holderID: holder) } == .permissionDenied)
            #expect(await failureCode { _ = try await taskForce.whoLooked(holderID: holder) } == .permissionDenied)
            #expect(await failureCode { _ = try await portal.whoLooked(holderID: holder) } == nil)
            #expect(await failureCode { _ = try await portal.whoLooked(holderID: "370404199306107808") } == .invalidArgument)
            #expect(await failureCode { _ = try await portal.whoLooked(holderID: holder, pageToken: "x") } == .invalidArgument)
            #expect(
                await failureCode {
                    _ = try await portal.lookup(holderID: holder, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "ZB-TS-001", caseReference: "C"))
                } == .permissionDenied)
            #expect(await failureCode { _ = try await portal.denials() } == .permissionDenied)
            for client in [water, taskForce, portal] { await client.close() }
        }
    }

    @Test func whoLookedListsEveryUnitThatObtainedTheHoldersDataInPages() async throws {
        try await Self.withEnvironment { env in
            // A holder with a valid resident ID card in the library.
            let licence = try #require(
                Self.demo.makeLicences().first {
                    $0.typeCode == "JMSFZ" && $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid
                })
            let water = try await env.client("water")
            let bank = try await env.client("bank")
            let civil = try await env.client("civil")
            let portal = try await env.client("portal")
            let key = licence.holder.key
            _ = try await water.lookup(
                holderID: key, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "W-1"), metadata: ["staff": "agent-0001"])
            env.clock.advance(by: 1)
            #expect(
                await failureCode {  // refused: the water company's list does not obtain the marriage certificate
                    _ = try await water.lookup(
                        holderID: key, typeCode: "JHZ", purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "W-1"), metadata: ["staff": "agent-0001"])
                } == .permissionDenied)
            env.clock.advance(by: 1)
            _ = try? await bank.lookup(
                holderID: key, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "YH-KH-001", caseReference: "B-1"), metadata: ["staff": "agent-0001"])
            env.clock.advance(by: 1)
            _ = try await civil.fileVerification(
                APIFileVerificationRequest(
                    requestKey: "k-1", issuingUnitCode: Self.university, proofType: "XWZS", holderID: key, holderName: licence.holderName,
                    declared: [], purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-1")), staff: "agent-0001")
            // Another holder's lookup is not listed.
            let other = try #require(
                Self.demo.makeLicences().first {
                    $0.typeCode == "JMSFZ" && $0.holder != licence.holder && $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid
                })
            _ = try await water.lookup(
                holderID: other.holder.key, typeCode: "JMSFZ",
                purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "W-2"), metadata: ["staff": "agent-0001"])
            let all = try await portal.whoLooked(holderID: key)
            #expect(all.holderID == key && all.nextPageToken.isEmpty)
            #expect(all.entries.map(\.action) == [AuditAction.verificationFile, .lookup, .lookup, .lookup].map(\.rawValue))
            #expect(all.entries.map(\.unitCode) == [Self.civil, Self.bank, Self.water, Self.water])
            #expect(all.entries.map(\.result) == [AuditResult.filed, .found, .denied, .found].map(\.rawValue))
            let first = try #require(all.entries.last)
            #expect(first.unitName == UnitDemoData.water.name && first.itemCode == "SW-KH-001" && first.itemName == "居民用水新开户")
            #expect(first.typeCode == "JMSFZ" && first.typeName == "居民身份证")
            #expect(first.atMillis == Int64((UnitDemoData.effectiveAt.addingTimeInterval(86_400).timeIntervalSince1970 * 1000).rounded(.down)))
            #expect(all.entries[2].typeCode == "JHZ" && all.entries[2].typeName == "结婚证")
            #expect(all.entries.first?.typeName == "学位证书")
            // Two at a time: the pages together are the whole list, in the same order.
            var token = ""
            var paged: [APIWhoLookedEntry] = []
            repeat {
                let page = try await portal.whoLooked(holderID: key, limit: 2, pageToken: token)
                #expect(page.entries.count <= 2)
                paged += page.entries
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(paged == all.entries)
            // The portal's reads are audited too (and not listed as someone obtaining the data).
            let reads = try env.audit.records(aboutHolder: key, actions: [.supervisionWhoLooked], limit: 100)
            #expect(reads.count == 3 && reads.allSatisfy { $0.credentialID == "portal" })
            // The same calls are in the water company's figures for the day.
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let report = try await taskForce.supervisionReport(from: "2026-01-06", to: "2026-01-06", unitCode: Self.water)
            #expect(Self.figure(report.units.first, "lookups") == 3)
            #expect(Self.figure(report.units.first, "lookups_found") == 2 && Self.figure(report.units.first, "lookups_denied") == 1)
            let universityReport = try await taskForce.supervisionReport(from: "2026-01-06", to: "2026-01-06", unitCode: Self.university)
            #expect(Self.figure(universityReport.units.first, "verification_received") == 1)
            for client in [water, bank, civil, portal, taskForce] { await client.close() }
        }
    }

    /// Every administrative change is in the audit trail: a list's life cycle (with its late
    /// change), credentials issued and revoked, a refused verification request; overdue
    /// requests are escalated and counted.
    @Test func listCredentialAndVerificationEventsAreAudited() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water")
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let civil = try await env.client("civil")
            let university = try await env.client("university/supervisor-0001")
            // A list change whose cause is weeks old: reported late.
            let draft = try await water.createDraft(unitCode: Self.water, staff: "agent-0001")
            let items =
                UnitDemoData.items(of: UnitDemoData.water.code).map(APIListItem.init)
                + [APIListItem(code: "SW-XH-003", name: "居民用水销户", kind: "immediate", proofs: [APIItemProof(proof: "JMSFZ", method: "data_sharing")])]
            _ = try await water.saveDraft(
                unitCode: Self.water, version: draft.version, items: items,
                changes: [APIDeclaredChange(kind: "add", item: "SW-XH-003", cause: "通知", causeDate: "2025-12-01")],
                staff: "agent-0001")
            _ = try await water.submitList(unitCode: Self.water, version: draft.version, staff: "agent-0001")
            _ = try await taskForce.approveList(unitCode: Self.water, version: draft.version, effectiveAtMillis: 0, staff: "supervisor-0001")
            _ = try await water.publishList(unitCode: Self.water, version: draft.version, staff: "agent-0001")
            let issued = try await taskForce.issueCredential(unitCode: Self.bank, label: "t", expiresInDays: 30, staff: "supervisor-0001")
            let credentialID = try #require(issued.credential?.credentialID)
            _ = try await taskForce.revokeCredential(id: credentialID, reason: "test", staff: "supervisor-0001")
            // A verification request for a proof the item does not list: refused and audited.
            #expect(
                await failureCode {
                    _ = try await civil.fileVerification(
                        APIFileVerificationRequest(
                            requestKey: "k-2", issuingUnitCode: Self.university, proofType: "WFZJL", holderID: "370404199306107807",
                            holderName: "张三", declared: [], purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-2")), staff: "agent-0001")
                } == .permissionDenied)
            // One that goes overdue: escalated by the scheduler when the clock passes its deadline.
            let filed = try #require(
                try await civil.fileVerification(
                    APIFileVerificationRequest(
                        requestKey: "k-3", issuingUnitCode: Self.university, proofType: "XWZS", holderID: "370404199306107807",
                        holderName: "张三", declared: [], purpose: APIPurpose(itemCode: "MZ-HY-001", caseReference: "HY-3")), staff: "agent-0001"
                ).request)
            env.clock.advance(by: 31 * 60)
            await env.verification.scheduler.fireDue()
            env.clock.advance(by: 31 * 60)
            await env.verification.scheduler.fireDue()
            _ = try await university.takeVerification(id: filed.requestID, staff: "supervisor-0001")
            _ = try await university.returnVerification(
                id: filed.requestID, reason: "not ours", suggestedUnit: Self.civil,
                staff: "supervisor-0001")
            // Staff and unit changes; a bank list approved for later, published by the server when its time comes.
            let bankStaff = UnitDemoData.staff(of: UnitDemoData.bank.code).map {
                APIStaffEntry(staffID: $0.id, name: $0.name, role: $0.role.rawValue, active: true)
            }
            _ = try await taskForce.setStaff(of: Self.bank, to: bankStaff, actingStaff: "supervisor-0001")
            var renamed = APIUnitInfo(UnitDemoData.hospital)
            renamed.name = "枣庄市立医院（本部）"
            _ = try await taskForce.updateUnit(renamed, actingStaff: "supervisor-0001")
            let bank = try await env.client("bank")
            let bankDraft = try await bank.createDraft(unitCode: Self.bank, staff: "agent-0001")
            _ = try await bank.saveDraft(
                unitCode: Self.bank, version: bankDraft.version,
                items: UnitDemoData.items(of: UnitDemoData.bank.code).map(APIListItem.init)
                    + [
                        APIListItem(
                            code: "YH-XH-003", name: "个人结算账户销户", kind: "immediate",
                            proofs: [APIItemProof(proof: "JMSFZ", method: "data_sharing")])
                    ],
                changes: [APIDeclaredChange(kind: "add", item: "YH-XH-003", cause: "通知", causeDate: "2026-01-06")],
                staff: "agent-0001")
            _ = try await bank.submitList(unitCode: Self.bank, version: bankDraft.version, staff: "agent-0001")
            let later = Int64((env.clock.now.addingTimeInterval(3600).timeIntervalSince1970 * 1000).rounded(.down))
            _ = try await taskForce.approveList(unitCode: Self.bank, version: bankDraft.version, effectiveAtMillis: later, staff: "supervisor-0001")
            env.clock.advance(by: 3601)
            try await env.gate.refresh()
            await bank.close()
            let records = try env.audit.records(after: 0, limit: 1000)
            let automatic = try #require(records.first { $0.action == .listPublish && $0.staff == "system" })
            #expect(automatic.unitCode == Self.bank && automatic.result == .published && automatic.caseReference == "LIST \(Self.bank) v2")
            #expect(records.contains { $0.action == .staffSet && $0.result == .replaced && $0.caseReference == Self.bank })
            #expect(records.contains { $0.action == .unitUpdate && $0.result == .updated && $0.caseReference == UnitDemoData.hospital.code.value })
            let actions = records.map { "\($0.action) \($0.result)" }
            for expected in [
                "List.Draft draft", "List.Save draft", "List.Submit submitted_late", "List.LateChange late",
                "List.Approve approved", "List.Publish published", "Credential.Issue issued", "Credential.Revoke revoked",
                "Verification.File denied", "Verification.File filed", "Verification.Escalate escalated",
                "Verification.SecondBreach second_breach", "Verification.Take taken", "Verification.Return returned late",
            ] {
                #expect(actions.contains(expected), "\(expected) missing from \(actions)")
            }
            let late = try #require(records.first { $0.action == .listLateChange })
            #expect(late.unitCode == Self.water && late.itemCode == "SW-XH-003" && late.caseReference == "LIST \(Self.water) v2")
            let approval = try #require(records.first { $0.action == .listApprove })
            #expect(approval.unitCode == Self.taskForce && approval.staff == "supervisor-0001")
            let revoke = try #require(records.first { $0.action == .credentialRevoke })
            #expect(revoke.caseReference == credentialID && revoke.unitCode == Self.taskForce)
            #expect(try env.audit.verifyChain().isIntact)
            // And counted: the report of the day.
            let report = try await taskForce.supervisionReport(from: "2026-01-06", to: "2026-01-06")
            let waterRow = report.units.first { $0.unitCode == Self.water }
            #expect(Self.figure(waterRow, "list_changes_late") == 1 && Self.figure(waterRow, "list_submissions") == 1)
            #expect(waterRow?.flags.map(\.code) == ["late_list_change"])
            let universityRow = report.units.first { $0.unitCode == Self.university }
            #expect(Self.figure(universityRow, "verification_overdue") == 1 && Self.figure(universityRow, "verification_second_breaches") == 1)
            #expect(Self.figure(universityRow, "verification_returned") == 1 && Self.figure(universityRow, "verification_received") == 1)
            // The return came after its 30 minutes: counted, and flagged.
            #expect(Self.figure(universityRow, "verification_returned_late") == 1)
            #expect(universityRow?.flags.map(\.code).contains("late_returns") == true)
            let civilRow = report.units.first { $0.unitCode == Self.civil }
            #expect(Self.figure(civilRow, "verification_sent") == 1 && Self.figure(civilRow, "denied_calls") == 1)
            for client in [water, taskForce, civil, university] { await client.close() }
        }
    }

    /// Publishing a calendar year is an authority act of the task force office: audited with the
    /// signed-in staff member, intent before the change, outcome with the version.
    @Test func publishingACalendarYearIsAudited() async throws {
        try await Self.withEnvironment { env in
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let year = APICalendarYearInfo(year: 2028, holidays: ["2028-01-03"], workingDays: [], provisional: true, source: "test")
            #expect(try await taskForce.publishCalendarYear(year, actingStaff: nil).version == 1)
            let records = try env.audit.records(after: 0, limit: 1000).filter { $0.action == .calendarPublish }
            #expect(records.map(\.result) == [.intended, .calendar(version: 1, provisional: true)])
            #expect(records.allSatisfy { $0.unitCode == Self.taskForce && $0.staff == "supervisor-0001" && $0.caseReference == "CALENDAR 2028" })
            #expect(try env.audit.verifyChain().isIntact)
            await taskForce.close()
        }
    }

    /// Issue 16: submit -> reject -> reopen -> submit recorded one late change twice, so the
    /// report counted it twice. It is recorded (and counted) once, by the first submission.
    @Test func aLateChangeResubmittedAfterARejectionIsCountedOnce() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client("water")
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let draft = try await water.createDraft(unitCode: Self.water, staff: "agent-0001")
            let items =
                UnitDemoData.items(of: UnitDemoData.water.code).map(APIListItem.init)
                + [APIListItem(code: "SW-XH-003", name: "居民用水销户", kind: "immediate", proofs: [APIItemProof(proof: "JMSFZ", method: "data_sharing")])]
            let change = APIDeclaredChange(kind: "add", item: "SW-XH-003", cause: "通知", causeDate: "2025-12-01")
            _ = try await water.saveDraft(unitCode: Self.water, version: draft.version, items: items, changes: [change], staff: "agent-0001")
            let first = try await water.submitList(unitCode: Self.water, version: draft.version, staff: "agent-0001")
            #expect(first.changes.first?.late == true)
            _ = try await taskForce.rejectList(unitCode: Self.water, version: draft.version, reason: "请补充依据", staff: "supervisor-0001")
            _ = try await water.reopenList(unitCode: Self.water, version: draft.version, staff: "agent-0001")
            var reworded = change
            reworded.cause = "通知（补充依据）"
            _ = try await water.saveDraft(unitCode: Self.water, version: draft.version, items: items, changes: [reworded], staff: "agent-0001")
            let second = try await water.submitList(unitCode: Self.water, version: draft.version, staff: "agent-0001")
            #expect(second.changes.first?.late == true, "still reported late: it was")
            #expect(second.changes.first?.reportedOn == first.changes.first?.reportedOn)
            let records = try env.audit.records(after: 0, limit: 1000)
            #expect(records.filter { $0.action == .listLateChange && $0.result == .lateChange }.count == 1)
            #expect(records.filter { $0.action == .listSubmit && $0.result == .submittedLate }.count == 2)
            let report = try await taskForce.supervisionReport(from: "2026-01-06", to: "2026-01-06")
            let waterRow = report.units.first { $0.unitCode == Self.water }
            #expect(Self.figure(waterRow, "list_changes_late") == 1)
            for client in [water, taskForce] { await client.close() }
        }
    }

    /// The task force office issues the citizen portal a credential of its own kind: it reads
    /// who-looked, is refused everything a unit does, and stops working once revoked.
    @Test func anIssuedCitizenPortalCredentialOnlyReadsWhoLookedUntilRevoked() async throws {
        try await Self.withEnvironment { env in
            let taskForce = try await env.client("taskforce/supervisor-0001")
            #expect(
                await failureCode {
                    _ = try await taskForce.issueCredential(unitCode: Self.taskForce, kind: "citizen", staff: "supervisor-0001")
                } == .invalidArgument)
            let issued = try await taskForce.issueCredential(
                unitCode: Self.taskForce, label: "市民端", expiresInDays: 30,
                kind: "citizen-portal", staff: "supervisor-0001")
            let info = try #require(issued.credential)
            #expect(info.kind == "citizen-portal")
            #expect(try await taskForce.credentials(of: Self.taskForce).first { $0.credentialID == info.credentialID }?.kind == "citizen-portal")
            let portal = try await NoProofClient.connect(.init(port: env.port, credential: (info.credentialID, issued.secret)))
            let holder = Self.demo.holder(at: 0).holder.key
            #expect(await failureCode { _ = try await portal.whoLooked(holderID: holder) } == nil)
            #expect(
                await failureCode {
                    _ = try await portal.lookup(holderID: holder, typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "ZB-TS-001", caseReference: "C"))
                } == .permissionDenied)
            #expect(await failureCode { _ = try await portal.credentials(of: "") } == .permissionDenied)
            #expect(await failureCode { _ = try await portal.supervisionReport(from: "2026-01-01", to: "2026-01-31") } == .permissionDenied)
            await portal.close()
            _ = try await taskForce.revokeCredential(id: info.credentialID, reason: "app retired", staff: "supervisor-0001")
            #expect(
                await failureCode {
                    let again = try await NoProofClient.connect(.init(port: env.port, credential: (info.credentialID, issued.secret)))
                    await again.close()
                } == .unauthenticated)
            let records = try env.audit.records(after: 0, limit: 1000)
            #expect(records.contains { $0.action == .credentialIssue && $0.result == .issued(kind: "citizen-portal") && $0.caseReference == info.credentialID })
            await taskForce.close()
        }
    }

    /// Seal keys: created at the first start, in use at the next; a replaced key file refuses the start; an
    /// operator's rotation is audited and keeps the old public key published.
    @Test func sealKeyEventsAreAudited() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-sealaudit")
        defer { temporary.remove() }
        let directory = temporary.url
        let seals = directory.appendingPathComponent("seals")
        let audit = try AuditLog(directory: directory)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        func start() async throws -> [AuditRecord] {
            let existing = Set(
                SealKind.allCases.filter {
                    FileManager.default.fileExists(atPath: seals.appendingPathComponent("\($0.rawValue).key.json").path)
                })
            let keyring = try SealKeyring.openOrCreate(directory: seals)
            let before = try audit.count()
            try await SealKeyAudit.record(keyring, existing: existing, audit: audit, logger: quiet)
            return try audit.records(after: Int64(before), limit: 100)
        }
        let first = try await start()
        #expect(first.map(\.action) == Array(repeating: .sealKeyCreate, count: SealKind.allCases.count))
        let second = try await start()
        #expect(second.map(\.action) == Array(repeating: .sealKeyInUse, count: SealKind.allCases.count))
        #expect(second.map(\.licenceID) == first.map(\.licenceID))
        let kind = SealKind.allCases[0]
        // A key file replaced outside noproofd (deleted, a new one minted): the start is refused.
        let keyFile = seals.appendingPathComponent("\(kind.rawValue).key.json")
        let saved = try Data(contentsOf: keyFile)
        try FileManager.default.removeItem(at: keyFile)
        _ = try SealKeyring.openOrCreate(directory: seals)
        await #expect(throws: SealKeyReplaced.self) { _ = try await start() }
        try FileManager.default.removeItem(at: keyFile)
        try saved.write(to: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        // The operator's rotation: audited, and the old public key stays published.
        let rotation = try await SealKeyAudit.rotate(kind, reason: "scheduled rotation", sealDirectory: seals, audit: audit, logger: quiet)
        #expect(rotation.old.id == first[0].licenceID && rotation.new.id != rotation.old.id)
        let rotated = try #require(try audit.latestRecord(actions: [.sealKeyRotate], typeCode: kind.rawValue))
        #expect(rotated.proofSerial == rotation.old.id && rotated.licenceID == rotation.new.id && rotated.caseReference == "scheduled rotation")
        let third = try await start()
        #expect(third.first { $0.typeCode == kind.rawValue }?.action == .sealKeyInUse)
        let keyring = try SealKeyring.openOrCreate(directory: seals)
        let published = keyring.publicKeys.filter { $0.kind == kind }
        #expect(Set(published.map(\.id)) == [rotation.old.id, rotation.new.id])
        #expect(published.first { $0.id == rotation.old.id }?.validToMillis ?? 0 > 0)
        #expect(keyring.currentKeys.first { $0.kind == kind }?.id == rotation.new.id)
        // A rotation stopped after its intent was recorded, before the key was replaced (a crash):
        // the next start records it as not completed and goes on with the key in place.
        let stopped = try SealKeyring.prepareRotation(directory: seals, kind: kind)
        _ = try audit.appendBatch([
            AuditRecord(
                atMillis: 1, unitCode: "", credentialID: "", staff: "operator", action: .sealKeyRotate,
                itemCode: "", caseReference: "crash test", holderID: "", typeCode: kind.rawValue,
                licenceID: stopped.new.id, result: .intended, proofSerial: stopped.old.id)
        ])
        let fourth = try await start()
        #expect(
            fourth.first { $0.typeCode == kind.rawValue }.map { ($0.action, $0.result) } ?? (AuditAction(rawValue: ""), AuditResult.unset) == (
                AuditAction.sealKeyRotate, AuditResult.notCompleted
            ))
        #expect(try await start().first { $0.typeCode == kind.rawValue }?.action == .sealKeyInUse)
        #expect(try audit.verifyChain().isIntact)
        audit.close()
    }
}
