import Logging
import NIOCore
import NoProofCodec
import NoProofProtocol

/// One connection's call handler: decodes frames (the decoder is inside it: no handler hop per
/// frame), drives `ServerConnectionStateMachine` and performs its actions — calls dispatched to
/// the `RPCRegistry`, deadlines, backpressure, flush coalescing, the pending-answer cap, the
/// connection caps and memory quota, per-connection statistics. Inline methods are answered
/// right here on the event loop; other calls run in tasks and hop back to write their answer.
/// Writes are flushed once per read burst. The connection's clocks (handshake, authentication,
/// slow-loris, keepalive, idle, shutdown grace) are `ServerConnectionManagementHandler`'s, next
/// in the pipeline: this handler tells it of bytes and frames by direct calls and it answers
/// through `ManagedConnection` (below). Build the pair with `addConnectionHandlers`.
final class ServerConnectionHandler: ChannelDuplexHandler, ManagedConnection {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct RunningCall {
        var task: Task<Void, Never>?
        /// When the client's deadline for it passes (none: no deadline).
        var deadline: NIODeadline?
        /// Counted in the server-wide calls in progress (`ServerConfiguration.maxCallsInProgress`).
        var counted = false
        /// Its hand-off times, for a method whose stages are recorded (`RPCRegistry.staged`).
        var stamps: CallStamps?
    }

    private let configuration: ServerConfiguration
    private let registry: RPCRegistry
    private var logger: Logger
    private let statistics: ServerStatistics
    private let sessions: LiveSessions
    private let guards: ConnectionGuards
    /// The peer's IP address (the key of the per-source cap), once the connection started.
    private var source = "?"
    /// Holds a place in the connection caps (given back when it closes).
    private var admitted = false
    /// Counted among the authenticated connections (`ServerStatistics.connectionsAuthenticated`).
    private var countedAuthenticated = false
    private var started = false
    /// The connection's clocks: handshake and authentication deadlines, slow-loris, keepalive,
    /// idle, shutdown grace. Told of every read and frame by direct calls.
    private let management: ServerConnectionManagementHandler
    /// Bytes reserved in the server-wide memory quota for the partial frame and unread answers.
    private var frameCharge = 0
    private var answerCharge = 0
    /// The credential this connection is registered under in `sessions`, once authenticated.
    private var registeredCredential: String?

    private var stateMachine: ServerConnectionStateMachine
    private var decoder: FrameDecoder
    private var prefaceBytes: [UInt8] = []
    private var calls: [UInt32: RunningCall] = [:]
    private let mailbox = AnswerMailbox()

    private var context: ChannelHandlerContext?
    private var loopBound: NIOLoopBound<ServerConnectionHandler>?
    private var session: ConnectionSession?
    private var remoteAddress = "?"

    private var needsFlush = false
    private var flushScheduled = false
    private var readPending = false
    private(set) var isClosing = false
    /// The peer half-closed while frames were still waiting (reading paused): handled once they are.
    private var inputClosedWhilePaused = false
    private var checkingPending = false

    /// One timer per connection for the earliest call deadline, not one per call: scheduling and
    /// cancelling a timer per call measured ~6% of a lookup's server CPU. When it fires, every call
    /// past its deadline ends DEADLINE_EXCEEDED and the timer is set for the next earliest.
    private var deadlineAlarm: Scheduled<Void>?
    private var deadlineAlarmAt: NIODeadline?
    /// When the last socket read arrived (uptime nanoseconds): a CALL frame's "received" stamp.
    private var lastReadNanos: UInt64 = 0

    init(
        configuration: ServerConfiguration, registry: RPCRegistry, logger: Logger, statistics: ServerStatistics,
        sessions: LiveSessions = LiveSessions(), guards: ConnectionGuards? = nil,
        management: ServerConnectionManagementHandler
    ) {
        self.configuration = configuration
        self.guards = guards ?? ConnectionGuards(configuration: configuration)
        self.management = management
        self.registry = registry
        self.logger = logger
        self.statistics = statistics
        self.sessions = sessions
        self.stateMachine = ServerConnectionStateMachine(
            configuration: .init(
                maxConcurrentCalls: configuration.maxConcurrentCallsPerConnection,
                authenticationRequired: configuration.authenticationRequired,
                maxMetadataBytes: configuration.maxMetadataBytes),
            methods: registry.methods
        )
        self.decoder = FrameDecoder(maxPayload: configuration.initialMaxFramePayload)
        management.connection = self
    }

