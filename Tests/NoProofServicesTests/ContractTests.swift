import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofLibrary
import NoProofMessages
import NoProofOversightStore
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofAudit
import NoProofLicenceStore
import NoProofTestSupport
import NoProofUnitStore
import NoProofVerificationStore
import Testing
@testable import NoProofServices

/// The server's methods are the contract the protos declare (scripts/gen-swift-messages.py,
/// `ContractMethods`): every service registered as noproofd does, then compared with the
/// generated table, directly and through ListMethods over a real socket.
@Suite("RPC contract")
struct ContractTests {
    /// Every domain service registered as noproofd registers them, plus the built-in ones (the
    /// server adds those); the stores live in a temporary folder, no data.
    static func withServer(_ body: @Sendable (NoProofServer) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-contract")
        defer { temporary.remove() }
        let directory = temporary.url
        let seals = directory.appendingPathComponent("seals")
        try FileManager.default.createDirectory(at: seals, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let store = try SQLiteLicenceStore(directory: directory)
        let library = try await LicenceLibrary.open(store: store, cacheCapacity: 100, logger: quiet)
        let units = try SQLiteUnitStore(directory: directory)
        let keyring = try SealKeyring.openOrCreate(directory: seals)
        let audit = try AuditLog(directory: directory)
        let oversightStore = try SQLiteOversightStore(directory: directory)
        let verificationStore = try SQLiteVerificationStore(directory: directory)
        let heads = AuditHeadPublisher(log: audit, key: try AuditSigningKey.openOrCreate(directory: seals), witnesses: [], logger: quiet)
        let statistics = ServerStatistics()
        var registry = RPCRegistry()
        let gate = AccessGate(store: units, limits: nil, audit: audit, logger: quiet)
        LicenceService(library: library, keyring: keyring, audit: audit, gate: gate).register(in: &registry)
        UnitService(store: units, gate: gate, audit: audit, logger: quiet).register(in: &registry)
        SupervisionService(
            audit: audit, units: units, oversight: nil, typeNames: [:], thresholds: .standard, exemptions: oversightStore,
            issuers: [], logger: quiet
        ).register(in: &registry)
        VerificationService(
            store: verificationStore, units: units, keyring: keyring, audit: audit, databaseBacked: { _ in false },
            logger: quiet
        ).register(in: &registry)
        OversightService(
            store: oversightStore, units: units, audit: audit, verifications: verificationStore, library: library, keyring: keyring,
            logger: quiet
        ).register(in: &registry)
        StatsService(statistics: statistics, library: library, audit: audit).register(in: &registry)
        AuditService(audit: audit, heads: heads, logger: quiet).register(in: &registry)
        let configuration = ServerConfiguration.forTests
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: StaticCredentialAuthenticator([
                .init(
                    id: "unit", secret: "secret",
                    unit: AuthenticatedUnit(
                        unitCode: "11370400MB28556910", unitName: "专班",
                        credentialID: "unit"))
            ]),
            logger: quiet, statistics: statistics)
        try await withRunningServer(server) { _ in
            try await body(server)
        }
        audit.close()
        try oversightStore.close()
        try verificationStore.close()
        try store.close()
        try units.close()
    }

    @Test("the generated contract has unique ids and paths, and names the Swift types' own messages")
    func contractIsConsistent() {
        let all = ContractMethods.all
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(Set(all.map(\.path)).count == all.count)
        #expect(all.map(\.id) == all.map(\.id).sorted())
        #expect(all.allSatisfy { $0.id != 0 && $0.path == "/\($0.service)/\($0.path.split(separator: "/").last!)" })
        #expect(LicenceMethods.lookup.descriptor.requestType == APILookupRequest.protoName)
        #expect(LicenceMethods.lookup.descriptor.requestType == "noproof.v1.LookupRequest")
        #expect(VerificationMethods.watchQueue.kind == .serverStreaming)
        #expect(VerificationMethods.watchQueue.descriptor.responseType == APIVerificationEvent.protoName)
        // The ids docs/PROTOCOL.md fixes for the built-in methods.
        #expect(HealthMethods.check.path == "/noproof.v1.Health/Check" && HealthMethods.check.id == 1 && !HealthMethods.check.requiresAuthentication)
        #expect(ReflectionMethods.listMethods.id == 2 && SessionMethods.authenticate.id == 3)
    }

    @Test("the server registers exactly the methods the protos declare, with their ids, kinds, types and rules")
    func registeredMethodsAreTheContract() async throws {
        try await Self.withServer { server in
            let registered = server.methods.all
            let declared = ContractMethods.all
            let missing = Set(declared.map(\.path)).subtracting(registered.map(\.path))
            let undeclared = Set(registered.map(\.path)).subtracting(declared.map(\.path))
            #expect(missing.isEmpty, "declared in Protos/ but not registered: \(missing.sorted())")
            #expect(undeclared.isEmpty, "registered but not declared in Protos/: \(undeclared.sorted())")
            #expect(registered == declared)
        }
    }

    @Test("ListMethods answers the generated contract")
    func listMethodsAnswersTheContract() async throws {
        try await Self.withServer { server in
            let port = try await server.listeningAddress().port!
            let client = try await NoProofClient.connect(.init(port: port, credential: ("unit", "secret")))
            let listing = try await client.listMethods()
            await client.close()
            #expect(listing.methods == ContractMethods.all)
            for method in listing.methods {
                #expect(server.methods.resolve(path: "", id: method.id) == method)
            }
        }
    }
}
