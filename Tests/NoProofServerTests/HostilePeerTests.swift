import NIOCore
import NIOEmbedded
import NoProofCodec
import NoProofProtocol
import Synchronization
import Testing
@testable import NoProofServer

/// Slow, non-reading and too many peers, on the testing event loop whose clock the test moves:
/// the handshake and frame deadlines, pausing while the peer does not read, and shedding past
/// the server-wide number of calls in progress (docs/RELIABILITY.md).
@Suite("Hostile peers (virtual time)")
struct HostilePeerTests {
    typealias Harness = ServerConnectionHandlerTests.Harness

    static func configuration() -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .seconds(120)
        configuration.keepaliveInterval = .seconds(60)
        configuration.keepaliveTimeout = .seconds(20)
        configuration.handshakeTimeout = .seconds(10)
        configuration.frameTimeout = .seconds(30)
        // These connections never authenticate; the deadline to authenticate has its own tests
        // (ConnectionHygieneTests).
        configuration.authenticationTimeout = .seconds(3600)
        return configuration
    }

    @Test func prefaceDribbledPastTheHandshakeTimeoutIsRefusedWithAReason() async throws {
        var harness = try await Harness(configuration: Self.configuration(), handshake: false)
        for byte in Preface.bytes.prefix(4) {
            try await harness.send([byte])
            await harness.advance(.seconds(2))  // each byte "keeps the connection busy"
        }
        #expect(harness.channel.isActive)
        await harness.advance(.seconds(3))
        var bytes = try await harness.collect()
        #expect(bytes.readBytes(length: Preface.length) == Preface.bytes)
        let goAway = try FrameDecoder().decode(from: &bytes)
        #expect(goAway?.type == .goAway)
        #expect(goAway?.goAway?.code == StatusCode.deadlineExceeded.rawValue)
        #expect(goAway?.goAway?.message.contains("preface not received within 10s (got 4 of 8 bytes)") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func prefaceInTimeIsAccepted() async throws {
        var harness = try await Harness(configuration: Self.configuration(), handshake: false)
        await harness.advance(.seconds(9))
        try await harness.send(Preface.bytes)
        await harness.advance(.seconds(5))
        var bytes = try await harness.collect()
        #expect(bytes.readBytes(length: Preface.length) == Preface.bytes)
        #expect(try FrameDecoder().decode(from: &bytes)?.type == .settings)
        #expect(harness.channel.isActive)
    }

    @Test func frameDribbledByteByByteIsCutOffAtTheFrameTimeout() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        let call = RawConnection.call(1, method: "/noproof.v1.Health/Check")
        // One byte a second: the idle timeout never fires (bytes keep arriving), the frame deadline does.
        for byte in call.prefix(29) {
            try await harness.send([byte])
            await harness.advance(.seconds(1))
        }
        #expect(try await harness.frames().isEmpty)
        #expect(harness.channel.isActive)
        try await harness.send([call[29]])
        await harness.advance(.seconds(2))
        let frames = try await harness.frames()
        #expect(frames.map(\.type) == [.goAway])
        #expect(frames.first?.goAway?.code == StatusCode.deadlineExceeded.rawValue)
        #expect(frames.first?.goAway?.message.contains("frame not completed within 30s of its first byte (got 30 of \(call.count) bytes)") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func slowButTimelyFramesAreServedAndEachGetsItsOwnDeadline() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        let first = RawConnection.call(1, method: "/noproof.v1.Health/Check")
        let second = RawConnection.call(2, method: "/noproof.v1.Health/Check")
        try await harness.send(Array(first.prefix(5)))
        await harness.advance(.seconds(25))
        // The rest of the first frame and the start of the second in one read: the second's clock starts now.
        try await harness.send(Array(first.dropFirst(5)) + Array(second.prefix(5)))
        await harness.advance(.seconds(25))
        #expect(try await harness.frames().map(\.callID) == [1])
        #expect(harness.channel.isActive)
        try await harness.send(Array(second.dropFirst(5)))
        await harness.advance(.seconds(25))
        #expect(try await harness.frames().map(\.callID) == [2])
        #expect(harness.channel.isActive)
    }

    @Test func callsWaitWhileThePeerIsNotReadingAndRunOnceItIs() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        harness.channel.isWritable = false
        harness.channel.pipeline.fireChannelWritabilityChanged()
        var calls: [UInt8] = []
        for id in UInt32(1)...3 { calls += RawConnection.call(id, method: "/noproof.v1.Health/Check") }
        try await harness.send(RawConnection.call(9, method: "/noproof.v1.Health/Check") + calls)
        // Not one call started: nothing is answered, nothing queued behind an unread socket.
        #expect(try await harness.frames().isEmpty)
        // A dribbling peer is not blamed for the frames we hold back.
        await harness.advance(.seconds(40))
        #expect(harness.channel.isActive)
        harness.channel.isWritable = true
        harness.channel.pipeline.fireChannelWritabilityChanged()
        await harness.channel.testingEventLoop.run()
        let frames = try await harness.frames()
        #expect(frames.map(\.callID) == [9, 1, 2, 3])
        #expect(frames.allSatisfy { $0.type == .message })
    }

    @Test func halfCloseWhileCallsWaitServesThemFirst() async throws {
        var harness = try await Harness(configuration: Self.configuration())
        harness.channel.isWritable = false
        harness.channel.pipeline.fireChannelWritabilityChanged()
        try await harness.send(RawConnection.call(1, method: "/noproof.v1.Health/Check"))
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        await harness.channel.testingEventLoop.run()
        #expect(harness.channel.isActive)
        harness.channel.isWritable = true
        harness.channel.pipeline.fireChannelWritabilityChanged()
        await harness.channel.testingEventLoop.run()
        let frames = try await harness.frames()
        #expect(frames.map(\.callID) == [1])
        #expect(frames.first?.type == .message)
        #expect(!harness.channel.isActive)
    }

    @Test func theDeadlineToAuthenticateIsNotExtendedByPingsOrHealthChecks() async throws {
        var configuration = Self.configuration()
        configuration.authenticationTimeout = .seconds(10)
        var harness = try await Harness(configuration: configuration)
        for second in 1...9 {
            try await harness.send(
                RawConnection.frame(.ping, callID: 0, [1, 2, 3, 4, 5, 6, 7, 8])
                    + RawConnection.call(UInt32(second), method: "/noproof.v1.Health/Check"))
            await harness.advance(.seconds(1))
        }
        #expect(try await harness.frames().map(\.type) == Array(repeating: [FrameType.pong, .message], count: 9).flatMap { $0 })
        #expect(harness.channel.isActive)
        await harness.advance(.seconds(2))
        let frames = try await harness.frames()
        #expect(frames.map(\.type) == [.goAway])
        #expect(frames.first?.goAway?.code == StatusCode.unauthenticated.rawValue)
        #expect(frames.first?.goAway?.message.contains("authenticate within 10s of connecting") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func pingsAloneDoNotHoldAnUnauthenticatedConnectionPastTheIdleTimeout() async throws {
        var harness = try await Harness(configuration: Self.configuration())  // idle 120 s, no deadline to authenticate
        for _ in 0..<12 {
            try await harness.send(RawConnection.frame(.ping, callID: 0, [1, 2, 3, 4, 5, 6, 7, 8]))
            await harness.advance(.seconds(10))
        }
        await harness.advance(.seconds(2))
        let frames = try await harness.frames()
        #expect(frames.last?.type == .goAway)
        #expect(frames.last?.goAway?.message.contains("closing idle connection after 120s") == true)
        #expect(!harness.channel.isActive)
    }

    @Test func callsPastTheServerWideLimitAreShedWithUnavailable() async throws {
        var configuration = Self.configuration()
        configuration.maxCallsInProgress = 2
        let statistics = ServerStatistics()
        var harness = try await Harness(configuration: configuration, statistics: statistics)
        var flood: [UInt8] = []
        for id in UInt32(1)...3 { flood += RawConnection.call(id, methodID: TestServices.forever.id) }
        // Inline calls are never shed: they do not wait.
        flood += RawConnection.call(4, method: "/noproof.v1.Health/Check")
        try await harness.send(flood)
        let frames = try await harness.frames()
        #expect(frames.map(\.callID) == [3, 4])
        #expect(frames.first?.status?.code == StatusCode.unavailable.rawValue)
        #expect(frames.first?.status?.message.contains("server overloaded") == true)
        #expect(frames.last?.type == .message)
        #expect(statistics.callsInProgress == 2)
        #expect(statistics.callsShed == 1)
        // A finished call frees its place.
        try await harness.send(RawConnection.frame(.cancel, callID: 1))
        try await harness.send(RawConnection.call(5, methodID: TestServices.forever.id))
        #expect(try await harness.frames().isEmpty)  // call 5 runs
        #expect(statistics.callsInProgress == 2)
        try await harness.channel.close()
        await harness.channel.testingEventLoop.run()
        #expect(statistics.callsInProgress == 0)
    }

    /// Calls refused before their implementation runs reach the call observer (the metrics'
    /// `noproof_calls_total`): shed with the method's path, an unknown method and a malformed CALL
    /// header without one (a client's path is not a label value).
    @Test func callsRefusedBeforeTheirImplementationAreObserved() async throws {
        final class Refusals: CallObserver {
            let seen = Mutex<[(String?, StatusCode)]>([])
            func callEnded(methodPath: String, status: StatusCode, duration: Duration) {}
            func callRefused(methodPath: String?, status: StatusCode) { seen.withLock { $0.append((methodPath, status)) } }
        }
        let refusals = Refusals()
        var configuration = Self.configuration()
        configuration.maxCallsInProgress = 1
        configuration.callObserver = refusals
        var harness = try await Harness(configuration: configuration, statistics: ServerStatistics())
        var calls = RawConnection.call(1, methodID: TestServices.forever.id) + RawConnection.call(2, methodID: TestServices.forever.id)
        calls += RawConnection.call(3, method: "/no.such.Service/Nothing")
        calls += RawConnection.frame(.call, callID: 4, [0xFF, 0xFF, 0xFF])
        try await harness.send(calls)
        let frames = try await harness.frames()
        #expect(frames.map(\.callID) == [2, 3, 4])
        let seen = refusals.seen.withLock { $0 }
        #expect(seen.map(\.0) == [TestServices.forever.path, nil, nil])
        #expect(seen.map(\.1) == [.unavailable, .unimplemented, .invalidArgument])
        try await harness.channel.close()
        await harness.channel.testingEventLoop.run()
    }
}
