/// A connection-level protocol violation. Each ends the connection with a GOAWAY carrying
/// `status`, so the peer learns what was wrong.
package enum ProtocolError: Error, Hashable, Sendable {
    case frameTooLarge(length: UInt32, limit: Int)
    /// A frame larger than a connection that has not authenticated may send (`limit`); after
    /// authenticating, frames up to `maxFrameSize` are accepted.
    case frameTooLargeBeforeAuthentication(length: UInt32, limit: Int, maxFrameSize: Int)
    case unknownFrameType(UInt8)
    case truncatedFrame(have: Int, need: Int)

    package var status: RPCError {
        switch self {
        case let .frameTooLarge(length, limit):
            RPCError(.resourceExhausted, "frame payload of \(length) bytes exceeds the limit of \(limit) bytes; split the request or raise max_frame_size")
        case let .frameTooLargeBeforeAuthentication(length, limit, maxFrameSize):
            RPCError(
                .resourceExhausted,
                "frame payload of \(length) bytes exceeds the limit of \(limit) bytes for a connection that has not authenticated; authenticate with /noproof.v1.Session/Authenticate first (then frames up to max_frame_size \(maxFrameSize) bytes are accepted)"
            )
        case let .unknownFrameType(type):
            RPCError(
                .unimplemented, "unknown frame type 0x\(String(type, radix: 16)); this server speaks protocol version \(Preface.version) (docs/PROTOCOL.md)")
        case let .truncatedFrame(have, need):
            RPCError(.invalidArgument, "truncated frame: the connection closed after \(have) of \(need) bytes")
        }
    }
}
