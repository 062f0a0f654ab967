import NIOCore
import NIOPosix
import NoProofCodec
import NoProofProtocol

/// A test peer that speaks raw bytes, for sending what no real client would.
final class RawConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let inbound: AsyncStream<ByteBuffer>
    private let box: Box

    private final class Box: @unchecked Sendable {
        // Only touched by the single test task that reads.
        var buffer = ByteBuffer()
        var iterator: AsyncStream<ByteBuffer>.AsyncIterator
        init(_ iterator: AsyncStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }
    }

    /// `source`: the local address to connect from (another loopback address is another source).
    init(port: Int, source: String? = nil) async throws {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        channel =
            try await bootstrap
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        inbound = stream
        box = Box(stream.makeAsyncIterator())
        let channel = self.channel
        Task {
            do {
                try await channel.executeThenClose { inbound, _ in
                    for try await bytes in inbound { continuation.yield(bytes) }
                }
            } catch {}
            continuation.finish()
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Closes our sending side only (the server may still answer).
    func shutdownOutput() async throws {
        try await channel.channel.close(mode: .output)
    }

    func close() async {
        try? await channel.channel.close()
    }

    /// Reads exactly `count` bytes, nil if the connection closed first.
    func read(count: Int) async -> [UInt8]? {
        while box.buffer.readableBytes < count {
            guard var more = await box.iterator.next() else { return nil }
            box.buffer.writeBuffer(&more)
        }
        return box.buffer.readBytes(length: count)
    }

    /// The next frame, nil once the connection is closed.
    func readFrame() async -> Frame? {
        guard let header = await read(count: Frame.headerLength) else { return nil }
        var headerBuffer = ByteBuffer(bytes: header)
        let length = Int(headerBuffer.getInteger(at: 0, as: UInt32.self)!)
        guard let payload = await read(count: length) else { return nil }
        headerBuffer.writeBytes(payload)
        return try? FrameDecoder(maxPayload: Int(UInt32.max)).decode(from: &headerBuffer)
    }

    /// True when the server closed the connection (after any remaining frames).
    func closedByServer() async -> Bool {
        while true {
            guard var more = await box.iterator.next() else { return true }
            box.buffer.writeBuffer(&more)
        }
    }

    /// Sends the preface and reads the server's preface and SETTINGS.
    func handshake() async throws -> ServerSettings {
        try await send(Preface.bytes)
        guard await read(count: Preface.length) == Preface.bytes, let frame = await readFrame(), frame.type == .settings else {
            throw RPCError(.internal, "bad server handshake")
        }
        return try frame.payload.readableProto(as: ServerSettings.self)
    }

    static func frame(_ type: FrameType, flags: UInt8 = 0, callID: UInt32, _ payload: [UInt8] = []) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeFrame(type: type, flags: flags, callID: callID, payload: ByteBuffer(bytes: payload))
        return Array(buffer.readableBytesView)
    }

    static func call(
        _ callID: UInt32, method: String = "", methodID: UInt32 = 0, payload: [UInt8] = [], timeoutMicros: UInt64 = 0,
        metadata: Metadata = Metadata()
    ) -> [UInt8] {
        frame(
            .call, callID: callID,
            ProtoCodec.encode(
                CallHeader(
                    method: method, methodID: methodID, timeoutMicros: timeoutMicros,
                    metadata: metadata, payload: payload)))
    }

    /// A Session/Authenticate call.
    static func authenticate(_ callID: UInt32, credentialID: String = "test-unit", secret: String = "test-secret") -> [UInt8] {
        call(
            callID, method: "/noproof.v1.Session/Authenticate",
            payload: ProtoCodec.encode(AuthenticateRequest(credentialID: credentialID, secret: secret)))
    }

    /// Sends the preface, authenticates, and returns the answer's frame (a MESSAGE when it worked).
    func authenticated(credentialID: String = "test-unit", secret: String = "test-secret") async throws -> Frame? {
        _ = try await handshake()
        try await send(Self.authenticate(1, credentialID: credentialID, secret: secret))
        return await readFrame()
    }
}

extension Frame {
    var status: CallStatus? { try? payload.readableProto(as: CallStatus.self) }
    var goAway: GoAway? { try? payload.readableProto(as: GoAway.self) }
}
