import Foundation
import Logging
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofServer
import NoProofTestSupport
import Testing
@testable import NoProofServices
@testable import NoProofAudit
import NoProofAuditChain

/// The audit log's heads and proofs over loopback (issue 15): a citizen proves that an access to
/// their data was recorded, against the signed head and the audit key alone; nobody else reads
/// records through the proof call; consistency proofs show the log only grew.
@Suite("Audit heads and proofs over loopback")
struct AuditServiceTests {
    static let water = "91370400MA3C7WX81E"
    static let bank = "91370400MA3D2K8P1X"
    static let holder = "370404199306107807"

    struct Environment: Sendable {
        let port: Int
        let audit: AuditLog
        let heads: AuditHeadPublisher
        func client(_ id: String) async throws -> NoProofClient {
            try await NoProofClient.connect(.init(port: port, credential: (id, "secret")))
        }
    }

    static func record(_ index: Int, unit: String, holder: String) -> AuditRecord {
        AuditRecord(
            atMillis: 1_800_000_000_000 + Int64(index), unitCode: unit, credentialID: "c", staff: "agent-0001", action: .lookup,
            itemCode: "SW-KH-001", caseReference: "CASE-\(index)", holderID: holder, typeCode: "JMSFZ", result: .found)
    }

    static func withEnvironment(_ body: @Sendable (Environment) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-audit-service")
        defer { temporary.remove() }
        let directory = temporary.url
        let seals = directory.appendingPathComponent("seals")
        try FileManager.default.createDirectory(at: seals, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let audit = try AuditLog(directory: directory)
        // 300 records: the water company's lookups about the holder and others, some of the bank's.
        _ = try audit.appendBatch(
            (0..<300).map { index in
                record(index, unit: index % 3 == 0 ? bank : water, holder: index % 2 == 0 ? holder : "37040519900101001X")
            })
        let heads = AuditHeadPublisher(log: audit, key: try AuditSigningKey.openOrCreate(directory: seals), witnesses: [], logger: quiet)
        var registry = RPCRegistry()
        AuditService(audit: audit, heads: heads, logger: quiet).register(in: &registry)
        let credentials: [StaticCredentialAuthenticator.Credential] = [
            .init(id: "water", secret: "secret", unit: AuthenticatedUnit(unitCode: water, unitName: "水务", credentialID: "water")),
            .init(id: "bank", secret: "secret", unit: AuthenticatedUnit(unitCode: bank, unitName: "银行", credentialID: "bank")),
            .init(
                id: "portal", secret: "secret",
                unit: AuthenticatedUnit(
                    unitCode: "11370400MB28556910", unitName: "市民端", credentialID: "portal",
                    roles: [AuthenticatedUnit.citizenPortalRole])),
            .init(
                id: "taskforce", secret: "secret",
                unit: AuthenticatedUnit(
                    unitCode: "11370400MB28556910", unitName: "专班",
                    credentialID: "taskforce", roles: ["taskforce"])),
        ]
        var configuration = ServerConfiguration.forTests
        configuration.authenticationTimeout = .seconds(3600)  // a loaded machine must not cut the test's connections
        let server = NoProofServer(
            configuration: configuration, registry: registry, authenticator: StaticCredentialAuthenticator(credentials),
            logger: quiet)
        try await withRunningServer(server) { port in
            try await body(Environment(port: port, audit: audit, heads: heads))
        }
        audit.close()
    }

    /// What `noproof audit prove` checks: fields → chain hash → leaf → path → signed root → signature.
    static func proofHolds(_ answer: APIProveRecordResponse, publicKey: [UInt8]) -> Bool {
        guard let fields = answer.record, let head = answer.head else { return false }
        var record = AuditRecord(
            atMillis: fields.atMillis, unitCode: fields.unitCode, credentialID: fields.credentialID, staff: fields.staff,
            action: AuditAction(rawValue: fields.action), itemCode: fields.itemCode, caseReference: fields.caseReference,
            holderID: fields.holderID, typeCode: fields.typeCode, licenceID: fields.licenceID,
            result: AuditResult(rawValue: fields.result), proofSerial: fields.proofSerial, counterpartUnit: fields.counterpartUnit)
        record.sequence = Int64(fields.sequence)
        let chain = AuditLog.chainHash(previous: answer.previousChainHash, record: record)
        let signed = SignedTreeHead(head)
        return chain == answer.chainHash
            && MerkleTree.root(leaf: AuditTree.leaf(chainHash: chain), index: fields.sequence - 1, size: head.treeSize, path: answer.path) == head.root
            && signed.verifies(publicKey: publicKey)
    }

    @Test func aCitizenProvesAnAccessToTheirDataWasRecorded() async throws {
        try await Self.withEnvironment { environment in
            let portal = try await environment.client("portal")
            let published = try await portal.auditTreeHead()
            #expect(published.head?.treeSize == 300)
            #expect(SignedTreeHead(try #require(published.head)).verifies(publicKey: published.auditPublicKey))
            for sequence in [1, 3, 257, 299] as [UInt64] {  // odd sequences (index even) are about the holder
                let answer = try await portal.proveAuditRecord(sequence: sequence, holderID: Self.holder)
                #expect(answer.record?.holderID == Self.holder)
                #expect(Self.proofHolds(answer, publicKey: published.auditPublicKey), "record \(sequence)")
                // The same proof with one field changed does not hold.
                var edited = answer
                edited.record?.result = "not_found"  // audit-typing: keep (the wire message's text)
                #expect(!Self.proofHolds(edited, publicKey: published.auditPublicKey))
            }
            // A record about someone else, or none, is NOT_FOUND for the portal, and the holder is required.
            #expect(await failureCode { _ = try await portal.proveAuditRecord(sequence: 4, holderID: "37040519900101001X") } == nil)
            #expect(await failureCode { _ = try await portal.proveAuditRecord(sequence: 3, holderID: "37040519900101001X") } == .notFound)
            #expect(await failureCode { _ = try await portal.proveAuditRecord(sequence: 1) } == .invalidArgument)
            #expect(await failureCode { _ = try await portal.proveAuditRecord(sequence: 1_000, holderID: Self.holder) } == .notFound)
            #expect(await failureCode { _ = try await portal.proveAuditRecord(sequence: 0, holderID: Self.holder) } == .invalidArgument)
            // The portal's reads of proofs are audited.
            #expect(try environment.audit.records(after: 300, limit: 100).contains { $0.action == .auditProveRecord && $0.holderID == Self.holder })
        }
    }

    @Test func aUnitReadsOnlyItsOwnRecordsThroughProofs() async throws {
        try await Self.withEnvironment { environment in
            let bank = try await environment.client("bank")
            #expect(try await bank.proveAuditRecord(sequence: 1).record?.unitCode == Self.bank)  // record 1: index 0, the bank's
            #expect(await failureCode { _ = try await bank.proveAuditRecord(sequence: 2) } == .notFound)  // the water company's
            let taskForce = try await environment.client("taskforce")
            #expect(try await taskForce.proveAuditRecord(sequence: 2).record?.unitCode == Self.water)
        }
    }

    @Test func consistencyProofsShowTheLogOnlyGrew() async throws {
        try await Self.withEnvironment { environment in
            let water = try await environment.client("water")
            let kept = try #require(try await water.auditTreeHead().head)
            _ = try environment.audit.appendBatch((300..<340).map { Self.record($0, unit: Self.water, holder: Self.holder) })
            try await environment.heads.publishNow()
            let answer = try await water.proveAuditConsistency(first: kept.treeSize)
            let head = try #require(answer.head)
            #expect(head.treeSize == 340)
            #expect(answer.firstRoot == kept.root)
            #expect(
                MerkleTree.verifyConsistency(
                    first: kept.treeSize, second: head.treeSize, firstRoot: kept.root, secondRoot: head.root,
                    proof: answer.proof))
            var forged = kept.root
            forged[0] ^= 1
            #expect(
                !MerkleTree.verifyConsistency(
                    first: kept.treeSize, second: head.treeSize, firstRoot: forged, secondRoot: head.root,
                    proof: answer.proof))
        }
    }
}
