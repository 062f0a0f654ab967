import NIOCore
import NIOEmbedded
import NIOExtras
import NoProofCodec
import NoProofProtocol
import Testing
@testable import NoProofServer

/// Drives the connection's clocks on a testing event loop whose clock the test moves: first the
/// management handler alone, with a stand-in call handler recording what it is told, then the
/// real pair of handlers. No sleeps: time is `advanceTime`.
@Suite("ServerConnectionManagementHandler (virtual time)")
struct ServerConnectionManagementHandlerTests {
    typealias Harness = ServerConnectionHandlerTests.Harness

    /// Stands in for the call handler: answers the management handler's questions from its
    /// fields and records what it was told.
    /// Touched by the test task and the testing event loop, one at a time.
    final class Connection: ManagedConnection, @unchecked Sendable {
        var isAwaitingPreface = false
        var isClosing = false
        var openCallCount = 0
        var ranOut: [ServerConnectionManagementStateMachine.Action] = []
        var drained = 0
        var graceExpiries = 0

        func clockRanOut(_ timeout: ServerConnectionManagementStateMachine.Action) -> Bool {
            ranOut.append(timeout)
            isClosing = true
            return true
        }

        func ticked() {}

        func drain() -> Bool {
            drained += 1
            return openCallCount > 0
        }

        func graceExpired() {
            graceExpiries += 1
            isClosing = true
        }
    }

    /// The management handler alone on a channel, its connection the stand-in.
    static func managed(_ connection: Connection, configuration: ServerConfiguration = ServerConnectionHandlerTests.configuration())
        async throws -> NIOAsyncTestingChannel
    {
        let channel = NIOAsyncTestingChannel()
        try await channel.testingEventLoop.executeInContext {
            let handler = ServerConnectionManagementHandler(configuration: configuration, logger: TestServices.logger)
            handler.connection = connection
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
        return channel
    }

    /// What the call handler reports on every read: bytes arrived.
    static func bytesReceived(_ channel: NIOAsyncTestingChannel) async throws {
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.handler(type: ServerConnectionManagementHandler.self)
                .bytesReceived(at: channel.testingEventLoop.now)
        }
    }

    // MARK: The management handler alone

    @Test func theHandshakeClockRunsOutAtTheHandshakeTimeout() async throws {
        let connection = Connection()
        connection.isAwaitingPreface = true
        var configuration = ServerConnectionHandlerTests.configuration()
        configuration.handshakeTimeout = .seconds(10)
        let channel = try await Self.managed(connection, configuration: configuration)
        await channel.testingEventLoop.advanceTime(by: .seconds(9))
        #expect(connection.ranOut.isEmpty)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(connection.ranOut == [.handshakeTimedOut])
    }

    @Test func aPingIsSentAfterTheKeepaliveIntervalWithCallsOpen() async throws {
        let connection = Connection()
        connection.openCallCount = 1
        let channel = try await Self.managed(connection)  // keepalive every 20 s
        await channel.testingEventLoop.advanceTime(by: .seconds(19))
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        var written = try #require(try await channel.readOutbound(as: ByteBuffer.self))
        let ping = try #require(try FrameDecoder().decode(from: &written))
        #expect(ping.type == .ping)
        #expect(ping.payload.readableBytes == 8)
        #expect(connection.ranOut.isEmpty)
    }

    @Test func callsInFlightAreNotShedByTheIdleTimeout() async throws {
        let connection = Connection()
        connection.openCallCount = 1
        let channel = try await Self.managed(connection)  // idle after 60 s without calls, ticks every 2.5 s
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.handler(type: ServerConnectionManagementHandler.self).authenticated()
        }
        // Five idle timeouts long, the peer answering every PING at once (any bytes do).
        var pings = 0
        for _ in 0..<120 {
            await channel.testingEventLoop.advanceTime(by: .milliseconds(2500))
            while try await channel.readOutbound(as: ByteBuffer.self) != nil {
                pings += 1
                try await Self.bytesReceived(channel)
            }
        }
        #expect(pings >= 10)
        #expect(connection.ranOut.isEmpty)
        // The last call done, the idle clock runs from the last bytes received.
        try await Self.bytesReceived(channel)
        connection.openCallCount = 0
        await channel.testingEventLoop.advanceTime(by: .seconds(59))
        #expect(connection.ranOut.isEmpty)
        await channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(connection.ranOut == [.idleTimedOut])
    }

    @Test func quiesceDrainsThenEndsTheCallsAfterTheGrace() async throws {
        let connection = Connection()
        connection.openCallCount = 2
        let channel = try await Self.managed(connection)  // grace 5 s
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())  // once is enough
        await channel.testingEventLoop.run()
        #expect(connection.drained == 1)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(4999))
        #expect(connection.graceExpiries == 0)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(1))
        #expect(connection.graceExpiries == 1)
    }

    @Test func quiesceWithNoCallsOpenStartsNoGrace() async throws {
        let connection = Connection()
        let channel = try await Self.managed(connection)
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        await channel.testingEventLoop.advanceTime(by: .seconds(10))
        #expect(connection.drained == 1)
        #expect(connection.graceExpiries == 0)
    }

    // MARK: With the call handler

    @Test func handshakeTimeoutSendsGoAwayAndCloses() async throws {
        var configuration = ServerConnectionHandlerTests.configuration()
        configuration.handshakeTimeout = .seconds(10)
        var harness = try await Harness(configuration: configuration, handshake: false)
        try await harness.send(Array(Preface.bytes.prefix(3)))
        await harness.advance(.seconds(9))
        #expect(harness.channel.isActive)
        await harness.advance(.seconds(1))
        var written = try await harness.collect()
        #expect(written.readBytes(length: Preface.length) == Preface.bytes)
        let goAway = try FrameDecoder().decode(from: &written)?.goAway
        #expect(goAway?.code == StatusCode.deadlineExceeded.rawValue)
        #expect(goAway?.message.contains("got 3 of 8 bytes") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func aConnectionWithACallInFlightOutlivesTheIdleTimeout() async throws {
        var harness = try await Harness(configuration: ServerConnectionHandlerTests.configuration())
        try await harness.send(RawConnection.call(1, methodID: TestServices.forever.id))
        for _ in 0..<10 {  // 200 s: over three idle timeouts
            await harness.advance(.seconds(20))
            for frame in try await harness.frames() {
                #expect(frame.type == .ping)
                try await harness.send(RawConnection.frame(.pong, callID: 0, Array(frame.payload.readableBytesView)))
            }
        }
        #expect(harness.channel.isActive)
    }

    @Test func quiesceWithNoCallsSendsGoAwayAndClosesAtOnce() async throws {
        var harness = try await Harness(configuration: ServerConnectionHandlerTests.configuration())
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        await harness.channel.testingEventLoop.run()
        let frames = try await harness.frames()
        #expect(frames.map(\.type) == [.goAway])
        #expect(frames.first?.goAway?.code == StatusCode.ok.rawValue)
        #expect(!harness.channel.isActive)
    }
}
