import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import NoProofTestSupport
import Testing
@testable import NoProofServer

/// Revocation reaching connections: `LiveSessions` over a real socket, with an authenticator
/// the test can hold mid-authentication.
@Suite("Live sessions and revocation")
struct LiveSessionsTests {
    /// Accepts any secret, but only once the test opens the gate (when `gated`).
    final class GatedAuthenticator: Authenticator {
        let entered = AsyncStream<Void>.makeStream()
        let gate = AsyncStream<Void>.makeStream()
        let gated: Bool

        init(gated: Bool) { self.gated = gated }

        func authenticate(credentialID: String, secret: String) async throws(RPCError) -> AuthenticatedUnit {
            if gated {
                entered.continuation.yield()
                var opening = gate.stream.makeAsyncIterator()
                _ = await opening.next()
            }
            return AuthenticatedUnit(unitCode: "91370400MA3C7WX81E", unitName: "test", credentialID: credentialID)
        }
    }

    static func withServer(
        _ authenticator: GatedAuthenticator, cancelled: AsyncStream<String>.Continuation? = nil,
        _ body: @Sendable (NoProofServer, Int) async throws -> Void
    ) async throws {
        var configuration = TestServices.configuration
        configuration.port = 0
        configuration.maxCallsInProgress = 1000  // so that `statistics.callsInProgress` counts
        let server = NoProofServer(
            configuration: configuration, registry: TestServices.registry(cancelled: cancelled),
            authenticator: authenticator, logger: TestServices.logger)
        try await withRunningServer(server) { port in
            try await body(server, port)
        }
    }

    @Test func revokingEndsTheOpenCallsAndLaterCallsOfItsSessionsOnly() async throws {
        let (cancelled, cancellations) = AsyncStream<String>.makeStream()
        try await Self.withServer(GatedAuthenticator(gated: false), cancelled: cancellations) { server, port in
            let revokedClient = try await NoProofClient.connect(.init(port: port, credential: ("cred-a", "s")))
            let otherClient = try await NoProofClient.connect(.init(port: port, credential: ("cred-b", "s")))
            #expect(server.sessions.count(credentialID: "cred-a") == 1)
            // A call that never ends on its own, open when the revocation lands.
            let open = Task {
                try await revokedClient.unary(
                    .path("/noproof.v1.Test/Forever"), request: HealthCheckRequest(service: "open-call"),
                    as: HealthCheckResponse.self, timeout: .seconds(60))
            }
            // Wait until the server runs it: the task that sends it is not ordered with this one, so an
            // echo sent from here could overtake it (seen on a loaded machine: revoked before it was sent).
            for _ in 0..<1000 where server.statistics.callsInProgress < 1 {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.statistics.callsInProgress == 1, "the Forever call never started")
            #expect(server.sessions.revoke(credentialID: "cred-a", message: "credential cred-a was revoked: test") == 1)

            await #expect(throws: RPCError.self) { _ = try await open.value }
            do {
                _ = try await open.value
            } catch let error as RPCError {
                #expect(error.code == .unauthenticated)
                #expect(error.message.contains("cred-a was revoked"))
            }
            var names = cancelled.makeAsyncIterator()
            #expect(await names.next() == "open-call", "the server stopped the revoked session's work")
            do {
                _ = try await revokedClient.listMethods()
                Issue.record("a revoked session still answered")
            } catch let error as RPCError {
                #expect(error.code == .unauthenticated)
            }
            #expect(server.sessions.count(credentialID: "cred-a") == 0)
            #expect(try await otherClient.listMethods().methods.isEmpty == false)
            await otherClient.close()
        }
    }

    @Test func aCredentialRevokedWhileItsConnectionAuthenticatesIsRefused() async throws {
        let authenticator = GatedAuthenticator(gated: true)
        try await Self.withServer(authenticator) { server, port in
            let connecting = Task { try await NoProofClient.connect(.init(port: port, credential: ("cred-late", "s"))) }
            var entered = authenticator.entered.stream.makeAsyncIterator()
            _ = await entered.next()
            // The authenticator has checked the credential; the revocation lands before the session registers.
            #expect(server.sessions.revoke(credentialID: "cred-late", message: "credential cred-late was revoked meanwhile") == 0)
            authenticator.gate.continuation.yield()
            do {
                let client = try await connecting.value
                await client.close()
                Issue.record("a credential revoked during authentication got a session")
            } catch let error as RPCError {
                #expect(error.code == .unauthenticated)
                #expect(error.message.contains("revoked meanwhile"))
            }
            #expect(server.sessions.count(credentialID: "cred-late") == 0)
        }
    }
}
