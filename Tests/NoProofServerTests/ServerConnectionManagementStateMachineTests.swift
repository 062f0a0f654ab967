import NIOCore
import Testing
@testable import NoProofServer

/// The connection clocks without a socket or an event loop: the test says what time it is.
@Suite("ServerConnectionManagementStateMachine")
struct ServerConnectionManagementStateMachineTests {
    typealias Machine = ServerConnectionManagementStateMachine

    static let opened = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func at(_ amount: TimeAmount) -> NIODeadline { opened + amount }

    static func machine(authentication: TimeAmount? = .seconds(10)) -> Machine {
        Machine(
            configuration: .init(
                handshakeTimeout: .seconds(5), authenticationTimeout: authentication, frameTimeout: .seconds(30),
                idleTimeout: .seconds(60), keepaliveInterval: .seconds(20), keepaliveTimeout: .seconds(10)),
            openedAt: opened)
    }

    @Test func handshakeDeadlineRunsFromOpening() {
        let machine = Self.machine()
        #expect(machine.checkDeadlines(now: Self.at(.seconds(4)), awaitingPreface: true, peerReading: true) == .none)
        #expect(machine.checkDeadlines(now: Self.at(.seconds(5)), awaitingPreface: true, peerReading: true) == .handshakeTimedOut)
    }

    @Test func authenticationDeadlineIsNotExtendedByActivity() {
        var machine = Self.machine()
        machine.bytesReceived(at: Self.at(.seconds(9)))
        machine.frameReceived(isPing: false, at: Self.at(.seconds(9)))
        #expect(machine.checkDeadlines(now: Self.at(.seconds(9)), awaitingPreface: false, peerReading: true) == .none)
        #expect(machine.checkDeadlines(now: Self.at(.seconds(10)), awaitingPreface: false, peerReading: true) == .authenticationTimedOut)
        machine.authenticated()
        #expect(machine.isAuthenticated)
        #expect(machine.checkDeadlines(now: Self.at(.seconds(100)), awaitingPreface: false, peerReading: true) == .none)
    }

    @Test func withoutAuthenticationEveryByteCounts() {
        let machine = Self.machine(authentication: nil)
        #expect(machine.countsEveryByte)
        #expect(machine.checkDeadlines(now: Self.at(.seconds(100)), awaitingPreface: false, peerReading: true) == .none)
    }

    @Test func pingsDoNotKeepAnUnauthenticatedConnectionAlive() {
        var machine = Self.machine(authentication: .seconds(3600))
        #expect(!machine.countsEveryByte)
        machine.bytesReceived(at: Self.at(.seconds(50)))
        machine.frameReceived(isPing: true, at: Self.at(.seconds(50)))
        #expect(machine.checkActivity(now: Self.at(.seconds(60)), openCalls: 0) == .idleTimedOut)
        var other = Self.machine(authentication: .seconds(3600))
        other.frameReceived(isPing: false, at: Self.at(.seconds(50)))
        #expect(other.checkActivity(now: Self.at(.seconds(60)), openCalls: 0) == .none)
        #expect(other.checkActivity(now: Self.at(.seconds(110)), openCalls: 0) == .idleTimedOut)
    }

    @Test func idleTimeoutCountsFromTheLastByte() {
        var machine = Self.machine(authentication: nil)
        machine.bytesReceived(at: Self.at(.seconds(30)))
        #expect(machine.checkActivity(now: Self.at(.seconds(89)), openCalls: 0) == .none)
        #expect(machine.checkActivity(now: Self.at(.seconds(90)), openCalls: 0) == .idleTimedOut)
    }

    @Test func quietPeerWithCallsOpenGetsAPingThenIsClosed() {
        var machine = Self.machine(authentication: nil)
        #expect(machine.checkActivity(now: Self.at(.seconds(19)), openCalls: 1) == .none)
        #expect(machine.checkActivity(now: Self.at(.seconds(20)), openCalls: 1) == .sendPing)
        // One PING at a time.
        #expect(machine.checkActivity(now: Self.at(.seconds(25)), openCalls: 1) == .none)
        #expect(machine.checkActivity(now: Self.at(.seconds(30)), openCalls: 1) == .keepaliveTimedOut)
    }

    @Test func anyBytesAnswerThePing() {
        var machine = Self.machine(authentication: nil)
        #expect(machine.checkActivity(now: Self.at(.seconds(20)), openCalls: 1) == .sendPing)
        machine.bytesReceived(at: Self.at(.seconds(25)))
        #expect(machine.checkActivity(now: Self.at(.seconds(30)), openCalls: 1) == .none)
        #expect(machine.checkActivity(now: Self.at(.seconds(45)), openCalls: 1) == .sendPing)
    }

    @Test func slowLorisClockRunsFromTheFirstByteOfAnIncompleteFrame() {
        var machine = Self.machine(authentication: nil)
        machine.framesTaken(bufferedBytes: 3, decodedAny: false, at: Self.at(.seconds(1)))
        // More bytes of the same frame do not restart the clock.
        machine.framesTaken(bufferedBytes: 7, decodedAny: false, at: Self.at(.seconds(20)))
        #expect(machine.checkDeadlines(now: Self.at(.seconds(30)), awaitingPreface: false, peerReading: true) == .none)
        #expect(machine.checkDeadlines(now: Self.at(.seconds(31)), awaitingPreface: false, peerReading: true) == .frameTimedOut)
        // Not while the server holds up reading.
        #expect(machine.checkDeadlines(now: Self.at(.seconds(31)), awaitingPreface: false, peerReading: false) == .none)
        // A frame completed and the next one started: its own clock.
        machine.framesTaken(bufferedBytes: 2, decodedAny: true, at: Self.at(.seconds(31)))
        #expect(machine.checkDeadlines(now: Self.at(.seconds(60)), awaitingPreface: false, peerReading: true) == .none)
        machine.framesTaken(bufferedBytes: 0, decodedAny: true, at: Self.at(.seconds(62)))
        #expect(machine.checkDeadlines(now: Self.at(.seconds(500)), awaitingPreface: false, peerReading: true) == .none)
    }
}
