import NIOCore
import NoProofCodec
import Testing
@testable import NoProofProtocol

@Suite("ServerConnectionStateMachine")
struct ServerConnectionStateMachineTests {
    static let health = MethodDescriptor(
        service: "noproof.v1.Health", method: "Check", id: 1,
        requestType: "a", responseType: "b", requiresAuthentication: false)
    static let secret = MethodDescriptor(
        service: "noproof.v1.Test", method: "Secret", id: 40,
        requestType: "a", responseType: "b")

    func machine(maxCalls: Int = 4) -> ServerConnectionStateMachine {
        var machine = ServerConnectionStateMachine(
            configuration: .init(maxConcurrentCalls: maxCalls, authenticationRequired: true),
            methods: MethodTable([Self.health, Self.secret])
        )
        guard case .acceptPreface = machine.prefaceReceived(Preface.bytes) else { Issue.record("preface refused"); return machine }
        return machine
    }

    func call(_ id: UInt32, path: String = "", methodID: UInt32 = 0) -> Frame {
        var payload = ByteBuffer()
        payload.writeBytes(ProtoCodec.encode(CallHeader(method: path, methodID: methodID)))
        return Frame(type: .call, callID: id, payload: payload)
    }

    func rejection(_ action: ServerConnectionStateMachine.Action) -> (UInt32, StatusCode)? {
        if case .rejectCall(let id, let error, _) = action { return (id, error.code) }
        return nil
    }

    func failure(_ action: ServerConnectionStateMachine.Action) -> StatusCode? {
        if case .failConnection(let goAway, _) = action { return StatusCode(rawValue: goAway.code) }
        return nil
    }

    @Test func refusesGarbageAndWrongVersion() {
        var garbage = ServerConnectionStateMachine(configuration: .init(), methods: MethodTable())
        guard case .refusePreface(let goAway) = garbage.prefaceReceived(Array("GET / HT".utf8)) else {
            Issue.record("garbage accepted"); return
        }
        #expect(StatusCode(rawValue: goAway.code) == .invalidArgument)
        #expect(goAway.message.contains("NOPROOF"))

        var wrongVersion = ServerConnectionStateMachine(configuration: .init(), methods: MethodTable())
        guard case .refusePreface(let goAway2) = wrongVersion.prefaceReceived(Array("NOPROOF".utf8) + [9]) else {
            Issue.record("wrong version accepted"); return
        }
        #expect(StatusCode(rawValue: goAway2.code) == .failedPrecondition)
        #expect(goAway2.message.contains("version 9"))
    }

    @Test func startsAHealthCallByPathOrIDWithoutAuthentication() {
        var machine = machine()
        guard case .startCall(let start) = machine.frameReceived(call(1, path: "/noproof.v1.Health/Check")) else {
            Issue.record("not started"); return
        }
        #expect(start.method == Self.health)
        guard case .startCall(let byID) = machine.frameReceived(call(2, methodID: 1)) else { Issue.record("not started"); return }
        #expect(byID.callID == 2)
        #expect(machine.openCallCount == 2)
    }

    @Test func aStartedCallCarriesItsRequestBytesApartFromItsHeader() {
        var machine = machine()
        var payload = ByteBuffer()
        payload.writeBytes(ProtoCodec.encode(CallHeader(method: "/noproof.v1.Health/Check", timeoutMicros: 5, payload: [1, 2, 3])))
        guard case .startCall(let start) = machine.frameReceived(Frame(type: .call, callID: 1, payload: payload)) else {
            Issue.record("not started"); return
        }
        #expect(Array(start.request.readableBytesView) == [1, 2, 3])
        #expect(start.header.payload.isEmpty)
        #expect(start.header.timeoutMicros == 5)
    }

    @Test func unknownMethodIsUnimplemented() {
        var machine = machine()
        #expect(rejection(machine.frameReceived(call(1, path: "/nope.V1/X")))! == (1, .unimplemented))
        #expect(rejection(machine.frameReceived(call(2, methodID: 999)))! == (2, .unimplemented))
        #expect(machine.openCallCount == 0)
    }

