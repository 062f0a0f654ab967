package import NIOCore
import NoProofProtocol

/// Settings of one RPC listener.
package struct ServerConfiguration: Sendable {
    package var host: String = "127.0.0.1"
    /// 0 picks a free port (tests); see `NoProofServer.listeningAddress()`.
    package var port: Int = 7420
    package var serverName: String = "noproofd"
    package var serverVersion: String = "0.1.0"
    /// Largest frame payload accepted; larger frames end the connection with RESOURCE_EXHAUSTED.
    package var maxFramePayload: Int = Frame.defaultMaxPayload
    package var maxConcurrentCallsPerConnection: Int = 1024
    /// A connection with no open call and nothing received for this long is closed.
    package var idleTimeout: TimeAmount = .minutes(5)
    /// With calls open but nothing received for this long, the server sends a PING...
    package var keepaliveInterval: TimeAmount = .seconds(30)
    /// ...and closes the connection if nothing arrives for this long after it.
    package var keepaliveTimeout: TimeAmount = .seconds(10)
    /// How long calls may run after a graceful shutdown begins before they are cut off.
    package var shutdownGracePeriod: TimeAmount = .seconds(10)
    /// Calls other than Health and Session need an authenticated connection.
    package var authenticationRequired: Bool = true
    /// TLS on this listener (nil = plain TCP). With a client CA, connections authenticate by
    /// their client certificate.
    package var tls: ServerTLSConfiguration?

    // Hostile peers (docs/RELIABILITY.md).
    /// The client's 8-byte preface must have arrived within this long of the connection opening.
    package var handshakeTimeout: TimeAmount = .seconds(10)
    /// A frame whose first byte has arrived must be complete within this long (slow-loris).
    package var frameTimeout: TimeAmount = .seconds(30)
    /// Answer bytes one connection may have waiting for its peer to read; beyond, the connection
    /// is closed (RESOURCE_EXHAUSTED). Reading stops well before that, at the write high-water mark.
    package var maxPendingAnswerBytes: Int = 8 * 1024 * 1024
    /// Calls in progress (unary and callback, not streams) across all connections; past it new
    /// calls are shed at once with UNAVAILABLE. nil: no limit.
    package var maxCallsInProgress: Int? = nil

    // Connection hygiene (docs/RELIABILITY.md, "Unauthenticated exhaustion").
    /// Open connections on the whole server; past it a new connection gets GOAWAY
    /// RESOURCE_EXHAUSTED and is closed. Default: the file-descriptor limit less a reserve
    /// (`FileDescriptorBudget`). nil: no cap.
    package var maxConnections: Int? = FileDescriptorBudget.defaultMaxConnections()
    /// Open connections from one source address. nil: no cap.
    package var maxConnectionsPerSource: Int? = 1024
    /// With `authenticationRequired`, a connection that has not authenticated this long after
    /// opening gets GOAWAY UNAUTHENTICATED and is closed; PINGs and health checks do not extend it.
    package var authenticationTimeout: TimeAmount = .seconds(10)
    /// Largest frame payload accepted before the connection authenticates (with
    /// `authenticationRequired`): only Session and Health calls are allowed then.
    package var maxUnauthenticatedFramePayload: Int = 64 * 1024
    /// Bytes of unfinished frames and unread answers the whole server may hold. nil: no quota.
    package var memoryQuotaBytes: Int? = 256 * 1024 * 1024
    /// Call metadata (keys and values) per call; beyond, the call fails RESOURCE_EXHAUSTED.
    package var maxMetadataBytes: Int = 8 * 1024
    /// Backoff after failed authentications per source and per credential id. nil: none.
    package var authenticationThrottle: AuthenticationThrottle.Policy? = AuthenticationThrottle.Policy()
    /// Hears every call's method, status and duration (metrics). nil: calls are not observed.
    package var callObserver: (any CallObserver)?

    package init() {}

    /// The frame limit while the connection has not authenticated.
    var initialMaxFramePayload: Int {
        authenticationRequired ? min(maxFramePayload, maxUnauthenticatedFramePayload) : maxFramePayload
    }

    /// How often each connection checks its idle, keepalive, handshake and frame clocks.
    var tickInterval: TimeAmount {
        var shortest = min(idleTimeout, keepaliveInterval, keepaliveTimeout, handshakeTimeout, frameTimeout)
        if authenticationRequired { shortest = min(shortest, authenticationTimeout) }
        return max(.milliseconds(10), .nanoseconds(shortest.nanoseconds / 4))
    }
}