    // MARK: Life cycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        loopBound = bound
        session = ConnectionSession(bound)
        if context.channel.isActive { connectionStarted(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionStarted(context: context)
        context.fireChannelActive()
    }

    private func connectionStarted(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        remoteAddress = context.channel.remoteAddress?.description ?? "?"
        source = context.channel.remoteAddress?.ipAddress ?? "?"
        logger[metadataKey: "peer"] = "\(remoteAddress)"
        if let refusal = guards.admission.admit(source: source) {
            refuseConnection(refusal, context: context)
            return
        }
        admitted = true
        statistics.connectionOpened()
        logger.trace("connection opened")
    }

    /// Over a connection cap: our preface, GOAWAY RESOURCE_EXHAUSTED saying what to do, close.
    /// Logged as a warning at most once per 10 s with the number not logged.
    private func refuseConnection(_ refusal: ConnectionAdmission.Refusal, context: ChannelHandlerContext) {
        statistics.connectionRefused()
        guards.refusedLog.warning(
            logger, "connection refused: over a connection cap",
            metadata: [
                "reason": "\(refusal.message)", "open": "\(guards.admission.openConnections)",
            ])
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeBytes(Preface.bytes)
        buffer.writeFrame(
            type: .goAway, callID: 0,
            message: GoAway(lastCallID: 0, code: StatusCode.resourceExhausted.rawValue, message: refusal.message))
        write(buffer, context: context)
        close(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if admitted {
            admitted = false
            guards.admission.release(source: source)
            statistics.connectionClosed()
        }
        if countedAuthenticated {
            countedAuthenticated = false
            statistics.authenticatedConnectionClosed()
        }
        guards.memory?.release(frameCharge + answerCharge)
        frameCharge = 0
        answerCharge = 0
        deadlineAlarm?.cancel()
        deadlineAlarm = nil
        for callID in Array(calls.keys) {
            let call = removeCall(callID)
            call?.task?.cancel()
        }
        if let registeredCredential, let session { sessions.unregister(session, credentialID: registeredCredential) }
        registeredCredential = nil
        logger.trace("connection closed")
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        guard !isClosing else { return }
        let now = context.eventLoop.now
        lastReadNanos = now.uptimeNanoseconds
        management.bytesReceived(at: now)

        if stateMachine.isAwaitingPreface {
            let take = min(Preface.length - prefaceBytes.count, bytes.readableBytes)
            prefaceBytes += bytes.readBytes(length: take)!
            guard prefaceBytes.count == Preface.length else { return }
            perform(stateMachine.prefaceReceived(prefaceBytes), context: context)
            guard !isClosing else { return }
        }
        if bytes.readableBytes > 0 { decoder.append(bytes) }
        processFrames(context: context)
    }

    /// Acts on the complete frames received, while the peer reads what we write: a peer that
    /// does not read its answers gets no new calls started (they wait in the decoder, and
    /// `read` stops taking more from the socket) until the channel is writable again.
    private func processFrames(context: ChannelHandlerContext) {
        var decoded = false
        do {
            while !isClosing, context.channel.isWritable, let frame = try decoder.next() {
                decoded = true
                management.frameReceived(isPing: frame.type == .ping, at: context.eventLoop.now)
                perform(stateMachine.frameReceived(frame), context: context)
            }
        } catch {
            var error = error
            if case .frameTooLarge(let length, let limit) = error, !management.isAuthenticated, limit < configuration.maxFramePayload {
                error = .frameTooLargeBeforeAuthentication(length: length, limit: limit, maxFrameSize: configuration.maxFramePayload)
            }
            logger.debug("protocol violation", metadata: ["error": "\(error.status)"])
            perform(stateMachine.protocolViolation(error), context: context)
            return
        }
        if let memory = guards.memory { chargeFrame(memory, context: context) }
        management.framesTaken(bufferedBytes: decoder.bufferedBytes, decodedAny: decoded, at: context.eventLoop.now)
        if inputClosedWhilePaused, !isClosing, context.channel.isWritable {
            inputClosedWhilePaused = false
            inputClosed(context: context)
        }
    }

    /// Reserves in the server-wide quota what the partial frame will need once complete — known
    /// from its header on, so a frame the quota has no room for is refused before its payload
    /// is buffered. Once per read (not per frame); small partial frames are not counted.
    private func chargeFrame(_ memory: MemoryQuota, context: ChannelHandlerContext) {
        let reserved = decoder.reservedBytes
        let charge = reserved > MemoryQuota.uncountedBytes ? reserved : 0
        guard charge != frameCharge, !isClosing else { return }
        if charge < frameCharge {
            memory.release(frameCharge - charge)
            frameCharge = charge
        } else if memory.tryReserve(charge - frameCharge) {
            frameCharge = charge
        } else {
            memoryQuotaExceeded(memory, what: "a frame of \(charge) bytes", context: context)
        }
    }

    private func memoryQuotaExceeded(_ memory: MemoryQuota, what: String, context: ChannelHandlerContext) {
        statistics.connectionClosedForMemoryQuota()
        let message =
            "server memory for unfinished frames and unread answers is at its quota (\(memory.limit) bytes); \(what) does not fit: retry later, with backoff, or send smaller frames"
        guards.memoryLog.warning(
            logger, "connection closed: memory quota reached",
            metadata: [
                "what": "\(what)", "reserved": "\(memory.reservedBytes)", "quota": "\(memory.limit)",
            ])
        perform(stateMachine.memoryQuotaExceeded(message), context: context)
    }

    private func inputClosed(context: ChannelHandlerContext) {
        let truncated = decoder.truncation()
        if let truncated { logger.debug("input closed mid-frame", metadata: ["error": "\(truncated.status)"]) }
        perform(stateMachine.inputClosed(truncated: truncated), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        decoder.compact()
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // ChannelShouldQuiesceEvent goes on to the management handler (it owns the grace timer).
        if let event = event as? ClientCertificateAuthenticated {
            markAuthenticated(event.unit)
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            if context.channel.isWritable || decoder.bufferedBytes == 0 {
                inputClosed(context: context)
            } else {
                inputClosedWhilePaused = true  // complete frames may still be waiting
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        close(context: context)
    }

    // MARK: Backpressure: stop reading while the peer is not reading our answers.

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            // Below the high-water mark again: unread answers are no longer counted in the quota.
            if answerCharge > 0 {
                guards.memory?.release(answerCharge)
                answerCharge = 0
            }
            // Calls that arrived while the peer was not reading, then more from the socket.
            processFrames(context: context)
            flushIfNeeded(context: context)
            if readPending, !isClosing {
                readPending = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Actions

    private func perform(_ action: ServerConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .acceptPreface:
            var buffer = context.channel.allocator.buffer(capacity: 64)
            buffer.writeBytes(Preface.bytes)
            let settings = ServerSettings(
                protocolVersion: UInt32(Preface.version),
                maxFrameSize: UInt32(clamping: configuration.maxFramePayload),
                maxConcurrentCalls: UInt32(clamping: configuration.maxConcurrentCallsPerConnection),
                idleTimeoutMillis: UInt32(clamping: configuration.idleTimeout.nanoseconds / 1_000_000),
                serverName: configuration.serverName,
                authenticationRequired: configuration.authenticationRequired
            )
            buffer.writeFrame(type: .settings, callID: 0, message: settings)
            write(buffer, context: context)
        case .refusePreface(let goAway):
            logger.debug("refused connection preface", metadata: ["reason": "\(goAway.message)"])
            var buffer = context.channel.allocator.buffer(capacity: 128)
            buffer.writeBytes(Preface.bytes)
            buffer.writeFrame(type: .goAway, callID: 0, message: goAway)
            write(buffer, context: context)
            close(context: context)
        case .startCall(let start):
            startCall(start, context: context)
        case .rejectCall(let callID, let error, let method):
            logger.debug("call rejected", metadata: ["call": "\(callID)", "status": "\(error.code)", "reason": "\(error.message)"])
            configuration.callObserver?.callRefused(methodPath: method?.path, status: error.code)
            writeStatus(error, callID: callID, context: context)
        case .cancelCall(let callID):
            if let call = removeCall(callID) {
                call.task?.cancel()
                statistics.callEnded(ok: false)
                logger.trace("call cancelled by client", metadata: ["call": "\(callID)"])
            }
            perform(stateMachine.callFinished(callID), context: context)
        case .sendPong(let payload):
            var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength + 8)
            buffer.writeFrame(type: .pong, callID: 0, payload: payload)
            write(buffer, context: context)
        case .goAway(let goAway, let closeNow):
            var buffer = context.channel.allocator.buffer(capacity: 128)
            buffer.writeFrame(type: .goAway, callID: 0, message: goAway)
            write(buffer, context: context)
            if closeNow { close(context: context) } else { flushIfNeeded(context: context) }
        case .failConnection(let goAway, let openCalls):
            logger.debug("closing connection", metadata: ["status": "\(StatusCode(rawValue: goAway.code))", "reason": "\(goAway.message)"])
            for callID in openCalls {
                if let call = removeCall(callID) {
                    call.task?.cancel()
                }
            }
            var buffer = context.channel.allocator.buffer(capacity: 128)
            buffer.writeFrame(type: .goAway, callID: 0, message: goAway)
            write(buffer, context: context)
            close(context: context)
        case .close:
            close(context: context)
        }
    }

    private func startCall(_ start: ServerConnectionStateMachine.StartCall, context: ChannelHandlerContext) {
        guard let implementation = registry.implementation(for: start.method.id) else {
            // The method table and implementations come from the same registry, so this is a bug.
            configuration.callObserver?.callRefused(methodPath: start.method.path, status: .internal)
            writeStatus(RPCError(.internal, "no implementation for \(start.method.path)"), callID: start.callID, context: context)
            perform(stateMachine.callFinished(start.callID), context: context)
            return
        }
        let now = context.eventLoop.now
        let deadline =
            start.header.timeoutMicros > 0
            ? now + .microseconds(Int64(clamping: start.header.timeoutMicros)) : nil
        // Per-call metadata only when something will read it: setting it copies the metadata
        // dictionary, which measured ~6% of a lookup's server CPU at info level.
        var callLogger = logger
        if logger.logLevel <= .debug {
            callLogger[metadataKey: "call"] = "\(start.callID)"
            callLogger[metadataKey: "method"] = "\(start.method.path)"
        }
        let stamps = registry.staged.contains(start.method.id) ? CallStamps(received: lastReadNanos) : nil
        let callContext = CallContext(
            callID: start.callID, method: start.method, metadata: start.header.metadata, deadline: deadline,
            unit: stateMachine.unit, remoteAddress: remoteAddress, sourceAddress: source, logger: callLogger, session: session!,
            stamps: stamps
        )
        let allocator = context.channel.allocator
        let payload = start.request
        let callID = start.callID
        let bound = loopBound!

        // Overload shedding: past the server-wide number of calls in progress, refuse at once
        // rather than queue (streams are long-lived and inline calls never wait: not counted).
        var counted = false
        if let limit = configuration.maxCallsInProgress {
            switch implementation {
            case .callback, .unary:
                guard statistics.tryStartCall(limit: limit) else {
                    statistics.callShed()
                    configuration.callObserver?.callRefused(methodPath: start.method.path, status: .unavailable)
                    writeStatus(
                        RPCError(.unavailable, "server overloaded: \(limit) calls in progress on this server (its limit); retry after 100 ms, with backoff"),
                        callID: callID, context: context)
                    perform(stateMachine.callFinished(callID), context: context)
                    return
                }
                counted = true
            case .inline, .serverStreaming:
                break
            }
        }

        switch implementation {
        case .inline(let body):
            let answer: Result<ByteBuffer, Error> = Result { try body(payload, callContext, allocator) }
            finishCall(callID, answer, context: context)
            return
        case .callback(let body):
            calls[callID] = RunningCall(counted: counted, stamps: stamps)
            let deliver = answerDelivery(bound)
            body(payload, callContext, allocator) { answer in deliver(callID, answer) }
            guard calls[callID] != nil else { return }  // answered synchronously
        case .unary(let body):
            var call = RunningCall(counted: counted)
            let deliver = answerDelivery(bound)
            call.task = Task {
                let answer: Result<ByteBuffer, Error>
                do { answer = .success(try await body(payload, callContext, allocator)) } catch { answer = .failure(error) }
                deliver(callID, answer)
            }
            calls[callID] = call
        case .serverStreaming(let body):
            var call = RunningCall()
            let sink = StreamSink(callID: callID, allocator: allocator, handler: bound)
            let deliver = answerDelivery(bound)
            call.task = Task {
                let answer: Result<ByteBuffer, Error>
                do {
                    try await body(payload, callContext, sink)
                    answer = .success(ByteBuffer())
                } catch { answer = .failure(error) }
                deliver(callID, answer)
            }
            calls[callID] = call
        }
        if let deadline {
            calls[callID]?.deadline = deadline
            armDeadlineAlarm(deadline, context: context)
        }
    }

    /// How an answer finished off the event loop reaches it: straight through when already on
    /// the loop, else via the mailbox (one wake-up and one flush for all answers waiting).
    private func answerDelivery(_ bound: NIOLoopBound<ServerConnectionHandler>) -> @Sendable (UInt32, Result<ByteBuffer, Error>) -> Void {
        let mailbox = self.mailbox
        return { callID, answer in
            if bound.eventLoop.inEventLoop {
                if let stamps = bound.value.taskFinished(callID, answer) { bound.value.statistics.stages.record(calls: [stamps]) }
                if let context = bound.value.context { bound.value.scheduleFlush(context: context) }
            } else if mailbox.post((callID, answer)) {
                bound.eventLoop.execute { bound.value.collectAnswers() }
            }
        }
    }

    /// Writes every answer waiting in the mailbox, then flushes once. The stage times of the
    /// answers written are recorded together, under one lock per wake-up.
    private func collectAnswers() {
        var staged: [CallStamps] = []
        for (callID, answer) in mailbox.collect() {
            if let stamps = taskFinished(callID, answer) { staged.append(stamps) }
        }
        if !staged.isEmpty { statistics.stages.record(calls: staged) }
        if let context { flushIfNeeded(context: context) }
    }

    /// A call's work ended (on the event loop); the caller flushes. Returns the call's stamps, its
    /// answer's write marked, when its stages are recorded.
    private func taskFinished(_ callID: UInt32, _ answer: Result<ByteBuffer, Error>) -> CallStamps? {
        guard let context, let call = removeCall(callID) else { return nil }  // cancelled or timed out
        finishCall(callID, answer, context: context)
        guard let stamps = call.stamps else { return nil }
        stamps.mark(.answered)
        return stamps
    }

    private func finishCall(_ callID: UInt32, _ answer: Result<ByteBuffer, Error>, context: ChannelHandlerContext) {
        switch answer {
        case .success(let frame) where frame.readableBytes > 0:
            // No frame larger than the max_frame_size the client was told (it would refuse it).
            if frame.readableBytes - Frame.headerLength > configuration.maxFramePayload {
                writeStatus(
                    Self.answerTooLarge(frame.readableBytes - Frame.headerLength, limit: configuration.maxFramePayload),
                    callID: callID, context: context)
            } else {
                statistics.callEnded(ok: true)
                write(frame, context: context)
            }
        case .success:
            writeStatus(RPCError(.ok, ""), callID: callID, context: context)
        case .failure(let error):
            writeStatus(Self.status(for: error, logger: logger), callID: callID, context: context)
        }
        perform(stateMachine.callFinished(callID), context: context)
    }

    /// Makes sure the deadline alarm rings no later than `deadline`.
    private func armDeadlineAlarm(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        if let at = deadlineAlarmAt, at <= deadline { return }
        deadlineAlarm?.cancel()
        deadlineAlarmAt = deadline
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        deadlineAlarm = context.eventLoop.scheduleTask(deadline: deadline) { bound.value.deadlineAlarmRang() }
    }

    /// Ends every call whose deadline has passed, then sets the alarm for the next earliest one.
    private func deadlineAlarmRang() {
        deadlineAlarm = nil
        deadlineAlarmAt = nil
        guard let context else { return }
        let now = context.eventLoop.now
        let expired = calls.filter { $0.value.deadline.map { $0 <= now } ?? false }.keys.sorted()
        for callID in expired { deadlinePassed(callID) }
        if let next = calls.values.compactMap(\.deadline).min() { armDeadlineAlarm(next, context: context) }
    }

    private func deadlinePassed(_ callID: UInt32) {
        guard let context, let call = removeCall(callID) else { return }
        call.task?.cancel()
        logger.debug("deadline exceeded", metadata: ["call": "\(callID)"])
        writeStatus(
            RPCError(.deadlineExceeded, "the call did not finish within its deadline; the server stopped working on it"),
            callID: callID, context: context)
        perform(stateMachine.callFinished(callID), context: context)
        scheduleFlush(context: context)
    }

    /// A streaming call's message; fails once the call is no longer running.
    func writeStreamFrame(_ frame: ByteBuffer, callID: UInt32) -> EventLoopFuture<Void> {
        guard let context, calls[callID] != nil, !isClosing else {
            return loopBound!.eventLoop.makeFailedFuture(CancellationError())
        }
        if frame.readableBytes - Frame.headerLength > configuration.maxFramePayload {
            return context.eventLoop.makeFailedFuture(
                Self.answerTooLarge(
                    frame.readableBytes - Frame.headerLength,
                    limit: configuration.maxFramePayload))
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(frame), promise: promise)
        return promise.futureResult
    }

    func markAuthenticated(_ unit: AuthenticatedUnit) {
        guard !isClosing, let session else { return }
        if let registeredCredential { sessions.unregister(session, credentialID: registeredCredential) }
        registeredCredential = nil
        if let revoked = sessions.register(session, credentialID: unit.credentialID) {
            credentialRevoked(revoked)
            return
        }
        registeredCredential = unit.credentialID
        stateMachine.authenticated(unit)
        management.authenticated()
        if admitted, !countedAuthenticated {
            countedAuthenticated = true
            statistics.connectionAuthenticated()
        }
        decoder.maxPayload = configuration.maxFramePayload
        logger[metadataKey: "unit"] = "\(unit.unitCode)"
        logger.debug("connection authenticated", metadata: ["credential": "\(unit.credentialID)"])
    }

    /// The connection's credential was revoked: its open calls end and the connection closes
    /// with GOAWAY (UNAUTHENTICATED), so the revocation holds for sessions already open.
    func credentialRevoked(_ message: String) {
        guard let context, !isClosing else { return }
        registeredCredential = nil
        logger.debug("closing connection: credential revoked")
        let goAway = GoAway(lastCallID: 0, code: StatusCode.unauthenticated.rawValue, message: message)
        perform(.failConnection(goAway, openCalls: Array(calls.keys)), context: context)
    }

    // MARK: ManagedConnection: what the management handler asks and tells

    var isAwaitingPreface: Bool { stateMachine.isAwaitingPreface }

    var openCallCount: Int { stateMachine.openCallCount }

    func clockRanOut(_ timeout: ServerConnectionManagementStateMachine.Action) -> Bool {
        guard let context, !isClosing else { return false }
        switch timeout {
        case .handshakeTimedOut:
            logger.debug("handshake timed out", metadata: ["preface_bytes": "\(prefaceBytes.count)"])
            perform(
                stateMachine.handshakeTimedOut(after: Self.describe(configuration.handshakeTimeout), received: prefaceBytes.count),
                context: context)
        case .authenticationTimedOut:
            logger.debug("authentication timed out")
            statistics.connectionClosedUnauthenticated()
            perform(stateMachine.authenticationTimedOut(after: Self.describe(configuration.authenticationTimeout)), context: context)
        case .frameTimedOut:
            guard case .truncatedFrame(let have, let need)? = decoder.truncation() else { return false }
            logger.debug("frame timed out", metadata: ["have": "\(have)", "need": "\(need)"])
            perform(stateMachine.frameTimedOut(after: Self.describe(configuration.frameTimeout), have: have, need: need), context: context)
        case .keepaliveTimedOut:
            logger.debug("keepalive timed out")
            perform(stateMachine.keepaliveTimedOut(), context: context)
        case .idleTimedOut:
            logger.trace("idle timeout")
            perform(stateMachine.idleTimeoutReached(after: Self.describe(configuration.idleTimeout)), context: context)
        case .none, .sendPing:
            return false
        }
        return true
    }

    func ticked() {
        guard let context, !isClosing else { return }
        if !context.channel.isWritable { checkPendingAnswers(context: context) }
    }

    func drain() -> Bool {
        guard let context, !isClosing else { return false }
        perform(stateMachine.shutdownRequested(), context: context)
        return !isClosing
    }

    func graceExpired() {
        guard let context, !isClosing else { return }
        for callID in Array(calls.keys) {
            let call = removeCall(callID)
            call?.task?.cancel()
            writeStatus(
                RPCError(.unavailable, "server shut down before the call finished; retry on another connection"),
                callID: callID, context: context)
        }
        close(context: context)
    }

    // MARK: Writing

    private func write(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(buffer), promise: nil)
        needsFlush = true
        // Past the high-water mark, each further answer is checked against the cap.
        if !context.channel.isWritable { checkPendingAnswers(context: context) }
    }

    private func writeStatus(_ error: RPCError, callID: UInt32, context: ChannelHandlerContext) {
        statistics.callEnded(ok: error.code == .ok)
        var buffer = context.channel.allocator.buffer(capacity: 32 + error.message.utf8.count)
        buffer.writeFrame(type: .status, callID: callID, message: CallStatus(code: error.code.rawValue, message: error.message))
        write(buffer, context: context)
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
            // Below the high-water mark (which is under the cap) there is nothing to check.
            if !context.channel.isWritable { checkPendingAnswers(context: context) }
        }
    }

    /// Answer bytes the peer has not taken: recorded for the statistics; past the cap the
    /// connection is closed (reading stopped long before, so only answers of calls already
    /// running can get here).
    private func checkPendingAnswers(context: ChannelHandlerContext) {
        guard !isClosing, !checkingPending, let pending = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes) else { return }
        statistics.pendingAnswerBytesSeen(pending)
        if pending > configuration.maxPendingAnswerBytes {
            checkingPending = true  // the GOAWAY written below must not come back here
            logger.debug("peer does not read its answers", metadata: ["pending_bytes": "\(pending)"])
            statistics.connectionClosedForNotReading()
            perform(stateMachine.answersNotRead(pending: pending, limit: configuration.maxPendingAnswerBytes), context: context)
            return
        }
        // Past the high-water mark, unread answers count in the server-wide memory quota.
        if let memory = guards.memory, pending != answerCharge {
            if pending < answerCharge {
                memory.release(answerCharge - pending)
                answerCharge = pending
            } else if memory.tryReserve(pending - answerCharge) {
                answerCharge = pending
            } else {
                checkingPending = true
                memoryQuotaExceeded(memory, what: "\(pending) bytes of answers this client has not read", context: context)
            }
        }
    }

    /// Forgets a call, giving back its place in the server-wide count.
    private func removeCall(_ callID: UInt32) -> RunningCall? {
        guard let call = calls.removeValue(forKey: callID) else { return nil }
        if call.counted { statistics.finishCall() }
        return call
    }

    /// Coalesces the flushes of answers that arrive from tasks within one event-loop tick.
    private func scheduleFlush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        let bound = loopBound!
        context.eventLoop.execute {
            let handler = bound.value
            handler.flushScheduled = false
            if let context = handler.context { handler.flushIfNeeded(context: context) }
        }
    }

