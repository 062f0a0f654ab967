import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import NoProofTestSupport
import Testing
@testable import NoProofServer

/// The in-process transport: a socket pair, the server's real connection pipeline on one end and
/// a `NoProofClient` on the other, no listener and no port.
@Suite("Server and client in process")
struct ConnectedSocketTests {
    /// The connection clocks (handshake, authentication) far beyond any test's length: on a loaded
    /// machine a test must not depend on authenticating within the default 10 s.
    static func server(configuration given: ServerConfiguration = TestServices.configuration) -> NoProofServer {
        var configuration = given
        configuration.handshakeTimeout = .minutes(10)
        configuration.authenticationTimeout = .minutes(10)
        return NoProofServer(
            configuration: configuration, registry: TestServices.registry(), authenticator: TestServices.authenticator,
            logger: TestServices.logger)
    }

    static var credential: (id: String, secret: String) { ("test-unit", "test-secret") }

    @Test(.timeLimit(.minutes(1)))
    func callsGoThroughTheServersPipeline() async throws {
        let server = Self.server()
        try await withInProcessServer(server) { transport in
            let anonymous = try await transport.connect()
            #expect(anonymous.settings.authenticationRequired)
            // The call handler's state machine refuses an unauthenticated listing, as over TCP.
            #expect(await failureCode { _ = try await anonymous.listMethods() } == .unauthenticated)
            let client = try await transport.connect(.init(credential: Self.credential))
            #expect(client.session?.unitCode == "11370400MB0000001R")
            let answer = try await client.unary(
                .id(100), request: HealthCheckRequest(service: "hello"), as: HealthCheckResponse.self, metadata: ["staff": "S-1"])
            #expect(answer.serverName == "hello")
            #expect(answer.serverVersion == "S-1")
            #expect(server.statistics.connectionsTotal == 2)
            #expect(server.statistics.connectionsAuthenticated == 1)
            #expect(transport.openConnections == 2)
            await anonymous.close()
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aClientClosingEndsItsServerSide() async throws {
        try await withInProcessServer(Self.server()) { transport in
            let client = try await transport.connect(.init(credential: Self.credential))
            #expect(try await client.health().status == .serving)
            await client.close()
            // The server reads the end of the stream (the channel allows half-closure) and closes
            // its side by itself, before any shutdown.
            while transport.openConnections > 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func shutdownLetsACallInProgressFinishThenClosesEveryConnection() async throws {
        // The default grace period (10 s), far longer than the call.
        let server = Self.server(configuration: ServerConfiguration())
        let transport = InProcessTransport(server: server)
        let client = try await transport.connect(.init(credential: Self.credential))
        let idle = try await transport.connect()
        let tag = "100-\(UInt64.random(in: 0 ... .max))"
        let slow = Task {
            try await client.unary(.path("/noproof.v1.Test/Sleep"), request: HealthCheckRequest(service: tag), as: HealthCheckResponse.self)
        }
        while !TestServices.sleepsStarted.withLock({ $0.contains(tag) }) { try await Task.sleep(for: .milliseconds(5)) }
        await transport.shutDown()
        #expect(try await slow.value.serverName == tag)
        #expect(transport.openConnections == 0)
        #expect(server.statistics.connectionsOpen == 0)
        // Both clients saw their connection end, and the transport takes no new one.
        #expect(await failureCode { _ = try await client.health() } == .unavailable)
        #expect(await failureCode { _ = try await idle.health() } == .unavailable)
        #expect(await failureCode { _ = try await transport.connect() } == .unavailable)
    }
}