    @Test func protectedMethodNeedsAuthentication() {
        var machine = machine()
        #expect(rejection(machine.frameReceived(call(1, methodID: 40)))! == (1, .unauthenticated))
        machine.authenticated(AuthenticatedUnit(unitCode: "u", unitName: "n", credentialID: "c"))
        guard case .startCall = machine.frameReceived(call(2, methodID: 40)) else { Issue.record("not started"); return }
    }

    @Test func duplicateCallIDEndsTheConnection() {
        var machine = machine()
        _ = machine.frameReceived(call(5, methodID: 1))
        #expect(failure(machine.frameReceived(call(5, methodID: 1))) == .invalidArgument)
        // After the failure nothing more is processed.
        guard case .none = machine.frameReceived(call(6, methodID: 1)) else { Issue.record("still processing"); return }
    }

    /// A protocol error in a frame ends the connection naming every call still open (the
    /// handler cancels them) and the highest call id seen, whether the connection was active or draining.
    @Test func aFailureInsideAFrameNamesTheOpenCalls() {
        for draining in [false, true] {
            var machine = machine()
            _ = machine.frameReceived(call(3, methodID: 1))
            _ = machine.frameReceived(call(7, methodID: 1))
            _ = machine.frameReceived(call(9, methodID: 1))
            _ = machine.callFinished(7)
            if draining { _ = machine.shutdownRequested() }
            guard case .failConnection(let goAway, let open) = machine.frameReceived(call(3, methodID: 1)) else {
                Issue.record("duplicate call id not refused (draining: \(draining))"); continue
            }
            #expect(Set(open) == [3, 9], "draining: \(draining)")
            #expect(goAway.lastCallID == 9)
            guard case .none = machine.frameReceived(call(11, methodID: 1)) else { Issue.record("still processing"); continue }
        }
    }

    @Test func callIDZeroIsAProtocolError() {
        var machine = machine()
        #expect(failure(machine.frameReceived(call(0, methodID: 1))) == .invalidArgument)
    }

    @Test func callIDsCanBeReusedAfterTheCallFinished() {
        var machine = machine()
        _ = machine.frameReceived(call(5, methodID: 1))
        _ = machine.callFinished(5)
        guard case .startCall = machine.frameReceived(call(5, methodID: 1)) else { Issue.record("not started"); return }
    }

    @Test func tooManyConcurrentCallsAreResourceExhausted() {
        var machine = machine(maxCalls: 2)
        _ = machine.frameReceived(call(1, methodID: 1))
        _ = machine.frameReceived(call(2, methodID: 1))
        #expect(rejection(machine.frameReceived(call(3, methodID: 1)))! == (3, .resourceExhausted))
        _ = machine.callFinished(1)
        guard case .startCall = machine.frameReceived(call(4, methodID: 1)) else { Issue.record("not started"); return }
    }

