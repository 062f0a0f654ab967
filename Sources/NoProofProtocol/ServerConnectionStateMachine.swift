package import NIOCore
package import NoProofCodec

/// The server side of one connection, as a plain state machine: events in, actions out, no I/O.
/// `ServerConnectionHandler` feeds it what the socket delivers and performs what it returns.
package struct ServerConnectionStateMachine: Sendable {
    package struct Configuration: Sendable {
        package var maxConcurrentCalls: Int
        package var authenticationRequired: Bool
        /// Most bytes of call metadata (keys and values together) a call may carry.
        package var maxMetadataBytes: Int

        package init(maxConcurrentCalls: Int = 1024, authenticationRequired: Bool = true, maxMetadataBytes: Int = 8192) {
            self.maxConcurrentCalls = maxConcurrentCalls
            self.authenticationRequired = authenticationRequired
            self.maxMetadataBytes = maxMetadataBytes
        }
    }

    /// A call the handler is to start.
    package struct StartCall: Sendable {
        package var callID: UInt32
        package var method: MethodDescriptor
        /// Method, deadline and metadata; its `payload` is empty: the request is `request`.
        package var header: CallHeader
        /// The encoded request: a slice of the CALL frame's buffer (`CallFrame`), not a copy.
        package var request: ByteBuffer
    }

    package enum Action: Sendable {
        case none
        /// Send our preface and SETTINGS.
        case acceptPreface
        /// Send our preface, then the GOAWAY, then close.
        case refusePreface(GoAway)
        case startCall(StartCall)
        /// Answer the call with a STATUS frame; it was never started. `method`: the method it named,
        /// when the refusal came after resolving it (nil: unknown method, bad header, ...).
        case rejectCall(callID: UInt32, RPCError, method: MethodDescriptor? = nil)
        /// Stop the call's work; send nothing for it.
        case cancelCall(callID: UInt32)
        case sendPong(ByteBuffer)
        /// Send GOAWAY; close right away if `closeNow`, else close once the open calls finish.
        case goAway(GoAway, closeNow: Bool)
        /// Cancel every open call, send GOAWAY and close: the connection is unusable.
        case failConnection(GoAway, openCalls: [UInt32])
        /// Close the connection (drained).
        case close
    }

    private struct Open: Sendable {
        var unit: AuthenticatedUnit?
        var calls: Set<UInt32> = []
        var highestCallID: UInt32 = 0
    }

    private enum State: Sendable {
        case awaitingPreface
        case active(Open)
        /// GOAWAY sent or received: no new calls, close when the open ones are done.
        case draining(Open)
        case closed
        /// Held only while `Open` is changed in place: with it out of `state`, changing its call
        /// set does not copy the set (copy-on-write would, were `state` still referencing it).
        case modifying
    }

    private var state: State = .awaitingPreface
    private let configuration: Configuration
    private let methods: MethodTable

    package init(configuration: Configuration, methods: MethodTable) {
        self.configuration = configuration
        self.methods = methods
    }

    /// The authenticated unit, if any.
    package var unit: AuthenticatedUnit? {
        switch state {
        case .active(let open), .draining(let open): open.unit
        case .awaitingPreface, .closed, .modifying: nil
        }
    }

    package var openCallCount: Int {
        switch state {
        case .active(let open), .draining(let open): open.calls.count
        case .awaitingPreface, .closed, .modifying: 0
        }
    }

    package var isAwaitingPreface: Bool {
        if case .awaitingPreface = state { return true }
        return false
    }

    // MARK: Events

    /// The first `Preface.length` bytes the client sent.
    package mutating func prefaceReceived(_ bytes: some Collection<UInt8>) -> Action {
        guard case .awaitingPreface = state else { preconditionFailure("preface received twice") }
        switch Preface.check(bytes) {
        case .accepted:
            state = .active(Open())
            return .acceptPreface
        case .notNoProof:
            state = .closed
            return .refusePreface(
                GoAway(
                    lastCallID: 0, code: StatusCode.invalidArgument.rawValue,
                    message: "not a NoProof client: a connection must start with the 8 bytes 'NOPROOF' 0x0\(Preface.version) (docs/PROTOCOL.md)"
                ))
        case .unsupportedVersion(let version):
            state = .closed
            return .refusePreface(
                GoAway(
                    lastCallID: 0, code: StatusCode.failedPrecondition.rawValue,
                    message: "protocol version \(version) is not supported; this server speaks version \(Preface.version)"
                ))
        }
    }

    package mutating func frameReceived(_ frame: Frame) -> Action {
        switch state {
        case .awaitingPreface, .closed:
            return .none
        case .active(var open):
            state = .modifying
            let action = handle(frame, open: &open, draining: false)
            // `handle` may have moved to draining (client GOAWAY) or closed: keep that.
            if case .modifying = state { state = .active(open) }
            return action
        case .draining(var open):
            state = .modifying
            let action = handle(frame, open: &open, draining: true)
            if case .modifying = state { state = .draining(open) }
            return action
        case .modifying:
            preconditionFailure("state observed while being modified")
        }
    }

    /// The handler finished, failed or cancelled a call: reported exactly once per started call.
    package mutating func callFinished(_ callID: UInt32) -> Action {
        switch state {
        case .active(var open):
            state = .modifying
            open.calls.remove(callID)
            state = .active(open)
            return .none
        case .draining(var open):
            state = .modifying
            open.calls.remove(callID)
            if open.calls.isEmpty {
                state = .closed
                return .close
            }
            state = .draining(open)
            return .none
        case .awaitingPreface, .closed, .modifying:
            return .none
        }
    }

    /// Session/Authenticate succeeded on this connection.
    package mutating func authenticated(_ unit: AuthenticatedUnit) {
        switch state {
        case .active(var open):
            open.unit = unit
            state = .active(open)
        case .draining(var open):
            open.unit = unit
            state = .draining(open)
        case .awaitingPreface, .closed, .modifying:
            break
        }
    }

    /// The server is shutting down: announce it and drain.
    package mutating func shutdownRequested() -> Action {
        switch state {
        case .awaitingPreface:
            state = .closed
            return .close
        case .active(let open):
            let goAway = GoAway(
                lastCallID: open.highestCallID, code: StatusCode.ok.rawValue,
                message: "server is shutting down; calls in progress will finish, reconnect for new calls")
            if open.calls.isEmpty {
                state = .closed
                return .goAway(goAway, closeNow: true)
            }
            state = .draining(open)
            return .goAway(goAway, closeNow: false)
        case .draining, .closed:
            return .none
        case .modifying:
            preconditionFailure("state observed while being modified")
        }
    }

    /// No call open and nothing received for the idle timeout.
    package mutating func idleTimeoutReached(after description: String) -> Action {
        switch state {
        case .active(let open) where open.calls.isEmpty:
            state = .closed
            return .goAway(
                GoAway(
                    lastCallID: open.highestCallID, code: StatusCode.ok.rawValue,
                    message: "closing idle connection after \(description) without calls"), closeNow: true)
        case .awaitingPreface:
            state = .closed
            return .close
        default:
            return .none
        }
    }

    /// The client's preface did not arrive within the handshake timeout: our preface, then a
    /// GOAWAY naming the reason, then close.
    package mutating func handshakeTimedOut(after description: String, received: Int) -> Action {
        guard case .awaitingPreface = state else { return .none }
        state = .closed
        return .refusePreface(
            GoAway(
                lastCallID: 0, code: StatusCode.deadlineExceeded.rawValue,
                message: "connection preface not received within \(description) (got \(received) of \(Preface.length) bytes); closing the connection"
            ))
    }

    /// A frame started arriving but was not complete within the frame timeout (slow-loris).
    package mutating func frameTimedOut(after description: String, have: Int, need: Int) -> Action {
        fail(
            RPCError(
                .deadlineExceeded,
                "frame not completed within \(description) of its first byte (got \(have) of \(need) bytes); a sender this slow is disconnected"))
    }

    /// The peer does not read its answers: more than `limit` bytes are waiting for it.
    package mutating func answersNotRead(pending: Int, limit: Int) -> Action {
        fail(
            RPCError(
                .resourceExhausted,
                "the client is not reading its answers: \(pending) bytes waiting, over the limit of \(limit); closing the connection"))
    }

    /// The connection did not authenticate within the authentication timeout.
    package mutating func authenticationTimedOut(after description: String) -> Action {
        fail(
            RPCError(
                .unauthenticated,
                "authenticate within \(description) of connecting (/noproof.v1.Session/Authenticate, or a registered client certificate); closing the connection"
            ))
    }

    /// The server has no room for this connection's frame or answers (server-wide memory quota).
    package mutating func memoryQuotaExceeded(_ message: String) -> Action {
        fail(RPCError(.resourceExhausted, message))
    }

    /// The peer stopped answering PINGs.
    package mutating func keepaliveTimedOut() -> Action {
        fail(RPCError(.unavailable, "no answer to keepalive PING; closing the connection"))
    }

    /// The frame decoder refused the byte stream.
    package mutating func protocolViolation(_ error: ProtocolError) -> Action {
        fail(error.status)
    }

    /// The client closed its sending side. `truncated` is a frame cut short, if any.
    package mutating func inputClosed(truncated: ProtocolError?) -> Action {
        if let truncated { return fail(truncated.status) }
        switch state {
        case .awaitingPreface:
            state = .closed
            return .close
        case .active(let open), .draining(let open):
            if open.calls.isEmpty {
                state = .closed
                return .close
            }
            state = .draining(open)
            return .none
        case .closed:
            return .none
        case .modifying:
            preconditionFailure("state observed while being modified")
        }
    }

    // MARK: Frames

    private mutating func fail(_ error: RPCError) -> Action {
        switch state {
        case .active(let open), .draining(let open):
            state = .closed
            return .failConnection(
                GoAway(lastCallID: open.highestCallID, code: error.code.rawValue, message: error.message),
                openCalls: Array(open.calls))
        case .awaitingPreface:
            state = .closed
            return .failConnection(GoAway(lastCallID: 0, code: error.code.rawValue, message: error.message), openCalls: [])
        case .closed:
            return .none
        case .modifying:
            preconditionFailure("state observed while being modified")
        }
    }

    /// `fail` from inside `handle`, where `state` is `.modifying`: puts the connection's `open`
    /// back first, so the failure names its open calls.
    private mutating func failing(_ error: RPCError, open: Open, draining: Bool) -> Action {
        state = draining ? .draining(open) : .active(open)
        return fail(error)
    }

    private mutating func handle(_ frame: Frame, open: inout Open, draining: Bool) -> Action {
        switch frame.type {
        case .call:
            return startCall(frame, open: &open, draining: draining)
        case .cancel:
            guard frame.callID != 0 else { return failing(RPCError(.invalidArgument, "CANCEL frame with call id 0"), open: open, draining: draining) }
            // The call stays open until the handler has stopped it and reports callFinished.
            return open.calls.contains(frame.callID) ? .cancelCall(callID: frame.callID) : .none
        case .ping:
            guard frame.payload.readableBytes == 8 else {
                return failing(
                    RPCError(.invalidArgument, "PING payload must be exactly 8 bytes, got \(frame.payload.readableBytes)"), open: open, draining: draining)
            }
            return .sendPong(frame.payload)
        case .pong:
            return .none
        case .goAway:
            // The client will start no more calls: finish what is open, then close.
            if open.calls.isEmpty {
                state = .closed
                return .close
            }
            state = .draining(open)
            return .none
        case .message, .status, .settings:
            return failing(RPCError(.invalidArgument, "\(frame.type.name) frames are sent by servers only"), open: open, draining: draining)
        }
    }

    private mutating func startCall(_ frame: Frame, open: inout Open, draining: Bool) -> Action {
        let callID = frame.callID
        guard callID != 0 else { return failing(RPCError(.invalidArgument, "CALL frame with call id 0; call ids start at 1"), open: open, draining: draining) }
        if open.calls.contains(callID) {
            return failing(RPCError(.invalidArgument, "duplicate call id \(callID): that call is still in progress"), open: open, draining: draining)
        }
        open.highestCallID = max(open.highestCallID, callID)
        if draining {
            return .rejectCall(
                callID: callID, RPCError(.unavailable, "this connection takes no new calls (it is closing after a GOAWAY); reconnect and retry the call"))
        }
        let call: CallFrame
        do {
            call = try CallFrame(decoding: frame.payload)
        } catch {
            return .rejectCall(callID: callID, RPCError(.invalidArgument, "bad CALL header: \(error)"))
        }
        let header = call.header
        if !header.metadata.entries.isEmpty {
            var size = 0
            for entry in header.metadata.entries { size += entry.key.utf8.count + entry.value.utf8.count }
            if size > configuration.maxMetadataBytes {
                return .rejectCall(
                    callID: callID,
                    RPCError(
                        .resourceExhausted,
                        "call metadata is \(size) bytes (keys and values), over the limit of \(configuration.maxMetadataBytes) bytes; send less metadata"))
            }
        }
        guard let method = methods.resolve(path: header.method, id: header.methodID) else {
            let what = header.methodID != 0 ? "method id \(header.methodID)" : "method '\(header.method)'"
            return .rejectCall(callID: callID, RPCError(.unimplemented, "unknown \(what); list methods with /noproof.v1.Reflection/ListMethods"))
        }
        if method.requiresAuthentication, configuration.authenticationRequired, open.unit == nil {
            return .rejectCall(
                callID: callID,
                RPCError(
                    .unauthenticated, "\(method.path) needs an authenticated connection: call /noproof.v1.Session/Authenticate with the unit's credential first"
                ), method: method)
        }
        if open.calls.count >= configuration.maxConcurrentCalls {
            return .rejectCall(
                callID: callID,
                RPCError(
                    .resourceExhausted,
                    "too many calls in progress on this connection (limit \(configuration.maxConcurrentCalls)); wait for answers or open another connection"),
                method: method)
        }
        open.calls.insert(callID)
        return .startCall(StartCall(callID: callID, method: method, header: header, request: call.request))
    }
}