    private func close(context: ChannelHandlerContext) {
        guard !isClosing else { return }
        isClosing = true
        flushIfNeeded(context: context)
        context.close(promise: nil)
    }

    // MARK: Helpers

    /// Maps what an implementation threw to the status the caller sees. Unexpected errors are
    /// logged here and reported as INTERNAL without their details.
    static func status(for error: Error, logger: Logger) -> RPCError {
        switch error {
        case let error as RPCError:
            if let cause = error.cause { logger.debug("call failed", metadata: ["status": "\(error)", "cause": "\(cause)"]) }
            return error
        case let error as any RPCErrorConvertible:
            return status(for: error.rpcError, logger: logger)
        case let error as CodecError:
            return RPCError(.invalidArgument, "bad request message: \(error)")
        case is CancellationError:
            return RPCError(.cancelled, "the call was cancelled")
        default:
            logger.error("method failed with an unexpected error", metadata: ["error": "\(error)"])
            return RPCError(.internal, "internal error; the server log has the details")
        }
    }

    static func answerTooLarge(_ size: Int, limit: Int) -> RPCError {
        RPCError(.resourceExhausted, "the answer would be \(size) bytes, over max_frame_size \(limit); ask for less, e.g. page through the results")
    }

    static func describe(_ amount: TimeAmount) -> String {
        let ms = amount.nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