    @Test func malformedCallHeaderIsInvalidArgument() {
        var machine = machine()
        let bad = Frame(type: .call, callID: 1, payload: ByteBuffer(bytes: [0x0A, 0x09, 0x61]))
        #expect(rejection(machine.frameReceived(bad))! == (1, .invalidArgument))
        let nul = Frame(type: .call, callID: 2, payload: ByteBuffer(bytes: [0x0A, 0x02, 0x61, 0x00]))
        guard case .rejectCall(_, let error, _) = machine.frameReceived(nul) else { Issue.record("accepted"); return }
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("method"))
    }

    @Test func cancelKeepsTheCallOpenUntilTheHandlerFinishesIt() {
        var machine = machine()
        _ = machine.frameReceived(call(1, methodID: 1))
        guard case .cancelCall(1) = machine.frameReceived(Frame(type: .cancel, callID: 1)) else { Issue.record("no cancel"); return }
        #expect(machine.openCallCount == 1)
        _ = machine.callFinished(1)
        #expect(machine.openCallCount == 0)
        guard case .none = machine.frameReceived(Frame(type: .cancel, callID: 1)) else { Issue.record("cancel of unknown call"); return }
    }

    @Test func pingIsAnsweredAndMustCarryEightBytes() {
        var machine = machine()
        guard case .sendPong(let payload) = machine.frameReceived(Frame(type: .ping, callID: 0, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8]))) else {
            Issue.record("no pong"); return
        }
        #expect(Array(payload.readableBytesView) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(failure(machine.frameReceived(Frame(type: .ping, callID: 0, payload: ByteBuffer(bytes: [1])))) == .invalidArgument)
    }

    @Test func serverOnlyFramesFromAClientEndTheConnection() {
        for type in [FrameType.message, .status, .settings] {
            var machine = machine()
            #expect(failure(machine.frameReceived(Frame(type: type, callID: 1))) == .invalidArgument)
        }
    }

    @Test func gracefulShutdownDrainsThenCloses() {
        var machine = machine()
        _ = machine.frameReceived(call(1, methodID: 1))
        _ = machine.frameReceived(call(3, methodID: 1))
        guard case .goAway(let goAway, closeNow: false) = machine.shutdownRequested() else { Issue.record("no goaway"); return }
        #expect(goAway.lastCallID == 3)
        #expect(StatusCode(rawValue: goAway.code) == .ok)
        #expect(rejection(machine.frameReceived(call(4, methodID: 1)))! == (4, .unavailable))
        guard case .none = machine.callFinished(1) else { Issue.record("closed early"); return }
        guard case .close = machine.callFinished(3) else { Issue.record("did not close"); return }
    }

    @Test func clientGoAwayFinishesOpenCallsThenCloses() {
        var machine = machine()
        _ = machine.frameReceived(call(1, methodID: 1))
        var payload = ByteBuffer()
        payload.writeBytes(ProtoCodec.encode(GoAway(lastCallID: 0, code: 0, message: "client done")))
        guard case .none = machine.frameReceived(Frame(type: .goAway, callID: 0, payload: payload)) else { Issue.record("closed early"); return }
        #expect(rejection(machine.frameReceived(call(2, methodID: 1)))! == (2, .unavailable))
        guard case .close = machine.callFinished(1) else { Issue.record("did not close after the last call"); return }
    }

    @Test func shutdownWithNothingOpenClosesAtOnce() {
        var machine = machine()
        guard case .goAway(_, closeNow: true) = machine.shutdownRequested() else { Issue.record("not closed"); return }
    }

    @Test func idleConnectionIsClosedButNotWithCallsOpen() {
        var busy = machine()
        _ = busy.frameReceived(call(1, methodID: 1))
        guard case .none = busy.idleTimeoutReached(after: "5s") else { Issue.record("closed a busy connection"); return }
        var idle = machine()
        guard case .goAway(let goAway, closeNow: true) = idle.idleTimeoutReached(after: "5s") else { Issue.record("not closed"); return }
        #expect(goAway.message.contains("idle"))
    }

    @Test func truncatedInputEndsWithInvalidArgument() {
        var machine = machine()
        #expect(failure(machine.inputClosed(truncated: .truncatedFrame(have: 3, need: 10))) == .invalidArgument)
        var clean = self.machine()
        guard case .close = clean.inputClosed(truncated: nil) else { Issue.record("not closed"); return }
    }

    @Test func protocolViolationCarriesItsStatus() {
        var machine = machine()
        _ = machine.frameReceived(call(1, methodID: 1))
        guard case .failConnection(let goAway, let open) = machine.protocolViolation(.frameTooLarge(length: 9, limit: 1)) else {
            Issue.record("not failed"); return
        }
        #expect(StatusCode(rawValue: goAway.code) == .resourceExhausted)
        #expect(open == [1])
    }
}
