import Foundation
import Logging
import NIOCore
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
import Testing
@testable import NoProofServices
@testable import NoProofAudit
@testable import NoProofLicenceStore
@testable import NoProofDemoData
import NoProofAuditChain

/// The licence service over a real socket: a server with a SQLite library, seals and audit log
/// in a temporary folder, driven by the Swift client.
@Suite("Licence service over loopback")
struct LicenceServiceTests {
    static let taskForce = AuthenticatedUnit(unitCode: "11370400MB0000001R", unitName: "专班", credentialID: "tf", roles: ["taskforce"])
    static let bank = AuthenticatedUnit(unitCode: "91350100M000100Y43", unitName: "Bank", credentialID: "bank")
    static let portal = AuthenticatedUnit(
        unitCode: "11370400MB0000001R", unitName: "专班", credentialID: "portal",
        roles: [AuthenticatedUnit.citizenPortalRole])
    static let today = DemoDataGenerator.defaultReferenceDate
    static let demo = DemoDataGenerator(licenceCount: 400)

    struct Environment: Sendable {
        let port: Int
        let audit: AuditLog
        let keyring: SealKeyring

        func client(_ credential: String = "bank") async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (credential, "secret")))
        }
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-service")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: 400)
        let logger = Logger(label: "test")
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: 10_000, today: { today }, logger: logger)
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let audit = try AuditLog(directory: directory)
        var registry = RPCRegistry()
        LicenceService(library: library, keyring: keyring, audit: audit, gate: EveryUnitAllowed()).register(in: &registry)
        let configuration = ServerConfiguration.forTests
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: StaticCredentialAuthenticator([
                .init(id: "tf", secret: "secret", unit: taskForce), .init(id: "bank", secret: "secret", unit: bank),
                .init(id: "portal", secret: "secret", unit: portal),
            ]),
            logger: quiet
        )
        try await withRunningServer(server) { port in
            try await body(Environment(port: port, audit: audit, keyring: keyring))
        }
        audit.close()
        try store.close()
    }

    /// A licence valid on the reference day whose holder holds no other licence of its type.
    static func validLicence(offset: Int = 0) -> Licence {
        let all = demo.makeLicences()
        return all.filter { licence in
            licence.effectiveStatus(asOf: today) == .valid
                && all.filter { $0.holder == licence.holder && $0.typeCode == licence.typeCode }.count == 1
        }[offset]
    }

    static let purpose = APIPurpose(itemCode: "ITEM-001", caseReference: "CASE-1")

    @Test func lookupReturnsASealedProofThatVerifiesAndCarriesTheArticle9Annotations() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            let licence = Self.validLicence()
            let proof = try await client.lookup(
                holderID: licence.holder.key, typeCode: licence.typeCode, purpose: Self.purpose,
                metadata: ["staff": "agent-9"])
            let keys = try await client.sealKeys()
            let verifier = SealVerifier(
                keys: keys.keys.map {
                    SealPublicKey(id: $0.keyID, kind: SealKind(rawValue: $0.sealKind)!, publicKey: $0.publicKey, validFromMillis: $0.validFromMillis)
                })
            let seal = Seal(keyID: proof.keyID, signature: proof.signature)
            #expect(try verifier.verify(body: proof.body, seal: seal, kind: .dataSharing).kind == .dataSharing)
            var tampered = proof.body
            tampered[tampered.count / 2] ^= 0x01
            #expect(throws: SealError.self) { try verifier.verify(body: tampered, seal: seal) }

            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            #expect(body.sealKind == "data-sharing")
            #expect(body.licence?.licenceID == licence.id.description)
            #expect(body.extractingUnitCode == Self.bank.unitCode)
            #expect(body.extractingUnitName == Self.bank.unitName)
            #expect(body.producingUnitCode == licence.issuerCode.value)
            #expect(body.producingUnitName == licence.issuerName)
            #expect(body.extractedAtMillis > 0)
            #expect(body.staff == "agent-9")
            #expect(body.purpose == Self.purpose)
            await client.close()
        }
    }

    @Test func everyLookupFoundOrNotIsAuditedBeforeItsAnswer() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            let licence = Self.validLicence()
            let proof = try await client.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: Self.purpose)
            // The record is already durable when the answer arrives: no waiting here.
            let records = try environment.audit.records()
            let serial = try ProtoCodec.decode(APIProofBody.self, from: proof.body).proofSerial
            #expect(records.last?.proofSerial == serial)
            #expect(records.last?.result == .found)
            #expect(records.last?.unitCode == Self.bank.unitCode)
            #expect(records.last?.itemCode == "ITEM-001")

            let other = Self.demo.holder(at: 5).holder
            let missing = Self.demo.makeLicences().contains { $0.holder == other && $0.typeCode == "JHZ" } ? "LHZ" : "JHZ"
            let notFound = await failureCode { _ = try await client.lookup(holderID: other.key, typeCode: missing, purpose: Self.purpose) }
            #expect(notFound == .notFound || notFound == .failedPrecondition)
            #expect(
                await failureCode { _ = try await client.lookup(holderID: "370402199001011235", typeCode: "JMSFZ", purpose: Self.purpose) }
                    == .invalidArgument)
            #expect(
                await failureCode { _ = try await client.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: APIPurpose()) }
                    == .invalidArgument)
            let results = try environment.audit.records().map(\.result)
            #expect(results.count == 4)
            #expect(results[0] == .found)
            #expect(results[2...] == [.invalidArgument, .invalidArgument])
            await client.close()
        }
    }

    @Test func aRevokedLicenceIsRefusedAtOnceWithFailedPrecondition() async throws {
        try await Self.withEnvironment { environment in
            let bank = try await environment.client()
            let taskForce = try await environment.client("tf")
            let licence = Self.validLicence(offset: 3)
            _ = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: Self.purpose)
            // A unit that did not issue the licence may not revoke it.
            #expect(await failureCode { _ = try await bank.changeStatus(.revoke, licenceID: licence.id.description, reason: "x") } == .permissionDenied)
            let revoked = try await taskForce.changeStatus(.revoke, licenceID: licence.id.description, reason: "obtained by fraud")
            #expect(revoked.status == "revoked")
            do {
                let proof = try await bank.lookup(holderID: licence.holder.key, typeCode: licence.typeCode, purpose: Self.purpose)
                let served = try ProtoCodec.decode(APIProofBody.self, from: proof.body).licence?.licenceID
                #expect(served != licence.id.description, "a revoked licence was served")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition)
                #expect(error.message.contains("revoked"))
            }
            await bank.close()
            await taskForce.close()
        }
    }

    @Test func getAndCheckDoNotNeedTheRecordToBeShownToCheck() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            let licence = Self.validLicence(offset: 1)
            let fetched = try await client.licence(id: licence.id.description, holderID: licence.holder.key, purpose: Self.purpose)
            #expect(fetched.holderID == licence.holder.key)
            #expect(
                await failureCode { _ = try await client.licence(id: "1.2.156.3005.2.X", holderID: licence.holder.key, purpose: Self.purpose) }
                    == .invalidArgument)
            let field = licence.sortedFields[0]
            let answer = try await client.check(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                declared: [APILicenceField(key: field.key, value: field.value), APILicenceField(key: "holder_name", value: licence.holderName + "错")],
                purpose: Self.purpose
            )
            #expect(answer.status == "valid")
            #expect(answer.fields.map(\.result) == [.match, .mismatch])
            await client.close()
        }
    }

    @Test func errorsAndAnswersNeverEchoAHoldersRecordedData() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            // Another holder, a type they do not hold: the refusal names the holder only masked.
            let other = Self.demo.holder(at: 5)
            let missing = Self.demo.makeLicences().contains { $0.holder == other.holder && $0.typeCode == "JHZ" } ? "LHZ" : "JHZ"
            do {
                _ = try await client.lookup(holderID: other.holder.key, typeCode: missing, purpose: Self.purpose)
                Issue.record("a licence the holder does not hold was served")
            } catch let error as RPCError {
                #expect(error.code == .notFound)
                #expect(error.message.contains(other.holder.masked), "\(error.message)")
                #expect(!error.message.contains(other.holder.key))
                #expect(!error.message.contains(other.name))
            }
            // A wrong declared name is reported MISMATCH without the recorded name.
            let licence = Self.validLicence(offset: 2)
            let answer = try await client.check(
                holderID: licence.holder.key, typeCode: licence.typeCode,
                declared: [APILicenceField(key: "holder_name", value: "错名")], purpose: Self.purpose
            )
            #expect(answer.fields.map(\.result) == [.mismatch])
            #expect(!"\(answer)".contains(licence.holderName))
            await client.close()
        }
    }

    @Test func sealKeysAndLicenceTypesArePublic() async throws {
        try await Self.withEnvironment { environment in
            let anonymous = try await NoProofClient.connect(.init(port: environment.port))
            let keys = try await anonymous.sealKeys()
            #expect(Set(keys.keys.map(\.sealKind)) == ["data-sharing", "verification"])
            #expect(keys.keys.allSatisfy { $0.publicKey.count == 32 && $0.algorithm == "Ed25519" })
            #expect(try await anonymous.licenceTypes().count == LicenceTypeCatalogue.starter.count)
            #expect(await failureCode { _ = try await anonymous.lookup(holderID: "x", typeCode: "y", purpose: Self.purpose) } == .unauthenticated)
            await anonymous.close()
        }
    }

    @Test func importIsIdempotentAndReportsBadRowsByIndex() async throws {
        try await Self.withEnvironment { environment in
            let taskForce = try await environment.client("tf")
            // A second edition of demo licences: identifiers the library does not hold yet.
            let batch = try DemoDataGenerator(seed: 99, licenceCount: 30).makeLicences().map { licence -> LicenceMessage in
                var message = LicenceMessage(licence)
                message.licenceID = try LicenceIdentifier.make(
                    typeCode: licence.id.typeCode, issuer: licence.id.issuerCode,
                    serial: licence.id.serial, version: 2
                ).description
                return message
            }
            var bad = batch
            bad[4].holderID = "370402199001011235"
            bad[7].licenceID = "1.2.156.3005.2.JMSFZ"
            let first = try await taskForce.importLicences(bad)
            #expect(first.rejected.map(\.index) == [4, 7])
            #expect(first.rejected.map(\.field) == ["holder_id", "licence_id"], "\(first.rejected)")
            #expect(first.inserted == 28)
            let again = try await taskForce.importLicences(bad)
            #expect(again.inserted == 0)
            #expect(again.updated == 0)
            #expect(again.unchanged == first.inserted + first.updated)
            await taskForce.close()
        }
    }
}

