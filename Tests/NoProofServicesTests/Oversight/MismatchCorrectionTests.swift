import Foundation
import GRDB
import Logging
import NoProofClient
import NoProofCodec
import NoProofDomain
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
import Testing
@testable import NoProofServices
@testable import NoProofAudit
@testable import NoProofLicenceStore
@testable import NoProofDemoData
import NoProofAuditChain

/// A mismatch resolved as record corrected propagates (issue 16), over the in-process
/// transport: the licence library, the oversight service with the library and keyring, the demo
/// units and staff.
@Suite("Mismatch corrections in process")
struct MismatchCorrectionTests {
    static let civil = UnitDemoData.civilAffairs.code.value
    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value
    static let police = UnitDemoData.publicSecurity.code.value

    struct Environment: Sendable {
        let transport: InProcessTransport
        let directory: URL
        let audit: AuditLog
        let store: SQLiteOversightStore
        let library: LicenceLibrary
        let oversight: OversightService

        func client(_ id: String) async throws -> NoProofClient {
            try await transport.connect(.init(credential: (id, "secret")))
        }

        /// Runs `body` while another connection holds audit.sqlite's write lock (`BEGIN IMMEDIATE`).
        func withTrailLocked<T: Sendable>(_ body: () async throws -> T) async throws -> T {
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let holder = try DatabaseQueue(path: directory.appendingPathComponent("audit.sqlite").path, configuration: configuration)
            try await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            do {
                let result = try await body()
                try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
                return result
            } catch {
                try? await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        try await DemoServiceStores.with(prefix: "noproof-correction") { stores in
            let (directory, clock, quiet, _, library, units, keyring) = (
                stores.directory, stores.clock, stores.quiet, stores.licences, stores.library, stores.units, stores.keyring
            )
            let audit = try AuditLog(directory: directory, busyTimeout: 1)
            let store = try SQLiteOversightStore(directory: directory)
            var registry = RPCRegistry()
            LicenceService(library: library, keyring: keyring, audit: audit, gate: EveryUnitAllowed(), now: { clock.now }, logger: quiet).register(
                in: &registry)
            let oversight = OversightService(store: store, units: units, audit: audit, library: library, keyring: keyring, now: { clock.now }, logger: quiet)
            oversight.register(in: &registry)
            let fixed = FixedCredentials.make([
                ("civil", UnitDemoData.civilAffairs), ("water", UnitDemoData.water), ("bank", UnitDemoData.bank),
                ("police", UnitDemoData.publicSecurity), ("taskforce", UnitDemoData.taskForce),
            ])
            var configuration = ServerConfiguration()
            configuration.shutdownGracePeriod = .milliseconds(300)
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed, now: { clock.now }), logger: quiet)
            try await withInProcessServer(server) { transport in
                try await body(Environment(transport: transport, directory: directory, audit: audit, store: store, library: library, oversight: oversight))
            }
            audit.close()
            try store.close()
        }
    }

    /// A person's household register (HKB, issued by the public security bureau) valid on the reference day.
    static func householdRegister() throws -> Licence {
        let valid = DemoDataGenerator(licenceCount: 400).makeLicences().filter {
            $0.typeCode == "HKB" && $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid
        }
        return try #require(valid.first)
    }

