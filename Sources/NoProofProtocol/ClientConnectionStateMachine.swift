package import NIOCore
package import NoProofCodec

/// The client side of one connection, as a plain state machine: it checks what the server
/// sends, hands out call ids and tracks the open calls. No I/O.
package struct ClientConnectionStateMachine: Sendable {
    package enum Action: Sendable {
        case none
        /// The connection is ready for calls.
        case ready(ServerSettings)
        case deliverMessage(callID: UInt32, payload: ByteBuffer, endOK: Bool)
        case deliverStatus(callID: UInt32, CallStatus)
        case sendPong(ByteBuffer)
        /// The server takes no new calls; fail the listed calls (it never processed them).
        case goAwayReceived(GoAway, failCalls: [UInt32])
        /// The connection is broken: fail the listed calls with the error and close.
        case failConnection(RPCError, failCalls: [UInt32])
    }

    private enum State: Sendable {
        case awaitingPreface
        case awaitingSettings
        case ready(calls: Set<UInt32>)
        case goingAway(calls: Set<UInt32>, reason: RPCError)
        case closed(RPCError)
        /// Held only while a call set is changed in place: with the set out of `state`, the
        /// change does not copy it (copy-on-write would, were `state` still referencing it).
        case modifying
    }

    private var state: State = .awaitingPreface
    private var nextCallID: UInt32 = 1

    package init() {}

    package var isAwaitingPreface: Bool {
        if case .awaitingPreface = state { return true }
        return false
    }

    package mutating func prefaceReceived(_ bytes: some Collection<UInt8>) -> Action {
        guard case .awaitingPreface = state else { return .none }
        switch Preface.check(bytes) {
        case .accepted:
            state = .awaitingSettings
            return .none
        case .notNoProof:
            return fail(RPCError(.unavailable, "the peer is not a NoProof server (wrong preface)"))
        case .unsupportedVersion(let version):
            return fail(RPCError(.failedPrecondition, "the server speaks protocol version \(version); this client speaks \(Preface.version)"))
        }
    }

    /// Opens a call: its id, or why no call may start now.
    package mutating func startCall() -> Result<UInt32, RPCError> {
        switch state {
        case .ready(var calls):
            state = .modifying
            let id = nextCallID
            nextCallID = nextCallID == UInt32.max ? 1 : nextCallID + 1
            calls.insert(id)
            state = .ready(calls: calls)
            return .success(id)
        case .goingAway(_, let reason), .closed(let reason):
            return .failure(reason)
        case .awaitingPreface, .awaitingSettings:
            return .failure(RPCError(.unavailable, "the connection is not ready yet"))
        case .modifying:
            preconditionFailure("state observed while being modified")
        }
    }

    /// The caller gave up on a call (cancelled or its deadline passed): true if a CANCEL should be sent.
    package mutating func abandonCall(_ id: UInt32) -> Bool {
        remove(id)
    }

    package mutating func frameReceived(_ frame: Frame) -> Action {
        switch frame.type {
        case .settings:
            guard case .awaitingSettings = state else {
                return fail(RPCError(.internal, "server sent SETTINGS twice"))
            }
            do {
                let settings = try frame.payload.readableProto(as: ServerSettings.self)
                state = .ready(calls: [])
                return .ready(settings)
            } catch {
                return fail(RPCError(.internal, "server sent malformed SETTINGS: \(error)"))
            }
        case .message:
            let end = frame.flags & FrameFlags.endOK != 0
            guard isOpen(frame.callID) else { return .none }  // abandoned call: drop
            if end { remove(frame.callID) }
            return .deliverMessage(callID: frame.callID, payload: frame.payload, endOK: end)
        case .status:
            guard isOpen(frame.callID) else { return .none }
            do {
                let status = try frame.payload.readableProto(as: CallStatus.self)
                remove(frame.callID)
                return .deliverStatus(callID: frame.callID, status)
            } catch {
                remove(frame.callID)
                return .deliverStatus(callID: frame.callID, CallStatus(code: StatusCode.internal.rawValue, message: "server sent a malformed STATUS: \(error)"))
            }
        case .ping:
            return .sendPong(frame.payload)
        case .pong:
            return .none
        case .goAway:
            let goAway =
                (try? frame.payload.readableProto(as: GoAway.self))
                ?? GoAway(lastCallID: 0, code: StatusCode.unavailable.rawValue, message: "server sent GOAWAY")
            let code = StatusCode(rawValue: goAway.code)
            let reason = RPCError(code == .ok ? .unavailable : code, goAway.message)
            switch state {
            case .ready(let calls), .goingAway(let calls, _):
                let unprocessed = calls.filter { $0 > goAway.lastCallID }
                let remaining = calls.subtracting(unprocessed)
                state = .goingAway(calls: remaining, reason: reason)
                return .goAwayReceived(goAway, failCalls: Array(unprocessed))
            case .awaitingPreface, .awaitingSettings:
                return fail(reason)
            case .closed:
                return .none
            case .modifying:
                preconditionFailure("state observed while being modified")
            }
        case .call, .cancel:
            return fail(RPCError(.internal, "server sent a \(frame.type.name) frame, which only clients send"))
        }
    }

    package mutating func protocolViolation(_ error: ProtocolError) -> Action {
        fail(error.status)
    }

    /// The socket closed.
    package mutating func connectionClosed() -> Action {
        switch state {
        case .closed:
            return .none
        case .goingAway(_, let reason):
            return fail(reason)
        default:
            return fail(RPCError(.unavailable, "connection to the server closed"))
        }
    }

    private func isOpen(_ id: UInt32) -> Bool {
        switch state {
        case .ready(let calls), .goingAway(let calls, _): calls.contains(id)
        default: false
        }
    }

    @discardableResult
    private mutating func remove(_ id: UInt32) -> Bool {
        switch state {
        case .ready(var calls):
            state = .modifying
            let removed = calls.remove(id) != nil
            state = .ready(calls: calls)
            return removed
        case .goingAway(var calls, let reason):
            state = .modifying
            let removed = calls.remove(id) != nil
            state = .goingAway(calls: calls, reason: reason)
            return removed
        default:
            return false
        }
    }

    private mutating func fail(_ error: RPCError) -> Action {
        let calls: [UInt32]
        switch state {
        case .ready(let open), .goingAway(let open, _): calls = Array(open)
        case .closed: return .none
        default: calls = []
        }
        state = .closed(error)
        return .failConnection(error, failCalls: calls)
    }
}