@Suite("Stats over loopback")
struct StatsServiceTests {
    /// A server on a free loopback port with `registry`, counting into `statistics`, for the task
    /// force credential `tf`/`s`; stopped gracefully after `body`.
    static func withServer(registry: RPCRegistry, statistics: ServerStatistics, _ body: (Int) async throws -> Void) async throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: StaticCredentialAuthenticator([.init(id: "tf", secret: "s", unit: LicenceServiceTests.taskForce)]),
            logger: quiet, statistics: statistics)
        try await withRunningServer(server, body)
    }

    @Test func statsCountCallsCacheAndAudit() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-stats")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: 100)
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: 1000, logger: Logger(label: "test"))
        _ = try await library.warmUp()
        let audit = try AuditLog(directory: directory)
        let statistics = ServerStatistics()
        var registry = RPCRegistry()
        LicenceService(
            library: library, keyring: try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals")),
            audit: audit, gate: EveryUnitAllowed()
        ).register(in: &registry)
        StatsService(statistics: statistics, library: library, audit: audit).register(in: &registry)
        try await Self.withServer(registry: registry, statistics: statistics) { port in
            let client = try await NoProofClient.connect(.init(port: port, credential: ("tf", "s")))
            let holder = DemoDataGenerator(licenceCount: 100).holder(at: 0)
            _ = try await client.lookup(
                holderID: holder.holder.key, typeCode: holder.guaranteedTypeCode,
                purpose: APIPurpose(itemCode: "I", caseReference: "C"))
            _ = try? await client.lookup(holderID: "bad", typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "I", caseReference: "C"))
            let stats = try await client.stats()
            #expect(stats.connectionsOpen == 1)
            #expect(stats.callsTotal == 3)  // Authenticate, two lookups; GetStats itself ends after this snapshot
            #expect(stats.callsFailed == 1)
            #expect(stats.cache?.hits == 1)
            #expect(stats.cache?.licences == 100)
            #expect(stats.auditRecords == 2)
            #expect(stats.processCpuSeconds > 0)
            await client.close()
        }
        audit.close()
        try store.close()
    }
}

