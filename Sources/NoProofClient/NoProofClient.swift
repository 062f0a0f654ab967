import Logging
package import NIOCore
import NIOPosix
import NIOSSL
package import NoProofCodec
package import NoProofProtocol

/// A connection to a NoProof server with an async/await API. Many calls may be in flight at
/// once on one client (they are multiplexed by call id); every call can carry a deadline and
/// is cancelled on the server when its task is cancelled.
package final class NoProofClient: Sendable {
    package struct Configuration: Sendable {
        package var host: String
        package var port: Int
        /// Credential id and secret; when set, `connect` authenticates the connection.
        package var credential: (id: String, secret: String)?
        package var connectTimeout: Duration = .seconds(5)
        /// Deadline for calls that do not give their own; nil = none.
        package var defaultTimeout: Duration? = .seconds(30)
        package var maxFramePayload: Int = Frame.defaultMaxPayload
        /// TLS (nil = plain TCP). With a client certificate the connection is authenticated by
        /// it, and `credential` may stay nil.
        package var tls: ClientTLSConfiguration?

        package init(host: String = "127.0.0.1", port: Int = 7420, credential: (id: String, secret: String)? = nil) {
            self.host = host
            self.port = port
            self.credential = credential
        }
    }

    private let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    private let configuration: Configuration
    /// What the server announced in its SETTINGS frame.
    package let settings: ServerSettings
    /// The unit the connection authenticated as, when a credential was given.
    package let session: AuthenticateResponse?

    private init(
        channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>, configuration: Configuration,
        settings: ServerSettings, session: AuthenticateResponse?
    ) {
        self.channel = channel
        self.handler = handler
        self.configuration = configuration
        self.settings = settings
        self.session = session
    }

    /// Connects, exchanges prefaces, waits for the server's SETTINGS and authenticates if a
    /// credential is configured.
    package static func connect(
        _ configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NoProofClient {
        try await open(
            configuration, group: group, failure: "cannot connect to \(configuration.host):\(configuration.port)", hint: "; is noproofd running there?"
        ) {
            $0.channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(
                    .nanoseconds(
                        Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                            + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
                )
                .connect(host: configuration.host, port: configuration.port)
        }
    }

    /// Opens a channel with `connect` on a bootstrap that installs the connection's handlers, then
    /// exchanges prefaces, waits for the server's SETTINGS and authenticates (`start`). A channel
    /// that cannot be opened is UNAVAILABLE: "`failure` (error)`hint`".
    static func open(
        _ configuration: Configuration, group: any EventLoopGroup, failure: String, hint: String = "",
        _ connect: (ClientBootstrap) -> EventLoopFuture<any Channel>
    ) async throws -> NoProofClient {
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: ServerSettings.self)
        let channel: any Channel
        do {
            let bootstrap = ClientBootstrap(group: eventLoop).channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addHandlers(to: channel, configuration: configuration, ready: ready)
                }
            }
            channel = try await connect(bootstrap).get()
        } catch {
            ready.fail(error)
            throw RPCError(.unavailable, "\(failure) (\(error))\(hint)")
        }
        return try await start(on: channel, eventLoop: eventLoop, ready: ready, configuration: configuration)
    }

    /// The connection's handlers: TLS when configured, then the client handler.
    static func addHandlers(to channel: any Channel, configuration: Configuration, ready: EventLoopPromise<ServerSettings>) throws {
        if let tls = configuration.tls {
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: tls.context, serverHostname: tls.hostname(for: configuration.host))
            )
        }
        try channel.pipeline.syncOperations.addHandler(ClientConnectionHandler(ready: ready, maxPayload: configuration.maxFramePayload))
    }

    /// Once connected: waits for the server's SETTINGS and authenticates if a credential is configured.
    static func start(
        on channel: any Channel, eventLoop: any EventLoop, ready: EventLoopPromise<ServerSettings>, configuration: Configuration
    ) async throws -> NoProofClient {
        let handler: NIOLoopBound<ClientConnectionHandler>
        do {
            handler = try await eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self), eventLoop: eventLoop)
            }.get()
        } catch {
            // The connection already closed (e.g. a failed TLS handshake tore the pipeline down):
            // report why, as the handler recorded it.
            channel.close(promise: nil)
            do { _ = try await ready.futureResult.get() } catch let reason as RPCError { throw reason } catch {}
            throw RPCError(.unavailable, "connection to \(configuration.host):\(configuration.port) closed while it was being set up")
        }
        let settings: ServerSettings
        do {
            settings = try await ready.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        var client = NoProofClient(channel: channel, handler: handler, configuration: configuration, settings: settings, session: nil)
        if let credential = configuration.credential {
            do {
                let session = try await client.authenticate(credentialID: credential.id, secret: credential.secret)
                client = NoProofClient(channel: channel, handler: handler, configuration: configuration, settings: settings, session: session)
            } catch {
                channel.close(promise: nil)
                throw error
            }
        }
        return client
    }

    /// Closes the connection: sends GOAWAY and closes; calls still open fail with UNAVAILABLE.
    package func close() async {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.goAwayAndClose() }
        try? await channel.closeFuture.get()
    }

    // MARK: Calls

    /// A unary call by method path or id. Throws `RPCError` for every failure.
    package func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodAddress, request: Request, as response: Response.Type,
        metadata: Metadata = [:], timeout: Duration? = nil
    ) async throws -> Response {
        let header = makeHeader(method, request: request, metadata: metadata, timeout: timeout)
        let timeAmount = (timeout ?? configuration.defaultTimeout).map(Self.timeAmount)
        let eventLoop = handler.eventLoop
        let promise = eventLoop.makePromise(of: ByteBuffer.self)
        let handler = self.handler
        let callID = CallIDBox()
        eventLoop.execute {
            callID.id = handler.value.start(header: header, pending: .unary(promise), timeout: timeAmount)
        }
        let payload = try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            eventLoop.execute {
                if let id = callID.id { handler.value.abandon(id, because: RPCError(.cancelled, "the call was cancelled")) }
            }
        }
        do {
            return try payload.readableProto(as: Response.self)
        } catch {
            throw RPCError(.internal, "the server's answer could not be decoded: \(error)")
        }
    }

    /// A server-streaming call: the messages as they arrive; the stream throws `RPCError` on failure.
    /// The configuration's default timeout does not apply: a stream (a watch) runs until the
    /// server ends it, the caller cancels it or the connection closes, unless `timeout` is given.
    package func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodAddress, request: Request, as response: Response.Type,
        metadata: Metadata = [:], timeout: Duration? = nil
    ) -> AsyncThrowingStream<Response, Error> {
        let header = makeHeader(method, request: request, metadata: metadata, timeout: timeout, applyingDefault: false)
        let timeAmount = timeout.map(Self.timeAmount)
        let handler = self.handler
        let (messages, continuation) = AsyncThrowingStream<Response, Error>.makeStream()
        let sink = StreamReceiver(
            yield: { frame in
                do {
                    continuation.yield(try frame.readableProto(as: Response.self))
                } catch {
                    continuation.finish(throwing: RPCError(.internal, "the server sent a message that could not be decoded: \(error)"))
                }
            },
            finish: { error in continuation.finish(throwing: error) }
        )
        let callID = CallIDBox()
        handler.eventLoop.execute {
            callID.id = handler.value.start(header: header, pending: .stream(sink), timeout: timeAmount)
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination {
                handler.eventLoop.execute {
                    if let id = callID.id { handler.value.abandon(id, because: RPCError(.cancelled, "the call was cancelled")) }
                }
            }
        }
        return messages
    }

    // MARK: Calls on the event loop (load generation)

    /// What `startUnary` calls with the answer's raw bytes (not decoded) or the call's failure.
    package typealias UnaryCompletion = (Result<ByteBuffer, RPCError>) -> Void

    /// The event loop the connection lives on: `startUnary` is called there and completes there.
    package var eventLoop: any EventLoop { handler.eventLoop }

    /// Starts a unary call from the connection's event loop (it traps elsewhere): the CALL frame
    /// is written at once, with no hop to another thread, no promise and no task, and `completion`
    /// runs on the event loop with the answer's bytes or the `RPCError` (a status, a deadline,
    /// the connection closing). A load generator can start its next call from `completion`.
    ///
    /// Unlike `unary`, the configuration's default timeout does not apply: with `timeout` nil the
    /// call has no deadline and no timer; with one, the server is told and a timer abandons the
    /// call if no answer comes in time. `completion` is never called before this returns.
    /// Returns the call id (for `abandonUnary`), or nil if the call could not start.
    @discardableResult
    package func startUnary(
        _ method: MethodAddress, payload: [UInt8], metadata: Metadata = [:], timeout: Duration? = nil,
        completion: @escaping UnaryCompletion
    ) -> UInt32? {
        var header = CallHeader(metadata: metadata, payload: payload)
        switch method {
        case .path(let path): header.method = path
        case .id(let id): header.methodID = id
        }
        let timeAmount = timeout.map(Self.timeAmount)
        if let timeAmount { header.timeoutMicros = UInt64(max(1, timeAmount.nanoseconds / 1000)) }
        return handler.value.start(header: header, pending: .callback(completion), timeout: timeAmount)
    }

    /// Starts a call encoded beforehand (`EncodedCall`): as the other `startUnary`, but nothing is
    /// encoded per call. The server-side deadline is the one encoded in `call`; `timeout` only
    /// sets a client-side timer (nil: none).
    @discardableResult
    package func startUnary(_ call: EncodedCall, timeout: Duration? = nil, completion: @escaping UnaryCompletion) -> UInt32? {
        handler.value.start(encodedHeader: call.header, pending: .callback(completion), timeout: timeout.map(Self.timeAmount))
    }

    /// Gives up on a call started with `startUnary` (on the event loop): the server is told to
    /// cancel it and its completion runs with `error`. Nothing happens if it already completed.
    package func abandonUnary(_ callID: UInt32, because error: RPCError) {
        handler.value.abandon(callID, because: error)
    }

    // MARK: Built-in services

    package func health(service: String = "", timeout: Duration? = nil) async throws -> HealthCheckResponse {
        try await unary(
            HealthMethods.check, request: HealthCheckRequest(service: service),
            as: HealthCheckResponse.self, timeout: timeout)
    }

    package func listMethods(timeout: Duration? = nil) async throws -> ListMethodsResponse {
        try await unary(
            ReflectionMethods.listMethods, request: ListMethodsRequest(),
            as: ListMethodsResponse.self, timeout: timeout)
    }

    package func authenticate(credentialID: String, secret: String) async throws -> AuthenticateResponse {
        try await unary(
            SessionMethods.authenticate,
            request: AuthenticateRequest(credentialID: credentialID, secret: secret),
            as: AuthenticateResponse.self)
    }

    // MARK: Helpers

    /// The CALL header; its deadline is `timeout`, else (when `applyingDefault`) the configuration's default.
    func makeHeader<Request: ProtoMessage>(
        _ method: MethodAddress, request: Request, metadata: Metadata, timeout: Duration?, applyingDefault: Bool = true
    ) -> CallHeader {
        var header = CallHeader(metadata: metadata, payload: ProtoCodec.encode(request))
        switch method {
        case .path(let path): header.method = path
        case .id(let id): header.methodID = id
        }
        if let timeout = timeout ?? (applyingDefault ? configuration.defaultTimeout : nil) {
            header.timeoutMicros = UInt64(max(1, Self.timeAmount(timeout).nanoseconds / 1000))
        }
        return header
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// How a call names its method.
package enum MethodAddress: Sendable, Hashable {
    /// "/noproof.v1.Health/Check"
    case path(String)
    /// The numeric id from the method listing.
    case id(UInt32)
}

/// The call id of a call being started, set on the event loop and read there by cancellation.
private final class CallIDBox: @unchecked Sendable {
    // Only touched on the connection's event loop.
    var id: UInt32?
}

/// Where a streaming call's frames go: decoded and handed to the caller's stream.
struct StreamReceiver: Sendable {
    let yield: @Sendable (ByteBuffer) -> Void
    /// nil = ended with OK.
    let finish: @Sendable (Error?) -> Void
}
