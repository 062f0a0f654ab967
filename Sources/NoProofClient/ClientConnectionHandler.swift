import NIOCore
import NIOSSL
import NoProofCodec
import NoProofProtocol

/// The client's channel handler: writes the preface, decodes frames, drives
/// `ClientConnectionStateMachine` and completes the waiting calls. Runs on the event loop only.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Pending {
        case unary(EventLoopPromise<ByteBuffer>)
        case stream(StreamReceiver)
        /// A call started on the event loop by `NoProofClient.startUnary`: called there with the
        /// answer's raw bytes or the failure, without a promise or a hop to another thread.
        case callback(NoProofClient.UnaryCompletion)
    }

    private struct Call {
        var pending: Pending
        var deadlineTimer: Scheduled<Void>?
    }

    let ready: EventLoopPromise<ServerSettings>
    private var stateMachine = ClientConnectionStateMachine()
    private var decoder: FrameDecoder
    private var prefaceBytes: [UInt8] = []
    private var calls: [UInt32: Call] = [:]
    private var context: ChannelHandlerContext?
    private var loopBound: NIOLoopBound<ClientConnectionHandler>?
    private var needsFlush = false
    private var flushScheduled = false
    /// Inside `channelRead`: calls started from answers' completions are flushed by
    /// `channelReadComplete`, without a task of their own.
    private var reading = false

    init(ready: EventLoopPromise<ServerSettings>, maxPayload: Int) {
        self.ready = ready
        self.decoder = FrameDecoder(maxPayload: maxPayload)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if context.channel.isActive { sendPreface(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendPreface(context: context)
        context.fireChannelActive()
    }

    private var prefaceSent = false
    private func sendPreface(context: ChannelHandlerContext) {
        guard !prefaceSent else { return }
        prefaceSent = true
        var buffer = context.channel.allocator.buffer(capacity: Preface.length)
        buffer.writeBytes(Preface.bytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(stateMachine.connectionClosed(), context: context)
        // Calls the state machine no longer tracked (abandoned ones) are failed here too.
        failAll(RPCError(.unavailable, "connection to the server closed"))
        ready.fail(RPCError(.unavailable, "connection closed before the server was ready"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let failure: RPCError
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            failure = RPCError(.unavailable, "TLS handshake with the server failed: \(error)")
        } else {
            failure = RPCError(.unavailable, "connection error: \(error)")
        }
        ready.fail(failure)
        failAll(failure)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        var bytes = unwrapInboundIn(data)
        if stateMachine.isAwaitingPreface {
            let take = min(Preface.length - prefaceBytes.count, bytes.readableBytes)
            prefaceBytes += bytes.readBytes(length: take)!
            guard prefaceBytes.count == Preface.length else { return }
            perform(stateMachine.prefaceReceived(prefaceBytes), context: context)
        }
        if bytes.readableBytes > 0 { decoder.append(bytes) }
        do {
            while let frame = try decoder.next() {
                perform(stateMachine.frameReceived(frame), context: context)
            }
        } catch {
            perform(stateMachine.protocolViolation(error), context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        decoder.compact()
        flush(context: context)
        context.fireChannelReadComplete()
    }

    // MARK: Calls (on the event loop)

    /// Starts a call: sends its CALL frame. Returns the call id, or fails `pending` (a callback on
    /// a later tick, never from inside this method).
    @discardableResult
    func start(header: CallHeader, pending: Pending, timeout: TimeAmount?) -> UInt32? {
        guard let callID = open(pending: pending, timeout: timeout), let context else { return nil }
        var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength + 64 + header.payload.count)
        buffer.writeFrame(type: .call, callID: callID, message: header)
        send(buffer, context: context)
        return callID
    }

    /// Starts a call whose CALL payload (an encoded `CallHeader`) is ready: only the frame header
    /// is written per call.
    @discardableResult
    func start(encodedHeader: ByteBuffer, pending: Pending, timeout: TimeAmount?) -> UInt32? {
        guard let callID = open(pending: pending, timeout: timeout), let context else { return nil }
        var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength + encodedHeader.readableBytes)
        buffer.writeFrame(type: .call, callID: callID, payload: encodedHeader)
        send(buffer, context: context)
        return callID
    }

    /// Takes a call id and registers the call with its deadline timer, or fails `pending`.
    private func open(pending: Pending, timeout: TimeAmount?) -> UInt32? {
        guard let context else {
            failAtStart(pending, RPCError(.unavailable, "connection closed"))
            return nil
        }
        switch stateMachine.startCall() {
        case .failure(let error):
            failAtStart(pending, error)
            return nil
        case .success(let callID):
            var call = Call(pending: pending)
            if let timeout {
                let bound = loopBound!
                call.deadlineTimer = context.eventLoop.scheduleTask(in: timeout) {
                    bound.value.abandon(callID, because: RPCError(.deadlineExceeded, "no answer within the deadline of \(timeout.nanoseconds / 1_000_000) ms"))
                }
            }
            calls[callID] = call
            return callID
        }
    }

    private func send(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(buffer), promise: nil)
        scheduleFlush(context: context)
    }

    /// A callback is failed on the next tick, so that a caller starting its next call from the
    /// completion does not recurse without bound on a closed connection.
    private func failAtStart(_ pending: Pending, _ error: RPCError) {
        if case .callback(let completion) = pending, let loop = loopBound?.eventLoop {
            loop.assumeIsolated().execute { completion(.failure(error)) }
        } else {
            fail(pending, error)
        }
    }

    /// The caller stopped waiting: tell the server and fail the call locally.
    func abandon(_ callID: UInt32, because error: RPCError) {
        guard let context, let call = calls.removeValue(forKey: callID) else { return }
        call.deadlineTimer?.cancel()
        fail(call.pending, error)
        if stateMachine.abandonCall(callID) {
            var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength)
            buffer.writeFrameHeader(type: .cancel, callID: callID, length: 0)
            context.write(wrapOutboundOut(buffer), promise: nil)
            scheduleFlush(context: context)
        }
    }

    /// Sends GOAWAY (no more calls from us) and closes once open calls are done — or now.
    func goAwayAndClose() {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 32)
        buffer.writeFrame(type: .goAway, callID: 0, message: GoAway(lastCallID: 0, code: 0, message: "client closing"))
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.close(promise: nil)
    }

    // MARK: Actions

    private func perform(_ action: ClientConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .ready(let settings):
            ready.succeed(settings)
        case .deliverMessage(let callID, let payload, let endOK):
            guard let call = calls[callID] else { return }
            switch call.pending {
            case .unary(let promise):
                calls.removeValue(forKey: callID)?.deadlineTimer?.cancel()
                promise.succeed(payload)
            case .callback(let completion):
                calls.removeValue(forKey: callID)?.deadlineTimer?.cancel()
                completion(.success(payload))
            case .stream(let receiver):
                receiver.yield(payload)
                if endOK {
                    calls.removeValue(forKey: callID)?.deadlineTimer?.cancel()
                    receiver.finish(nil)
                }
            }
        case .deliverStatus(let callID, let status):
            guard let call = calls.removeValue(forKey: callID) else { return }
            call.deadlineTimer?.cancel()
            let code = StatusCode(rawValue: status.code)
            switch (call.pending, code) {
            case (.stream(let receiver), .ok):
                receiver.finish(nil)
            case (.unary, .ok), (.callback, .ok):
                fail(call.pending, RPCError(.internal, "the server ended the call without an answer"))
            default:
                fail(call.pending, RPCError(code, status.message))
            }
        case .sendPong(let payload):
            var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength + payload.readableBytes)
            buffer.writeFrame(type: .pong, callID: 0, payload: payload)
            context.write(wrapOutboundOut(buffer), promise: nil)
            needsFlush = true
        case .goAwayReceived(let goAway, let failCalls):
            let code = StatusCode(rawValue: goAway.code)
            let error = RPCError(code == .ok ? .unavailable : code, "server closed the connection: \(goAway.message)")
            for callID in failCalls {
                if let call = calls.removeValue(forKey: callID) {
                    call.deadlineTimer?.cancel()
                    fail(call.pending, error)
                }
            }
            ready.fail(error)
        case .failConnection(let error, _):
            failAll(error)
            ready.fail(error)
            context.close(promise: nil)
        }
    }

    private func failAll(_ error: RPCError) {
        let open = calls
        calls.removeAll()
        for (_, call) in open {
            call.deadlineTimer?.cancel()
            fail(call.pending, error)
        }
    }

    private func fail(_ pending: Pending, _ error: RPCError) {
        switch pending {
        case .unary(let promise): promise.fail(error)
        case .stream(let receiver): receiver.finish(error)
        case .callback(let completion): completion(.failure(error))
        }
    }

    private func flush(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    /// One flush for all the calls started within an event-loop tick.
    private func scheduleFlush(context: ChannelHandlerContext) {
        needsFlush = true
        guard !flushScheduled, !reading else { return }
        flushScheduled = true
        let bound = loopBound!
        context.eventLoop.execute {
            let handler = bound.value
            handler.flushScheduled = false
            if let context = handler.context { handler.flush(context: context) }
        }
    }
}
