import NIOCore
import NoProofClient
import NoProofCodec
import NoProofProtocol
import Synchronization
import Testing
@testable import NoProofServer

/// Unauthenticated exhaustion (issue 14), over real sockets: connection caps, the deadline to
/// authenticate, frame memory, the authentication throttle, metadata and answer sizes. Each
/// attack ends in a clear refusal and the server keeps serving another client.
@Suite("Connection hygiene over the socket")
struct ConnectionHygieneTests {
    static func othersAreServed(_ port: Int) async throws {
        try await HostileSocketTests.othersAreServed(port)
    }

    /// A clock the test moves (the throttle's backoff).
    final class ManualClock: Sendable {
        private let instant = Mutex(NIODeadline.uptimeNanoseconds(1_000_000_000))
        var now: NIODeadline { instant.withLock { $0 } }
        func advance(_ amount: TimeAmount) { instant.withLock { $0 = $0 + amount } }
    }

    static func refusal(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return error
        } catch {
            Issue.record("not an RPCError: \(error)")
            return nil
        }
    }

    // MARK: 1. Connection caps

    @Test(.timeLimit(.minutes(1)))
    func aConnectionPastTheServerWideCapGetsGoAwayResourceExhausted() async throws {
        var configuration = TestServices.configuration
        configuration.maxConnections = 3
        try await withTestServer(configuration: configuration) { server, port in
            var held: [RawConnection] = []
            for _ in 0..<3 {
                let raw = try await RawConnection(port: port)
                _ = try await raw.handshake()
                held.append(raw)
            }
            let refused = try await RawConnection(port: port)
            #expect(await refused.read(count: Preface.length) == Preface.bytes)
            let goAway = await refused.readFrame()?.goAway
            #expect(goAway?.code == StatusCode.resourceExhausted.rawValue)
            #expect(goAway?.message.contains("connection limit (3 open connections); retry later") == true)
            #expect(await refused.closedByServer())
            #expect(server.statistics.connectionsRefused == 1)
            // One held connection closes: its place is given back and another client is served.
            await held.removeFirst().close()
            #expect(try await HostileSocketTests.eventually { server.guards.admission.openConnections == 2 })
            try await Self.othersAreServed(port)
            for raw in held { await raw.close() }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func connectionsPastThePerSourceCapAreRefusedWhileAnotherSourceIsServed() async throws {
        var configuration = TestServices.configuration
        configuration.maxConnectionsPerSource = 2
        try await withTestServer(configuration: configuration) { server, port in
            var held: [RawConnection] = []
            for _ in 0..<2 {
                let raw = try await RawConnection(port: port, source: "127.0.0.1")
                _ = try await raw.handshake()
                held.append(raw)
            }
            let refused = try await RawConnection(port: port, source: "127.0.0.1")
            _ = await refused.read(count: Preface.length)
            let goAway = await refused.readFrame()?.goAway
            #expect(goAway?.code == StatusCode.resourceExhausted.rawValue)
            #expect(goAway?.message.contains("too many connections from this address (limit 2); reuse an open connection") == true)
            #expect(await refused.closedByServer())
            // Another source address is served.
            let other = try await RawConnection(port: port, source: "127.0.0.2")
            _ = try await other.handshake()
            try await other.send(RawConnection.call(1, method: "/noproof.v1.Health/Check"))
            #expect(await other.readFrame()?.type == .message)
            #expect(server.statistics.connectionsRefused == 1)
            for raw in held + [other] { await raw.close() }
        }
    }

    @Test func theDefaultServerWideCapLeavesAReserveBelowTheFileDescriptorLimit() {
        #expect(FileDescriptorBudget.defaultMaxConnections(softLimit: 1024) == 1024 - FileDescriptorBudget.reserve)
        #expect(FileDescriptorBudget.defaultMaxConnections(softLimit: nil) == nil)
        #expect(FileDescriptorBudget.defaultMaxConnections(softLimit: 20) == 16)
        #expect(ServerConfiguration().maxConnections == FileDescriptorBudget.defaultMaxConnections())
    }

    // MARK: 2. A deadline to authenticate; PINGs are not activity before it

    /// The GOAWAY among the frames received before the connection closed.
    static func goAwayBeforeClose(_ raw: RawConnection) async -> GoAway? {
        while let frame = await raw.readFrame() {
            if frame.type == .goAway { return frame.goAway }
        }
        return nil
    }

    /// Sends a PING and a health check every few milliseconds until the server sends GOAWAY.
    static func pingUntilGoAway(_ raw: RawConnection, rounds: Int = 2000) async throws -> GoAway? {
        for round in 0..<rounds {
            do {
                try await raw.send(
                    RawConnection.frame(.ping, callID: 0, [1, 2, 3, 4, 5, 6, 7, 8])
                        + RawConnection.call(UInt32(round + 1), method: "/noproof.v1.Health/Check"))
            } catch { return await Self.goAwayBeforeClose(raw) }  // closed after its GOAWAY
            for _ in 0..<2 {
                guard let frame = await raw.readFrame() else { return nil }
                if frame.type == .goAway { return frame.goAway }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    @Test(.timeLimit(.minutes(1)))
    func aConnectionThatDoesNotAuthenticateInTimeIsClosedThoughItPingsAndChecksHealth() async throws {
        var configuration = TestServices.configuration
        // Long enough that the authenticated client below finishes authenticating on a loaded machine;
        // the exact deadline is tested in virtual time (HostilePeerTests).
        configuration.authenticationTimeout = .seconds(5)
        try await withTestServer(configuration: configuration) { server, port in
            let unit = try await NoProofServerTests.client(port)  // authenticated at once
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            let goAway = try await Self.pingUntilGoAway(raw)
            #expect(goAway?.code == StatusCode.unauthenticated.rawValue)
            #expect(goAway?.message.contains("authenticate within 5s of connecting") == true)
            #expect(await raw.closedByServer())
            #expect(server.statistics.connectionsClosedUnauthenticated == 1)
            // The authenticated connection, older than the deadline, is still served.
            _ = try await unit.listMethods()
            await unit.close()
            try await Self.othersAreServed(port)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func pingsDoNotKeepAnUnauthenticatedConnectionPastTheIdleTimeout() async throws {
        var configuration = TestServices.configuration
        configuration.idleTimeout = .seconds(1)
        configuration.authenticationTimeout = .seconds(3600)
        try await withTestServer(configuration: configuration) { _, port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            var goAway: GoAway?
            for _ in 0..<2000 {
                do { try await raw.send(RawConnection.frame(.ping, callID: 0, [1, 2, 3, 4, 5, 6, 7, 8])) } catch {
                    goAway = await Self.goAwayBeforeClose(raw)
                    break
                }
                guard let frame = await raw.readFrame() else { break }
                if frame.type == .goAway {
                    goAway = frame.goAway
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(goAway?.message.contains("closing idle connection after 1s") == true)
            #expect(await raw.closedByServer())
            try await Self.othersAreServed(port)
        }
    }

    // MARK: 3. Memory: small frames before authenticating, a server-wide quota

    @Test(.timeLimit(.minutes(1)))
    func anUnauthenticatedConnectionMayNotSendALargeFrame() async throws {
        try await withTestServer { _, port in
            let raw = try await RawConnection(port: port)
            let settings = try await raw.handshake()
            #expect(settings.maxFrameSize == UInt32(Frame.defaultMaxPayload))
            // Only the header of a 100,000-byte CALL: refused before its payload arrives.
            try await raw.send([0, 1, 0x86, 0xA0, FrameType.call.rawValue, 0, 0, 0, 0, 1])
            let goAway = await raw.readFrame()?.goAway
            #expect(goAway?.code == StatusCode.resourceExhausted.rawValue)
            #expect(goAway?.message.contains("exceeds the limit of 65536 bytes for a connection that has not authenticated") == true)
            #expect(await raw.closedByServer())
            // Once authenticated, the same size is accepted.
            let unit = try await RawConnection(port: port)
            #expect(try await unit.authenticated()?.type == .message)
            let text = String(repeating: "x", count: 100_000)
            try await unit.send(
                RawConnection.call(
                    2, methodID: TestServices.echo.id,
                    payload: ProtoCodec.encode(HealthCheckRequest(service: text))))
            #expect(await unit.readFrame()?.type == .message)
            await unit.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func partialFramesPastTheServerMemoryQuotaAreRefusedBeforeBuffering() async throws {
        var configuration = TestServices.configuration
        configuration.memoryQuotaBytes = 1024 * 1024
        try await withTestServer(configuration: configuration) { server, port in
            let quota = try #require(server.guards.memory)
            let text = String(repeating: "x", count: 700_000)
            let call = RawConnection.call(2, methodID: TestServices.echo.id, payload: ProtoCodec.encode(HealthCheckRequest(service: text)))
            let first = try await RawConnection(port: port)
            #expect(try await first.authenticated()?.type == .message)
            let second = try await RawConnection(port: port)
            #expect(try await second.authenticated()?.type == .message)
            // The first holds an unfinished 700 KB frame: reserved from its header on.
            try await first.send(Array(call.prefix(1000)))
            #expect(try await HostileSocketTests.eventually { quota.reservedBytes >= call.count })
            // The second's frame does not fit: refused at its header.
            try await second.send(Array(call.prefix(1000)))
            let goAway = await second.readFrame()?.goAway
            #expect(goAway?.code == StatusCode.resourceExhausted.rawValue)
            #expect(goAway?.message.contains("at its quota (1048576 bytes); a frame of \(call.count) bytes does not fit") == true)
            #expect(await second.closedByServer())
            #expect(server.statistics.connectionsClosedForMemoryQuota == 1)
            // The first finishes its frame and is answered; the reservation is given back.
            try await first.send(Array(call.dropFirst(1000)))
            #expect(await first.readFrame()?.type == .message)
            #expect(try await HostileSocketTests.eventually { quota.reservedBytes == 0 })
            await first.close()
            try await Self.othersAreServed(port)
        }
    }

    // MARK: 4. Authenticate throttling

    @Test(.timeLimit(.minutes(1)))
    func repeatedFailuresBackOffPerSourceAndPerCredentialAndSuccessResets() async throws {
        let clock = ManualClock()
        var configuration = TestServices.configuration
        // Not what this test is about: a loaded machine must not close its connections for not authenticating in time.
        configuration.authenticationTimeout = .seconds(3600)
        let guards = ConnectionGuards(configuration: configuration, now: { clock.now })
        try await withTestServer(configuration: configuration, guards: guards) { _, port in
            let client = try await NoProofServerTests.client(port, authenticated: false)
            for _ in 0..<5 {
                let error = await Self.refusal { _ = try await client.authenticate(credentialID: "test-unit", secret: "wrong") }
                #expect(error?.code == .unauthenticated)
            }
            // Backing off: even the right secret is refused now, without being checked.
            let throttled = await Self.refusal { _ = try await client.authenticate(credentialID: "test-unit", secret: "test-secret") }
            #expect(throttled?.code == .resourceExhausted)
            #expect(throttled?.message.contains("too many failed authentications for this credential (5 in a row); retry after 250 ms") == true)
            // From another address the credential backs off too; another id from there does not.
            let elsewhere = try await RawConnection(port: port, source: "127.0.0.2")
            #expect(try await elsewhere.authenticated()?.status?.code == StatusCode.resourceExhausted.rawValue)
            try await elsewhere.send(RawConnection.authenticate(2, credentialID: "someone-else", secret: "x"))
            #expect(await elsewhere.readFrame()?.status?.code == StatusCode.unauthenticated.rawValue)
            // From this address any id backs off.
            let fromHere = await Self.refusal { _ = try await client.authenticate(credentialID: "someone-else", secret: "x") }
            #expect(fromHere?.code == .resourceExhausted)
            // After the wait one more failure doubles it ...
            clock.advance(.milliseconds(250))
            _ = await Self.refusal { _ = try await client.authenticate(credentialID: "test-unit", secret: "wrong") }
            let doubled = await Self.refusal { _ = try await client.authenticate(credentialID: "test-unit", secret: "test-secret") }
            #expect(doubled?.message.contains("(6 in a row); retry after 500 ms") == true)
            // ... and a success resets it.
            clock.advance(.milliseconds(500))
            _ = try await client.authenticate(credentialID: "test-unit", secret: "test-secret")
            let fresh = await Self.refusal { _ = try await client.authenticate(credentialID: "test-unit", secret: "wrong") }
            #expect(fresh?.code == .unauthenticated)
            _ = try await client.listMethods()
            await client.close()
            await elsewhere.close()
            try await Self.othersAreServed(port)
        }
    }

    // MARK: 5. Metadata size

    @Test(.timeLimit(.minutes(1)))
    func callMetadataOverEightKiBIsResourceExhaustedAndTheConnectionLives() async throws {
        try await withTestServer { _, port in
            let raw = try await RawConnection(port: port)
            _ = try await raw.handshake()
            let metadata: Metadata = ["staff": "agent-1", "note": String(repeating: "m", count: 8200)]
            try await raw.send(RawConnection.call(1, method: "/noproof.v1.Health/Check", metadata: metadata))
            let status = await raw.readFrame()
            #expect(status?.callID == 1)
            #expect(status?.status?.code == StatusCode.resourceExhausted.rawValue)
            #expect(status?.status?.message.contains("call metadata is 8216 bytes (keys and values), over the limit of 8192 bytes") == true)
            // Within the limit, the same connection is served.
            try await raw.send(RawConnection.call(2, method: "/noproof.v1.Health/Check", metadata: ["note": String(repeating: "m", count: 8000)]))
            #expect(await raw.readFrame()?.type == .message)
            await raw.close()
            try await Self.othersAreServed(port)
        }
    }

    // MARK: 6. No answer over max_frame_size

    @Test(.timeLimit(.minutes(1)))
    func anAnswerOverMaxFrameSizeFailsWithResourceExhaustedAndTheConnectionLives() async throws {
        var configuration = TestServices.configuration
        configuration.maxFramePayload = 16 * 1024
        try await withTestServer(configuration: configuration) { _, port in
            let raw = try await RawConnection(port: port)
            #expect(try await raw.handshake().maxFrameSize == 16 * 1024)
            try await raw.send(RawConnection.call(1, methodID: TestServices.big.id, payload: ProtoCodec.encode(HealthCheckRequest(service: "100000"))))
            let status = await raw.readFrame()
            #expect(status?.type == .status)
            #expect(status?.status?.code == StatusCode.resourceExhausted.rawValue)
            #expect(status?.status?.message.contains("over max_frame_size 16384; ask for less") == true)
            try await raw.send(RawConnection.call(2, methodID: TestServices.big.id, payload: ProtoCodec.encode(HealthCheckRequest(service: "10"))))
            #expect(await raw.readFrame()?.type == .message)
            await raw.close()
            try await Self.othersAreServed(port)
        }
    }
}
