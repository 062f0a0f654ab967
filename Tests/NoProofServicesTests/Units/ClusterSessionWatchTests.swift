import Foundation
import Logging
import NoProofAudit
import NoProofClient
import NoProofDomain
import NoProofPostgres
import NoProofProtocol
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

/// Sessions revoked on one instance end on all (issue 18): two unit stores (two pools) on one
/// PostgreSQL schema stand for instances A and B; B serves over loopback. A credential revoked
/// and a staff member deactivated through A's store are reported by B's feed, and B's
/// `ClusterSessionWatch` ends B's open sessions of them (GOAWAY with the revoking instance's
/// message). Skipped, with the reason shown, without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct ClusterSessionWatchTests {
    static let water = UnitDemoData.water

    static func issue(_ store: any UnitStore, staffID: String? = nil) async throws -> (Credential, String) {
        let now = Date()
        let issued = try Credential.issue(
            unitCode: water.code, label: "营业厅", issuedBy: "supervisor-0001", issuedAt: now, expiresAt: now.addingTimeInterval(86_400),
            kind: staffID == nil ? .unit : .staff, rounds: 1_000, staffID: staffID)
        try await store.insertCredential(issued.credential)
        return issued
    }

    @Test func aRevocationAndADeactivationThroughAEndBsOpenSessions() async throws {
        let url = try #require(PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema("cluster_sessions")
        let databaseA = try PostgresStoreDatabase.connect(url: url, schema: schema)
        let databaseB = try PostgresStoreDatabase.connect(url: url, schema: schema)
        let temporary = try TemporaryDirectory(prefix: "noproof-cluster-sessions")
        defer { temporary.remove() }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var failure: (any Error)?
        do {
            let unitsA = try await PostgresUnitStore.open(databaseA)
            _ = try await UnitDemoSeeding.seed(into: unitsA)
            let unitsB = try await PostgresUnitStore.open(databaseB)
            let feedB = try await PostgresSessionFeed.open(databaseB)
            // Instance B: its unit service, authenticator and live sessions, over loopback.
            let sessions = LiveSessions()
            let audit = try AuditLog(directory: temporary.url)
            let gate = AccessGate(store: unitsB, limits: nil, audit: audit, logger: quiet)
            try await gate.refresh(publishingDue: false)
            var registry = RPCRegistry()
            UnitService(store: unitsB, gate: gate, audit: audit, credentialRounds: 1_000, logger: quiet, sessions: sessions).register(in: &registry)
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: unitsB, unknownIDRounds: 1_000), logger: quiet, sessions: sessions)
            let watch = ClusterSessionWatch(feed: feedB, store: unitsB, sessions: sessions, gate: gate, logger: quiet)
            try await withRunningServer(server) { port in
                try await Self.scenario(port: port, a: unitsA, sessions: sessions, watch: watch)
            }
        } catch {
            failure = error
        }
        try? await databaseA.dropSchema()
        await databaseA.shutdown()
        await databaseB.shutdown()
        if let failure { throw failure }
    }

    /// Instance B serves on `port`; `a` is instance A's unit store.
    static func scenario(port: Int, a unitsA: PostgresUnitStore, sessions: LiveSessions, watch: ClusterSessionWatch) async throws {
        let (system, systemSecret) = try await Self.issue(unitsA)
        let (agent, agentSecret) = try await Self.issue(unitsA, staffID: "agent-0002")
        let (other, otherSecret) = try await Self.issue(unitsA)
        var clients: [NoProofClient] = []
        for credential in [(system.id, systemSecret), (agent.id, agentSecret), (other.id, otherSecret)] {
            clients.append(try await NoProofClient.connect(.init(port: port, credential: credential)))
        }
        for client in clients { #expect(try await client.unit(code: Self.water.code.value).code == Self.water.code.value) }
        #expect(sessions.count(credentialID: system.id) == 1 && sessions.count(credentialID: agent.id) == 1)
        var sequence = try await watch.start()

        // Through A: the system credential revoked; nothing read on B yet, its session is open.
        _ = try await unitsA.revokeCredential(id: system.id, by: "supervisor-0001", reason: "设备遗失", at: Date())
        #expect(sessions.count(credentialID: system.id) == 1)
        var polled = try await watch.poll(after: sequence)
        sequence = polled.next
        #expect(polled.closed == 1)
        let revoked = await failure { _ = try await clients[0].unit(code: Self.water.code.value) }
        #expect(revoked?.code == .unauthenticated, "\(String(describing: revoked))")
        #expect(revoked?.message.contains("was revoked") == true && revoked?.message.contains("设备遗失") == true)
        #expect(sessions.count(credentialID: system.id) == 0)

        // Through A: agent-0002 leaves the staff; B ends the session of their staff credential.
        try await unitsA.replaceStaff(
            of: Self.water.code, with: UnitDemoData.staff(of: Self.water.code).filter { $0.id != "agent-0002" }, at: Date())
        polled = try await watch.poll(after: sequence)
        #expect(polled.closed == 1)
        let deactivated = await failure { _ = try await clients[1].unit(code: Self.water.code.value) }
        #expect(deactivated?.code == .unauthenticated, "\(String(describing: deactivated))")
        #expect(deactivated?.message.contains("agent-0002") == true && deactivated?.message.contains("deactivated") == true)
        // The other credential's session is untouched; nothing is closed twice.
        #expect(try await clients[2].unit(code: Self.water.code.value).code == Self.water.code.value)
        #expect(try await watch.poll(after: polled.next).closed == 0)
        for client in clients { await client.close() }
    }
}
