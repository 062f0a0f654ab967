import Foundation
import Logging
import NoProofAudit
import NoProofClient
import NoProofDomain
import NoProofProtocol
import NoProofServer
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

/// A feed this instance fell behind (issue 18): changes it never read were trimmed, so it cannot
/// tell whose sessions they ended. It must fail closed — end every open session, each to
/// reconnect and authenticate afresh — not keep serving sessions a missed revocation ended.
@Suite struct ClusterSessionWatchGapTests {
    /// A feed whose changes after what was read are gone.
    struct TrimmedFeed: SessionChangeFeed {
        func sessionChanges(after sequence: Int64?) async throws(NoProofError) -> SessionChanges {
            sequence == nil ? SessionChanges(latest: 5, changes: []) : SessionChanges(latest: 20_005, changes: [], complete: false)
        }
    }

    @Test func aGapInTheFeedEndsEverySessionAndEachCanAuthenticateAgain() async throws {
        try await withTemporaryDirectory(prefix: "noproof-cluster-gap") { directory in
            var quiet = Logger(label: "test")
            quiet.logLevel = .critical
            let units = try SQLiteUnitStore(directory: directory)
            _ = try await UnitDemoSeeding.seed(into: units)
            let water = UnitDemoData.water
            var credentials: [(String, String)] = []
            for _ in 0..<2 {
                let now = Date()
                let issued = try Credential.issue(
                    unitCode: water.code, label: "营业厅", issuedBy: "supervisor-0001", issuedAt: now, expiresAt: now.addingTimeInterval(86_400),
                    kind: .unit, rounds: 1_000)
                try await units.insertCredential(issued.credential)
                credentials.append((issued.credential.id, issued.1))
            }
            let sessions = LiveSessions()
            let audit = try AuditLog(directory: directory)
            defer { audit.close() }
            let gate = AccessGate(store: units, limits: nil, audit: audit, logger: quiet)
            try await gate.refresh(publishingDue: false)
            var registry = RPCRegistry()
            UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, logger: quiet, sessions: sessions).register(in: &registry)
            let configuration = ServerConfiguration.forTests
            let server = NoProofServer(
                configuration: configuration, registry: registry,
                authenticator: UnitCredentialAuthenticator(store: units, unknownIDRounds: 1_000), logger: quiet, sessions: sessions)
            let watch = ClusterSessionWatch(feed: TrimmedFeed(), store: units, sessions: sessions, gate: gate, logger: quiet)
            try await withRunningServer(server) { port in
                var clients: [NoProofClient] = []
                for credential in credentials { clients.append(try await NoProofClient.connect(.init(port: port, credential: credential))) }
                for client in clients { #expect(try await client.unit(code: water.code.value).code == water.code.value) }
                let sequence = try await watch.start()
                #expect(try await watch.poll(after: sequence).closed == 2)
                for client in clients {
                    let ended = await failure { _ = try await client.unit(code: water.code.value) }
                    #expect(ended?.code == .unauthenticated, "\(String(describing: ended))")
                    #expect(ended?.message.contains("reconnect and authenticate again") == true)
                    await client.close()
                }
                // Not a revocation: the same credentials authenticate again at once.
                let again = try await NoProofClient.connect(.init(port: port, credential: credentials[0]))
                #expect(try await again.unit(code: water.code.value).code == water.code.value)
                await again.close()
            }
        }
    }
}
