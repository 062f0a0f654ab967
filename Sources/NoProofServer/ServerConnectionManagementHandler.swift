import Logging
import NIOCore
import NIOExtras
import NoProofProtocol

/// One connection's clocks, beside its call handler: handshake and authentication deadlines,
/// slow-loris, keepalive PING/PONG, idle timeout, and graceful quiesce (GOAWAY, then the grace
/// period). The decisions are `ServerConnectionManagementStateMachine`'s (state in, action out,
/// no I/O); this handler feeds it, owns the connection's one repeated tick and the grace timer,
/// and performs what is due (modelled on grpc-swift-nio-transport's
/// `ServerConnectionManagementHandler`).
///
/// The event loop is the clock and the scheduler: `eventLoop.now` and its timers, so a test on
/// an `NIOAsyncTestingChannel` moves time with `advanceTime` and nothing sleeps.
///
/// It sits after the call handler (`ServerConnectionHandler`) in the pipeline. The call handler
/// consumes every read (its frame decoder is inside it), so no read or frame passes through here:
/// the call handler reports bytes and frames by direct calls (`bytesReceived`, `frameReceived`,
/// `framesTaken`), and this handler reaches the call handler through `ManagedConnection`.
/// Lifecycle and quiesce events come down the pipeline as usual.
final class ServerConnectionManagementHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: ServerConfiguration
    private var logger: Logger
    private var machine: ServerConnectionManagementStateMachine
    /// The call handler; set by it when it is created.
    weak var connection: (any ManagedConnection)?

    private var context: ChannelHandlerContext?
    private var started = false
    private var tick: RepeatedTask?
    private var graceTimer: Scheduled<Void>?

    init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.machine = ServerConnectionManagementStateMachine(configuration: .init(configuration), openedAt: .uptimeNanoseconds(0))
    }

    /// Authenticated, so every byte counts as activity and the authentication deadline is met.
    var isAuthenticated: Bool { machine.isAuthenticated }

    // MARK: What the call handler reports (direct calls: on every read, no pipeline hop)

    /// Bytes arrived from the peer. `now` is read only when it counts.
    @inline(__always)
    func bytesReceived(at now: @autoclosure () -> NIODeadline) {
        machine.bytesReceived(at: now())
    }

    /// A complete frame arrived.
    @inline(__always)
    func frameReceived(isPing: Bool, at now: @autoclosure () -> NIODeadline) {
        machine.frameReceived(isPing: isPing, at: now())
    }

    /// A read's frames were taken; `bufferedBytes` of an incomplete frame remain.
    @inline(__always)
    func framesTaken(bufferedBytes: Int, decodedAny: Bool, at now: @autoclosure () -> NIODeadline) {
        machine.framesTaken(bufferedBytes: bufferedBytes, decodedAny: decodedAny, at: now())
    }

    /// The connection authenticated.
    func authenticated() {
        machine.authenticated()
    }

    // MARK: Life cycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    /// The clocks start when the connection does, unless the call handler refused it already.
    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard let connection, !connection.isClosing else { return }
        logger[metadataKey: "peer"] = "\(context.channel.remoteAddress?.description ?? "?")"
        machine = ServerConnectionManagementStateMachine(configuration: .init(configuration), openedAt: context.eventLoop.now)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        tick = context.eventLoop.scheduleRepeatedTask(initialDelay: configuration.tickInterval, delay: configuration.tickInterval) { _ in
            bound.value.onTick()
        }
    }

    private func stop() {
        tick?.cancel()
        tick = nil
        graceTimer?.cancel()
        graceTimer = nil
    }

    // MARK: Quiesce

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard let connection, !connection.isClosing, graceTimer == nil else { return }
        logger.debug("graceful shutdown: draining connection", metadata: ["open_calls": "\(connection.openCallCount)"])
        if connection.drain() {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            graceTimer = context.eventLoop.scheduleTask(in: configuration.shutdownGracePeriod) {
                bound.value.graceExpired()
            }
        }
    }

    private func graceExpired() {
        graceTimer = nil
        guard let connection, !connection.isClosing else { return }
        logger.debug("graceful shutdown: grace period over", metadata: ["open_calls": "\(connection.openCallCount)"])
        connection.graceExpired()
    }

    // MARK: Ticks

    private func onTick() {
        guard let context, let connection, !connection.isClosing else { return }
        let now = context.eventLoop.now
        let awaitingPreface = connection.isAwaitingPreface
        let deadline = machine.checkDeadlines(now: now, awaitingPreface: awaitingPreface, peerReading: context.channel.isWritable)
        if deadline != .none, connection.clockRanOut(deadline) { return }
        if awaitingPreface { return }
        connection.ticked()
        guard !connection.isClosing else { return }
        let activity = machine.checkActivity(now: now, openCalls: connection.openCallCount)
        switch activity {
        case .sendPing:
            var buffer = context.channel.allocator.buffer(capacity: Frame.headerLength + 8)
            buffer.writeFrameHeader(type: .ping, callID: 0, length: 8)
            buffer.writeInteger(UInt64(now.uptimeNanoseconds))
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        case .keepaliveTimedOut, .idleTimedOut:
            _ = connection.clockRanOut(activity)
        case .none, .handshakeTimedOut, .authenticationTimedOut, .frameTimedOut:
            break
        }
    }
}