    /// Civil affairs and water fetch the licence (a lookup, a GetLicence); civil affairs opens the case; the bank never fetched it.
    static func openCase(_ env: Environment, licence: Licence) async throws -> (APIMismatchRecord, fetched: String) {
        let civil = try await env.client("civil")
        let water = try await env.client("water")
        let proof = try await civil.lookup(
            holderID: licence.holder.key, typeCode: "HKB", purpose: APIPurpose(itemCode: "MZ-DB-001", caseReference: "DB-77"),
            metadata: ["staff": "agent-0001"])
        let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
        let fetched = try #require(body.licence)
        _ = try await water.licence(
            id: fetched.licenceID, holderID: licence.holder.key, purpose: APIPurpose(itemCode: "SW-GH-002", caseReference: "GH-5"),
            metadata: ["staff": "agent-0001"])
        let address = fetched.fields.first { $0.key == "address" }?.value ?? ""
        let opened = try #require(
            try await civil.openMismatch(
                APIOpenMismatchRequest(
                    issuingUnitCode: Self.police, holderID: licence.holder.key, itemCode: "MZ-DB-001", caseReference: "DB-77", proofType: "HKB",
                    proofSerial: body.proofSerial, facts: [APIMismatchFact(key: "address", declared: "山东省枣庄市市中区光明路1号", fetched: address)]),
                staff: "agent-0001"
            ).mismatch)
        return (opened, fetched.licenceID)
    }

    @Test("record corrected: the licence is amended, the corrected proof verifies, the units that fetched the old version are told, others are not")
    func correctionPropagates() async throws {
        try await Self.withEnvironment { env in
            let licence = try Self.householdRegister()
            let (opened, licenceID) = try await Self.openCase(env, licence: licence)
            let before = try await env.library.licence(id: licenceID)
            let reverify = APIReverifyMismatchRequest(
                mismatchID: opened.mismatchID, finding: "record_corrected", note: "户籍档案核实，住址登记有误，已更正",
                corrected: [APILicenceField(key: "address", value: "山东省枣庄市市中区光明路1号")])
            // A system credential's staff name is no authority to change the library; another unit may not re-verify at all.
            let police = try await env.client("police")
            #expect(
                await failure { _ = try await police.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self, staff: "agent-0001") }?.code
                    == .permissionDenied)
            let water = try await env.client("water/agent-0001")
            #expect(
                await failure { _ = try await water.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self) }?.code == .permissionDenied)
            // A corrected key that is not one of the case's facts is refused before anything is written.
            let signedIn = try await env.client("police/agent-0001")
            var unknownKey = reverify
            unknownKey.corrected = [APILicenceField(key: "householder_name", value: "x")]
            #expect(
                await failure { _ = try await signedIn.oversight(OversightMethods.reverify, unknownKey, as: APIMismatchResponse.self) }?.code
                    == .invalidArgument)
            let resolved = try #require(try await signedIn.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self).mismatch)
            #expect(resolved.status == "resolved" && resolved.finding == "record_corrected")
            #expect(resolved.correctedLicenceID == licenceID && resolved.correctedLicenceVersion == Int64(before.version + 1))
            #expect(resolved.correctedProofSerial == "C-\(opened.mismatchID)-V\(before.version + 1)")
            #expect(resolved.noticedUnits == [Self.civil, Self.water].sorted())

            // The new version is what GetLicence and Lookup answer.
            let civil = try await env.client("civil")
            let now = try await civil.licence(
                id: licenceID, holderID: licence.holder.key, purpose: APIPurpose(itemCode: "MZ-DB-001", caseReference: "DB-78"),
                metadata: ["staff": "agent-0001"])
            #expect(now.version == UInt32(before.version + 1) && now.fields.first { $0.key == "address" }?.value == "山东省枣庄市市中区光明路1号")
            let again = try await civil.lookup(
                holderID: licence.holder.key, typeCode: "HKB", purpose: APIPurpose(itemCode: "MZ-DB-001", caseReference: "DB-79"),
                metadata: ["staff": "agent-0001"])
            #expect(try ProtoCodec.decode(APIProofBody.self, from: again.body).licence?.version == UInt32(before.version + 1))

            // The raising unit's notice carries the corrected proof; it verifies with the published keys (verification seal).
            let notices = try await civil.correctionNotices()
            let notice = try #require(notices.first)
            #expect(notices.count == 1 && notice.raisedTheCase && notice.mismatchID == opened.mismatchID && notice.fetchCaseReferences == ["DB-77"])
            #expect(notice.correctedFields == ["address"] && notice.newVersion == Int64(before.version + 1))
            let proof = try #require(notice.correctedProof)
            let keys = try await civil.sealKeys()
            let verifier = SealVerifier(
                keys: keys.keys.map {
                    SealPublicKey(id: $0.keyID, kind: SealKind(rawValue: $0.sealKind)!, publicKey: $0.publicKey, validFromMillis: $0.validFromMillis)
                })
            #expect(
                try verifier.verify(body: proof.body, seal: Seal(keyID: proof.keyID, signature: proof.signature), kind: .verification).kind == .verification)
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            #expect(body.proofSerial == resolved.correctedProofSerial && body.proofSerial.contains(opened.mismatchID))
            #expect(body.extractingUnitCode == Self.civil && body.producingUnitCode == Self.police && body.purpose?.caseReference == "DB-77")
            #expect(body.licence?.fields.first { $0.key == "address" }?.value == "山东省枣庄市市中区光明路1号")

            // Water fetched the old version: told, without the proof. The bank fetched nothing: no notice.
            let toldWater = try await water.correctionNotices()
            #expect(toldWater.map(\.licenceID) == [licenceID] && toldWater.first?.correctedProof == nil && toldWater.first?.raisedTheCase == false)
            #expect(toldWater.first?.fetchCaseReferences == ["GH-5"])
            let bank = try await env.client("bank")
            #expect(try await bank.correctionNotices().isEmpty)
            #expect(await failure { _ = try await bank.correctionNotices(unitCode: Self.water) }?.code == .permissionDenied)
            let taskforce = try await env.client("taskforce")
            #expect(try await taskforce.correctionNotices().count == 2)

            // Audited with the actor: the intents first, then the outcomes.
            let trail = try env.audit.records(limit: 10_000).filter { $0.unitCode == Self.police }
            #expect(
                trail.map { "\($0.action)|\($0.result)" } == [
                    "Licence.Amend|intended", "Oversight.Reverify|intended", "Licence.Amend|amended v\(before.version + 1)",
                    "Oversight.Reverify|record_corrected", "Oversight.CorrectedProof|issued", "Oversight.CorrectionNotice|noticed",
                    "Oversight.CorrectionNotice|noticed",
                ])
            #expect(trail.allSatisfy { $0.staff == "agent-0001" && $0.credentialID == "police/agent-0001" })
            #expect(trail.filter { $0.action == .oversightCorrectionNotice }.map(\.counterpartUnit) == [Self.civil, Self.water].sorted())

            // A retry changes nothing more.
            let retry = try await signedIn.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self)
            #expect(retry.replayed)
            #expect(try await env.library.licence(id: licenceID).version == before.version + 1)
        }
    }

    @Test("record corrected: the notices are pushed on the watch streams of the units told, the task force sees all, a unit watches only its own")
    func correctionNoticesArePushedOnTheWatchStream() async throws {
        try await Self.withEnvironment { env in
            let licence = try Self.householdRegister()
            let (opened, licenceID) = try await Self.openCase(env, licence: licence)
            let water = try await env.client("water")
            let taskforce = try await env.client("taskforce")
            let bank = try await env.client("bank")
            #expect(
                await failure {
                    for try await _ in bank.watchCorrectionNotices(unitCode: Self.water) { break }
                }?.code == .permissionDenied)
            // Watching before the correction: nothing is stored yet, so the streams wait for a push.
            let watched = water.watchCorrectionNotices(includeExisting: true)
            let all = taskforce.watchCorrectionNotices()
            let waterFirst = Task { () throws -> APICorrectionNoticeRecord? in
                for try await notice in watched { return notice }
                return nil
            }
            let taskforceTwo = Task { () throws -> [APICorrectionNoticeRecord] in
                var seen: [APICorrectionNoticeRecord] = []
                for try await notice in all {
                    seen.append(notice)
                    if seen.count == 2 { break }
                }
                return seen
            }
            // The streams are open on the server before the correction is made.
            let deadline = ContinuousClock.now + .seconds(10)
            while env.oversight.notices.subscriberCount < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(env.oversight.notices.subscriberCount == 2)
            let signedIn = try await env.client("police/agent-0001")
            let reverify = APIReverifyMismatchRequest(
                mismatchID: opened.mismatchID, finding: "record_corrected", note: "住址更正",
                corrected: [APILicenceField(key: "address", value: "山东省枣庄市市中区光明路1号")])
            _ = try await signedIn.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self)
            let pushed = try #require(try await waterFirst.value)
            #expect(pushed.unitCode == Self.water && pushed.licenceID == licenceID && pushed.fetchCaseReferences == ["GH-5"])
            #expect(pushed.correctedProof == nil && !pushed.raisedTheCase)
            let seen = try await taskforceTwo.value
            #expect(seen.map(\.unitCode).sorted() == [Self.civil, Self.water].sorted())
            #expect(Set(seen.map(\.noticeID)).count == 2)
            // A watch started later with include_existing first sends what is stored.
            for try await stored in water.watchCorrectionNotices(includeExisting: true) {
                #expect(stored.noticeID == pushed.noticeID)
                break
            }
        }
    }

    @Test("record corrected: the corrected proof carries the fields the raising unit's item names and the corrected ones, and names the rest withheld")
    func correctedProofIsMinimised() async throws {
        try await Self.withEnvironment { env in
            let licence = try Self.householdRegister()
            // The bank's account opening (YH-KH-001) names only the register's address.
            let bank = try await env.client("bank")
            let proof = try await bank.lookup(
                holderID: licence.holder.key, typeCode: "HKB", purpose: APIPurpose(itemCode: "YH-KH-001", caseReference: "KH-9"),
                metadata: ["staff": "agent-0001"])
            let fetched = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            let opened = try #require(
                try await bank.openMismatch(
                    APIOpenMismatchRequest(
                        issuingUnitCode: Self.police, holderID: licence.holder.key, itemCode: "YH-KH-001", caseReference: "KH-9", proofType: "HKB",
                        proofSerial: fetched.proofSerial,
                        facts: [APIMismatchFact(key: "address", declared: "山东省枣庄市市中区光明路2号", fetched: licence.fields["address"] ?? "")]),
                    staff: "agent-0001"
                ).mismatch)
            let signedIn = try await env.client("police/agent-0001")
            _ = try await signedIn.oversight(
                OversightMethods.reverify,
                APIReverifyMismatchRequest(
                    mismatchID: opened.mismatchID, finding: "record_corrected", note: "住址更正",
                    corrected: [APILicenceField(key: "address", value: "山东省枣庄市市中区光明路2号")]), as: APIMismatchResponse.self)
            let notice = try #require(try await bank.correctionNotices().first { $0.raisedTheCase })
            let body = try ProtoCodec.decode(APIProofBody.self, from: try #require(notice.correctedProof).body)
            #expect(body.licence?.fields.map(\.key) == ["address"])
            #expect(body.licence?.fields.first?.value == "山东省枣庄市市中区光明路2号")
            #expect(body.withheldFields == licence.fields.keys.filter { $0 != "address" }.sorted())
        }
    }

    @Test("record corrected under a locked audit trail: UNAVAILABLE, nothing changed (licence, case, notices)")
    func lockedTrailChangesNothing() async throws {
        try await Self.withEnvironment { env in
            let licence = try Self.householdRegister()
            let (opened, licenceID) = try await Self.openCase(env, licence: licence)
            let before = try await env.library.licence(id: licenceID)
            let signedIn = try await env.client("police/agent-0001")
            let reverify = APIReverifyMismatchRequest(
                mismatchID: opened.mismatchID, finding: "record_corrected", note: "住址更正",
                corrected: [APILicenceField(key: "address", value: "山东省枣庄市市中区光明路1号")])
            let refused = try await env.withTrailLocked {
                await failure { _ = try await signedIn.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self) }
            }
            #expect(refused?.code == .unavailable && refused?.message.contains("nothing was changed") == true, "\(String(describing: refused))")
            #expect(try await env.library.licence(id: licenceID) == before)
            #expect(try await env.store.mismatch(id: opened.mismatchID)?.status == .open)
            #expect(try await env.store.correctionNotices(unit: nil, limit: 100).isEmpty)
            // Once the trail is free, the same call goes through.
            let resolved = try #require(try await signedIn.oversight(OversightMethods.reverify, reverify, as: APIMismatchResponse.self).mismatch)
            #expect(resolved.correctedLicenceVersion == Int64(before.version + 1))
        }
    }
}
