package import NIOCore

/// The clocks of one server connection, as a plain state machine: the handshake and
/// authentication deadlines, the slow-loris frame timeout, keepalive PINGs and the idle timeout.
/// Events come in with the time they happened (the event loop's clock, which tests move), a
/// periodic tick asks what is due, and the answer is an `Action`; no I/O, no timers.
/// `ServerConnectionManagementHandler` owns the tick timer and performs the actions (modelled on
/// grpc-swift-nio-transport's `ServerConnectionManagementHandler.StateMachine`).
package struct ServerConnectionManagementStateMachine: Sendable {
    package struct Configuration: Sendable {
        package var handshakeTimeout: TimeAmount
        /// nil: the connection need not authenticate.
        package var authenticationTimeout: TimeAmount?
        package var frameTimeout: TimeAmount
        package var idleTimeout: TimeAmount
        package var keepaliveInterval: TimeAmount
        package var keepaliveTimeout: TimeAmount

        package init(
            handshakeTimeout: TimeAmount, authenticationTimeout: TimeAmount?, frameTimeout: TimeAmount,
            idleTimeout: TimeAmount, keepaliveInterval: TimeAmount, keepaliveTimeout: TimeAmount
        ) {
            self.handshakeTimeout = handshakeTimeout
            self.authenticationTimeout = authenticationTimeout
            self.frameTimeout = frameTimeout
            self.idleTimeout = idleTimeout
            self.keepaliveInterval = keepaliveInterval
            self.keepaliveTimeout = keepaliveTimeout
        }

        package init(_ server: ServerConfiguration) {
            self.init(
                handshakeTimeout: server.handshakeTimeout,
                authenticationTimeout: server.authenticationRequired ? server.authenticationTimeout : nil,
                frameTimeout: server.frameTimeout, idleTimeout: server.idleTimeout,
                keepaliveInterval: server.keepaliveInterval, keepaliveTimeout: server.keepaliveTimeout)
        }
    }

    /// What a tick found due. The handler builds the frames and the messages.
    package enum Action: Equatable, Sendable {
        case none
        /// The client's preface did not arrive within `handshakeTimeout`.
        case handshakeTimedOut
        /// Not authenticated within `authenticationTimeout` of opening.
        case authenticationTimedOut
        /// A frame started more than `frameTimeout` ago is still incomplete (slow-loris).
        case frameTimedOut
        /// A PING went unanswered for `keepaliveTimeout`.
        case keepaliveTimedOut
        /// No call open and nothing received for `idleTimeout`.
        case idleTimedOut
        /// Calls open but nothing received for `keepaliveInterval`: send a PING (now recorded as sent).
        case sendPing
    }

    private let configuration: Configuration
    private let openedAt: NIODeadline
    /// Authenticated, or authentication not required: every byte received counts as activity
    /// for the idle timeout. Before that PINGs do not (they must not keep a connection alive).
    package private(set) var countsEveryByte: Bool
    package private(set) var isAuthenticated = false
    private var lastInbound: NIODeadline
    private var pingSentAt: NIODeadline?
    /// When the first byte of the frame now partly received arrived (slow-loris deadline).
    private var frameStartedAt: NIODeadline?

    package init(configuration: Configuration, openedAt: NIODeadline) {
        self.configuration = configuration
        self.openedAt = openedAt
        self.lastInbound = openedAt
        self.countsEveryByte = configuration.authenticationTimeout == nil
    }

    // MARK: Events

    /// Bytes arrived from the peer (any bytes answer our PING). `now` is read only when it counts.
    package mutating func bytesReceived(at now: @autoclosure () -> NIODeadline) {
        if countsEveryByte { lastInbound = now() }
        pingSentAt = nil
    }

    /// A complete frame arrived. Before authenticating, frames other than PING are activity.
    package mutating func frameReceived(isPing: Bool, at now: @autoclosure () -> NIODeadline) {
        if !countsEveryByte, !isPing { lastInbound = now() }
    }

    /// After a read's frames were taken: `bufferedBytes` of an incomplete frame remain. The
    /// slow-loris clock runs from the first byte of a frame still incomplete.
    package mutating func framesTaken(bufferedBytes: Int, decodedAny: Bool, at now: @autoclosure () -> NIODeadline) {
        if bufferedBytes == 0 {
            frameStartedAt = nil
        } else if decodedAny || frameStartedAt == nil {
            frameStartedAt = now()
        }
    }

    /// The connection authenticated: from now on every byte is activity.
    package mutating func authenticated() {
        isAuthenticated = true
        countsEveryByte = true
    }

    // MARK: Ticks

    /// The deadlines that end a connection whatever its calls: handshake, authentication,
    /// slow-loris. `peerReading`: the channel is writable (while we, not the peer, hold up
    /// reading, the frame clock does not count).
    package func checkDeadlines(now: NIODeadline, awaitingPreface: Bool, peerReading: Bool) -> Action {
        if awaitingPreface {
            return now - openedAt >= configuration.handshakeTimeout ? .handshakeTimedOut : .none
        }
        // From the connection's opening: nothing but authenticating (PINGs, health checks) extends it.
        if let timeout = configuration.authenticationTimeout, !isAuthenticated, now - openedAt >= timeout {
            return .authenticationTimedOut
        }
        if let frameStartedAt, peerReading, now - frameStartedAt >= configuration.frameTimeout {
            return .frameTimedOut
        }
        return .none
    }

    /// Keepalive and idleness, once the deadlines passed. Not while awaiting the preface.
    package mutating func checkActivity(now: NIODeadline, openCalls: Int) -> Action {
        if let pingSentAt {
            return now - pingSentAt >= configuration.keepaliveTimeout ? .keepaliveTimedOut : .none
        }
        let quiet = now - lastInbound
        if openCalls == 0 {
            return quiet >= configuration.idleTimeout ? .idleTimedOut : .none
        }
        if quiet >= configuration.keepaliveInterval {
            pingSentAt = now
            return .sendPing
        }
        return .none
    }
}
