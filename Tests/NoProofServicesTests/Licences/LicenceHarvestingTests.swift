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

/// Issue 14's harvesting attacks on GetLicence and CheckLicence, over a real socket with the
/// access gate and its rate limits: each attack is refused, audited, and the server goes on
/// serving proper calls.
@Suite("GetLicence and CheckLicence against harvesting")
struct LicenceHarvestingTests {
    static let today = DemoDataGenerator.defaultReferenceDate
    static let demo = DemoDataGenerator(licenceCount: 400)
    static let staff: Metadata = ["staff": "agent-0001"]
    /// The water company's new-account item lists JMSFZ and BDCQZS by data sharing.
    static func purpose(_ caseReference: String, item: String = "SW-KH-001") -> APIPurpose {
        APIPurpose(itemCode: item, caseReference: caseReference)
    }

    struct Environment: Sendable {
        let port: Int
        let audit: AuditLog
        let units: SQLiteUnitStore
        let library: LicenceLibrary
        func client(_ id: String = "water") async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (id, "secret")))
        }
        func records(_ action: AuditAction) throws -> [AuditRecord] { try audit.records().filter { $0.action == action } }
    }

    static func withEnvironment(
        limits: RateLimits = RateLimits(maxLookupsPerCase: 5, maxLookupsPerStaffPerMinute: 1000),
        _ body: @Sendable (Environment) async throws -> Void
    ) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-harvest")
        defer { temporary.remove() }
        let directory = temporary.url
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
        let store = try SQLiteLicenceStore(directory: directory)
        try await seedDemo(store: store, count: 400)
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: 10_000, today: { today }, logger: quiet)
        let units = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: units)
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let audit = try AuditLog(directory: directory)
        let gate = AccessGate(store: units, limits: limits, audit: audit, now: { clock.now }, logger: quiet)
        try await gate.refresh()
        var registry = RPCRegistry()
        LicenceService(library: library, keyring: keyring, audit: audit, gate: gate, now: { clock.now }).register(in: &registry)
        let fixed: [StaticCredentialAuthenticator.Credential] = [("water", UnitDemoData.water), ("bank", UnitDemoData.bank)].map { id, unit in
            .init(id: id, secret: "secret", unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: id))
        }
        let configuration = ServerConfiguration.forTests
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: StaticCredentialAuthenticator(fixed), logger: quiet)
        try await withRunningServer(server) { port in
            try await body(Environment(port: port, audit: audit, units: units, library: library))
        }
        await gate.close()
        audit.close()
        try units.close()
        try store.close()
    }

    /// Resident ID cards of the demo library, each of a different holder.
    static let idCards: [Licence] = {
        let cards = demo.makeLicences().filter { $0.typeCode == "JMSFZ" }
        return cards.filter { card in cards.filter { $0.holder == card.holder }.count == 1 }
    }()

    /// An identifier of the same type and issuer that the library does not hold.
    static func guessed(_ serial: Int, like licence: Licence) throws -> String {
        try LicenceIdentifier.make(typeCode: licence.id.typeCode, issuer: licence.id.issuerCode, serial: "9\(900_000 + serial)", version: 1).description
    }

    @Test("GetLicence without the holder's id is INVALID_ARGUMENT naming holder_id; the server goes on serving")
    func getLicenceNeedsTheHolder() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client()
            let card = Self.idCards[0]
            let refused = await failure {
                _ = try await water.licence(id: card.id.description, holderID: "", purpose: Self.purpose("G-0"), metadata: Self.staff)
            }
            #expect(refused?.code == .invalidArgument && refused?.message.hasPrefix("holder_id") == true, "\(String(describing: refused))")
            let served = try await water.licence(id: card.id.description, holderID: card.holder.key, purpose: Self.purpose("G-0"), metadata: Self.staff)
            #expect(served.licenceID == card.id.description)
            #expect(try env.records(.getLicence).map(\.result) == [.invalidArgument, .found])
            await water.close()
        }
    }

    @Test("GetLicence of a licence that exists but belongs to another holder answers exactly like a miss")
    func anotherHoldersLicenceAnswersLikeAMiss() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client()
            let (card, other) = (Self.idCards[0], Self.idCards[1])
            let foreign = await failure {
                _ = try await water.licence(id: card.id.description, holderID: other.holder.key, purpose: Self.purpose("G-1"), metadata: Self.staff)
            }
            let missID = try Self.guessed(1, like: card)
            let miss = await failure { _ = try await water.licence(id: missID, holderID: other.holder.key, purpose: Self.purpose("G-1"), metadata: Self.staff) }
            #expect(foreign?.code == .notFound && miss?.code == .notFound)
            // Same message shape: only the identifier asked about differs.
            #expect(
                foreign?.message.replacingOccurrences(of: card.id.description, with: "ID")
                    == miss?.message.replacingOccurrences(of: missID, with: "ID"), "\(String(describing: foreign)) / \(String(describing: miss))")
            for message in [foreign?.message ?? "", miss?.message ?? ""] {
                #expect(!message.contains(card.holderName) && !message.contains(card.holder.key) && !message.contains(other.holder.key))
            }
            // The owner with the right holder still gets it, on the same connection.
            let served = try await water.licence(id: card.id.description, holderID: card.holder.key, purpose: Self.purpose("G-2"), metadata: Self.staff)
            #expect(served.holderID == card.holder.key)
            let audited = try env.records(.getLicence)
            #expect(audited.map(\.result) == [.notFound, .notFound, .found])
            #expect(audited[0].holderID == other.holder.key && audited[0].typeCode == "JMSFZ")
            await water.close()
        }
    }

    @Test("GetLicence: guessed serials pass the access gate first, so misses are refused by purpose and rate-limited like hits, audited and logged")
    func guessingSerialsIsLimitedLikeLookups() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client()
            let card = Self.idCards[0]
            let holder = Self.idCards[1].holder.key
            // No purpose the list allows: refused before the library is consulted (not NOT_FOUND).
            let unlisted = await failure {
                _ = try await water.licence(
                    id: try Self.guessed(0, like: card), holderID: holder, purpose: Self.purpose("H-0", item: "SW-XX-999"),
                    metadata: Self.staff)
            }
            #expect(unlisted?.code == .permissionDenied, "\(String(describing: unlisted))")
            // Five guesses under one case reference are misses; the sixth is over the per-case limit.
            for serial in 1...5 {
                let miss = await failure {
                    _ = try await water.licence(
                        id: try Self.guessed(serial, like: card), holderID: holder, purpose: Self.purpose("HARVEST"),
                        metadata: Self.staff)
                }
                #expect(miss?.code == .notFound, "guess \(serial): \(String(describing: miss))")
            }
            let limited = await failure {
                _ = try await water.licence(id: card.id.description, holderID: card.holder.key, purpose: Self.purpose("HARVEST"), metadata: Self.staff)
            }
            #expect(limited?.code == .resourceExhausted, "\(String(describing: limited))")
            // Every attempt is audited; the refusals are in the denial log the task force reads.
            #expect(
                try env.records(.getLicence).map(\.result)
                    == [AuditResult.permissionDenied] + Array(repeating: AuditResult.notFound, count: 5) + [.resourceExhausted])
            let denials = try await env.units.denials(unit: nil, limit: 100)
            #expect(denials.contains { $0.kind == .breach && $0.caseReference == "HARVEST" })
            #expect(denials.contains { $0.kind == .denial && $0.itemCode == "SW-XX-999" })
            // The server goes on serving a proper read, and other units.
            let served = try await water.licence(id: card.id.description, holderID: card.holder.key, purpose: Self.purpose("H-OK"), metadata: Self.staff)
            #expect(served.licenceID == card.id.description)
            let bank = try await env.client("bank")
            #expect(try await bank.health().status == .serving)
            await bank.close()
            await water.close()
        }
    }

    @Test("CheckLicence: one value per field of the type; 1,000 guesses in one call, a repeated or unknown key are INVALID_ARGUMENT")
    func checkTakesOneValuePerField() async throws {
        try await Self.withEnvironment { env in
            let water = try await env.client()
            let card = Self.idCards[2]
            let guesses =
                (0..<1000).map { APILicenceField(key: "holder_name", value: "张\($0)") } + [APILicenceField(key: "holder_name", value: card.holderName)]
            let flood = await failure {
                _ = try await water.check(holderID: card.holder.key, typeCode: "JMSFZ", declared: guesses, purpose: Self.purpose("K-1"), metadata: Self.staff)
            }
            #expect(flood?.code == .invalidArgument && flood?.message.hasPrefix("declared") == true, "\(String(describing: flood))")
            let twice = await failure {
                _ = try await water.check(
                    holderID: card.holder.key, typeCode: "JMSFZ",
                    declared: [APILicenceField(key: "holder_name", value: "错名"), APILicenceField(key: "holder_name", value: card.holderName)],
                    purpose: Self.purpose("K-1"), metadata: Self.staff)
            }
            #expect(twice?.code == .invalidArgument && twice?.message.hasPrefix("declared[1].key") == true, "\(String(describing: twice))")
            let unknown = await failure {
                _ = try await water.check(
                    holderID: card.holder.key, typeCode: "JMSFZ", declared: [APILicenceField(key: "spouse_name", value: "x")],
                    purpose: Self.purpose("K-1"), metadata: Self.staff)
            }
            #expect(unknown?.code == .invalidArgument && unknown?.message.hasPrefix("declared[0].key") == true, "\(String(describing: unknown))")
            for refused in [flood, twice, unknown] { #expect(refused?.message.contains(card.holderName) == false) }
            // The server goes on serving a proper check on the same connection.
            let answer = try await water.check(
                holderID: card.holder.key, typeCode: "JMSFZ",
                declared: [APILicenceField(key: "holder_name", value: card.holderName)],
                purpose: Self.purpose("K-1"), metadata: Self.staff)
            #expect(answer.fields.map(\.result) == [.match])
            // The 1,001-entry flood is refused by the request length limits before the method runs (not audited:
            // nothing was read); the other two reach the method and are audited.
            #expect(try env.records(.checkLicence).map(\.result) == [.invalidArgument, .invalidArgument, .match])
            await water.close()
        }
    }

    @Test("CheckLicence answers only MATCH or MISMATCH: a field the type has but the record lacks is MISMATCH, never NOT_ON_RECORD")
    func checkHasNoNotOnRecordOracle() async throws {
        try await Self.withEnvironment { env in
            // The bank's account-opening item names the card's fields it checks (the water company's names none).
            let water = try await env.client("bank")
            let card = Self.idCards[3]
            let kept = try #require(card.fields.keys.sorted().first { $0 != "address" })
            // The issuing side removes the address from this record.
            _ = try await env.library.amend(
                card.id.description, changes: LicenceAmendment(removeFields: ["address"]), reason: "test",
                byUnit: card.issuerCode.value, asTaskForce: true)
            let answer = try await water.check(
                holderID: card.holder.key, typeCode: "JMSFZ",
                declared: [
                    APILicenceField(key: kept, value: card.fields[kept] ?? ""), APILicenceField(key: "address", value: "某地"),
                    APILicenceField(key: "holder_name", value: card.holderName + "错"),
                ],
                purpose: Self.purpose("K-2", item: "YH-KH-001"), metadata: Self.staff
            )
            #expect(answer.fields.map(\.result) == [.match, .mismatch, .mismatch])
            #expect(!answer.fields.contains { $0.result == .notOnRecord })
            await water.close()
        }
    }
}