extension StatsServiceTests {
    /// After N lookups (found, so sealed and audited), GetStats shows every stage of the breakdown:
    /// the per-call stages with count N, the per-batch ones with the number of proof-issuer batches
    /// (N too: each call waits for its answer before the next, so each is a batch of its own).
    @Test func statsBreakLookupsDownByStage() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-stages")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: 100)
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: 1000, logger: Logger(label: "test"))
        let audit = try AuditLog(directory: directory)
        let statistics = ServerStatistics()
        var registry = RPCRegistry()
        LicenceService(
            library: library, keyring: try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals")),
            audit: audit, gate: EveryUnitAllowed(), statistics: statistics
        ).register(in: &registry)
        StatsService(statistics: statistics, library: library, audit: audit).register(in: &registry)
        try await Self.withServer(registry: registry, statistics: statistics) { port in
            let client = try await NoProofClient.connect(.init(port: port, credential: ("tf", "s")))
            let demo = DemoDataGenerator(licenceCount: 100)
            let lookups = 6
            // The first lookups of a cold cache read the store, the repeats are hits: both paths.
            for index in 0..<lookups {
                let holder = demo.holder(at: index % 3)
                _ = try await client.lookup(
                    holderID: holder.holder.key, typeCode: holder.guaranteedTypeCode,
                    purpose: APIPurpose(itemCode: "I", caseReference: "C-\(index)"))
            }
            let stats = try await client.stats()
            #expect(stats.stages.map(\.name) == ["decode", "admit", "lookup", "enqueue", "batch_wait", "seal", "fsync", "answer", "total"])
            for stage in stats.stages {
                #expect(stage.count == UInt64(lookups), "\(stage.name)")
                #expect(stage.perBatch == (stage.name == "seal" || stage.name == "fsync"), "\(stage.name)")
                #expect(
                    stage.p50Micros <= stage.p90Micros && stage.p90Micros <= stage.p99Micros
                        && stage.p99Micros <= stage.p999Micros && stage.p999Micros <= stage.maxMicros, "\(stage.name)")
            }
            let byName = Dictionary(uniqueKeysWithValues: stats.stages.map { ($0.name, $0) })
            let total = try #require(byName["total"])
            // A whole call takes at least as long as any of its stages, and its batch's commit.
            for stage in stats.stages { #expect(total.maxMicros >= stage.maxMicros, "\(stage.name)") }
            #expect(total.p50Micros >= (byName["fsync"]?.p50Micros ?? .max))
            #expect(total.maxMicros > 0)

            // Refused before the library (bad holder id): its audit record is a batch of the issuer,
            // but the call is not in the per-call stages.
            _ = try? await client.lookup(holderID: "bad", typeCode: "JMSFZ", purpose: APIPurpose(itemCode: "I", caseReference: "C"))
            let after = try await client.stats()
            for stage in after.stages {
                #expect(stage.count == UInt64(stage.perBatch ? lookups + 1 : lookups), "\(stage.name)")
            }
            await client.close()
        }
        audit.close()
        try store.close()
    }
}

extension LicenceServiceTests {
    @Test func aTypeWhoseDatabaseIsNotConnectedIsNotServedByLookup() async throws {
        try await Self.withEnvironment { environment in
            let client = try await environment.client()
            let notConnected = LicenceTypeCatalogue.starter.first { !$0.connected }!
            let holder = Self.demo.makeLicences().first { $0.typeCode == notConnected.code }?.holder ?? Self.demo.holder(at: 0).holder
            do {
                _ = try await client.lookup(holderID: holder.key, typeCode: notConnected.code, purpose: Self.purpose)
                Issue.record("a lookup of a non-connected type succeeded")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition)
                #expect(error.message.contains("department verification"))
            }
            #expect(try environment.audit.records().last?.result == .notConnected)
            await client.close()
        }
    }
}
