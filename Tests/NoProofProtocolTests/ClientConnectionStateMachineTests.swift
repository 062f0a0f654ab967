import NIOCore
import NoProofCodec
import Testing
@testable import NoProofProtocol

@Suite("ClientConnectionStateMachine")
struct ClientConnectionStateMachineTests {
    func ready() -> ClientConnectionStateMachine {
        var machine = ClientConnectionStateMachine()
        _ = machine.prefaceReceived(Preface.bytes)
        var payload = ByteBuffer()
        payload.writeBytes(
            ProtoCodec.encode(
                ServerSettings(
                    protocolVersion: 1, maxFrameSize: 1, maxConcurrentCalls: 1,
                    idleTimeoutMillis: 1, serverName: "s", authenticationRequired: true)))
        guard case .ready(let settings) = machine.frameReceived(Frame(type: .settings, callID: 0, payload: payload)) else {
            Issue.record("not ready"); return machine
        }
        #expect(settings.serverName == "s")
        return machine
    }

    @Test func callsBeforeSettingsAreRefused() {
        var machine = ClientConnectionStateMachine()
        guard case .failure(let error) = machine.startCall() else { Issue.record("started"); return }
        #expect(error.code == .unavailable)
    }

    @Test func wrongServerPrefaceFails() {
        var machine = ClientConnectionStateMachine()
        guard case .failConnection(let error, _) = machine.prefaceReceived(Array("HTTP/1.1".utf8)) else { Issue.record("accepted"); return }
        #expect(error.code == .unavailable)
    }

    @Test func callIDsIncreaseAndAnswersArriveInAnyOrder() throws {
        var machine = ready()
        let first = try machine.startCall().get()
        let second = try machine.startCall().get()
        #expect(second == first + 1)
        guard case .deliverMessage(second, _, true) = machine.frameReceived(Frame(type: .message, flags: FrameFlags.endOK, callID: second)) else {
            Issue.record("not delivered"); return
        }
        var status = ByteBuffer()
        status.writeBytes(ProtoCodec.encode(CallStatus(code: 5, message: "none")))
        guard case .deliverStatus(first, let callStatus) = machine.frameReceived(Frame(type: .status, callID: first, payload: status)) else {
            Issue.record("not delivered"); return
        }
        #expect(callStatus.code == 5)
    }

    @Test func framesForAbandonedCallsAreDropped() throws {
        var machine = ready()
        let id = try machine.startCall().get()
        let abandoned = machine.abandonCall(id)
        #expect(abandoned)
        guard case .none = machine.frameReceived(Frame(type: .message, flags: FrameFlags.endOK, callID: id)) else {
            Issue.record("delivered"); return
        }
    }

    @Test func goAwayFailsOnlyTheCallsTheServerNeverSaw() throws {
        var machine = ready()
        let a = try machine.startCall().get()
        let b = try machine.startCall().get()
        var payload = ByteBuffer()
        payload.writeBytes(ProtoCodec.encode(GoAway(lastCallID: a, code: 0, message: "shutting down")))
        guard case .goAwayReceived(_, let failed) = machine.frameReceived(Frame(type: .goAway, callID: 0, payload: payload)) else {
            Issue.record("no goaway"); return
        }
        #expect(failed == [b])
        guard case .failure(let error) = machine.startCall() else { Issue.record("started after goaway"); return }
        #expect(error.code == .unavailable)
        guard case .deliverMessage(a, _, true) = machine.frameReceived(Frame(type: .message, flags: FrameFlags.endOK, callID: a)) else {
            Issue.record("call a lost"); return
        }
    }

    @Test func pingIsAnswered() {
        var machine = ready()
        guard case .sendPong = machine.frameReceived(Frame(type: .ping, callID: 0, payload: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 1]))) else {
            Issue.record("no pong"); return
        }
    }

    @Test func closingFailsOpenCalls() throws {
        var machine = ready()
        let id = try machine.startCall().get()
        guard case .failConnection(let error, let calls) = machine.connectionClosed() else { Issue.record("nothing failed"); return }
        #expect(calls == [id])
        #expect(error.code == .unavailable)
    }
}
