import NIOCore
import NIOEmbedded
import NIOExtras
import NoProofCodec
import NoProofProtocol
import Testing
@testable import NoProofServer

/// Drives the channel handler on a testing event loop whose clock the test moves: deadlines,
/// idle timeouts, keepalive and the shutdown grace period, without sleeping.
@Suite("ServerConnectionHandler (virtual time)")
struct ServerConnectionHandlerTests {
    static func configuration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .seconds(60)
        configuration.keepaliveInterval = .seconds(20)
        configuration.keepaliveTimeout = .seconds(10)
        configuration.shutdownGracePeriod = .seconds(5)
        // These connections never authenticate; the deadline to authenticate has its own tests
        // (ConnectionHygieneTests).
        configuration.authenticationTimeout = .seconds(3600)
        return configuration
    }

    struct Harness {
        let channel: NIOAsyncTestingChannel
        var received = ByteBuffer()

        init(
            configuration: ServerConfiguration = ServerConfiguration(), statistics: ServerStatistics = ServerStatistics(),
            handshake: Bool = true
        ) async throws {
            let channel = NIOAsyncTestingChannel()
            var registry = TestServices.registry()
            BuiltinServices.register(in: &registry, configuration: configuration, authenticator: TestServices.authenticator)
            let frozen = registry
            try await channel.testingEventLoop.executeInContext {
                try ServerConnectionHandler.addConnectionHandlers(
                    to: channel.pipeline.syncOperations, configuration: configuration, registry: frozen,
                    logger: TestServices.logger, statistics: statistics
                )
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
            self.channel = channel
            guard handshake else { return }
            try await channel.writeInbound(ByteBuffer(bytes: Preface.bytes))
            var preface = try await collect()
            #expect(preface.readBytes(length: Preface.length) == Preface.bytes)
            let settings = try FrameDecoder().decode(from: &preface)
            #expect(settings?.type == .settings)
            received = preface
        }

        mutating func collect() async throws -> ByteBuffer {
            var all = ByteBuffer()
            while var next = try await channel.readOutbound(as: ByteBuffer.self) { all.writeBuffer(&next) }
            return all
        }

        /// Every frame written since the last call.
        mutating func frames() async throws -> [Frame] {
            var more = try await collect()
            received.writeBuffer(&more)
            var frames: [Frame] = []
            while let frame = try FrameDecoder().decode(from: &received) { frames.append(frame) }
            return frames
        }

        func send(_ bytes: [UInt8]) async throws {
            try await channel.writeInbound(ByteBuffer(bytes: bytes))
        }

        func advance(_ amount: TimeAmount) async {
            await channel.testingEventLoop.advanceTime(by: amount)
        }

        /// Lets tasks started by the handler run and hop back.
        func settle() async throws {
            for _ in 0..<20 {
                try await Task.sleep(for: .milliseconds(5))
                await channel.testingEventLoop.run()
            }
        }
    }

    @Test func inlineCallIsAnsweredInTheSameReadWithEndOK() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        try await harness.send(RawConnection.call(1, method: "/noproof.v1.Health/Check"))
        let frames = try await harness.frames()
        #expect(frames.count == 1)
        #expect(frames.first?.type == .message)
        #expect(frames.first?.flags == FrameFlags.endOK)
        let answer = try frames.first!.payload.readableProto(as: HealthCheckResponse.self)
        #expect(answer.status == .serving)
    }

    @Test func deadlineIsEnforcedAndTheWorkIsStopped() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        try await harness.send(RawConnection.call(7, methodID: TestServices.forever.id, timeoutMicros: 2_000_000))
        await harness.advance(.seconds(1))
        #expect(try await harness.frames().isEmpty)
        await harness.advance(.seconds(1))
        let frames = try await harness.frames()
        #expect(frames.count == 1)
        #expect(frames.first?.callID == 7)
        #expect(frames.first?.status?.code == StatusCode.deadlineExceeded.rawValue)
        // The task's late completion writes nothing more.
        try await harness.settle()
        #expect(try await harness.frames().isEmpty)
    }

    @Test func idleConnectionGetsGoAwayAndIsClosed() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        await harness.advance(.seconds(59))
        #expect(try await harness.frames().isEmpty)
        #expect(harness.channel.isActive)
        await harness.advance(.seconds(2))
        let frames = try await harness.frames()
        #expect(frames.last?.type == .goAway)
        #expect(frames.last?.goAway?.message.contains("idle") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func keepalivePingsThenClosesASilentPeerWithCallsOpen() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        try await harness.send(RawConnection.call(1, methodID: TestServices.forever.id))
        await harness.advance(.seconds(21))
        let pings = try await harness.frames()
        #expect(pings.map(\.type) == [.ping])
        #expect(pings.first?.payload.readableBytes == 8)
        await harness.advance(.seconds(11))
        let frames = try await harness.frames()
        #expect(frames.last?.type == .goAway)
        #expect(frames.last?.goAway?.code == StatusCode.unavailable.rawValue)
        #expect(!harness.channel.isActive)
    }

    @Test func answeredPingKeepsTheConnection() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        try await harness.send(RawConnection.call(1, methodID: TestServices.forever.id))
        await harness.advance(.seconds(21))
        let ping = try await harness.frames().first!
        try await harness.send(RawConnection.frame(.pong, callID: 0, Array(ping.payload.readableBytesView)))
        await harness.advance(.seconds(11))
        #expect(harness.channel.isActive)
    }

    @Test func gracefulShutdownCutsOffCallsAfterTheGracePeriod() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        try await harness.send(RawConnection.call(3, methodID: TestServices.forever.id))
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        await harness.channel.testingEventLoop.run()
        let goAway = try await harness.frames()
        #expect(goAway.map(\.type) == [.goAway])
        #expect(goAway.first?.goAway?.lastCallID == 3)
        // New calls are refused while draining.
        try await harness.send(RawConnection.call(5, method: "/noproof.v1.Health/Check"))
        let refused = try await harness.frames()
        #expect(refused.first?.status?.code == StatusCode.unavailable.rawValue)
        await harness.advance(.seconds(6))
        let cut = try await harness.frames()
        #expect(cut.first?.callID == 3)
        #expect(cut.first?.status?.code == StatusCode.unavailable.rawValue)
        #expect(!harness.channel.isActive)
    }
}
