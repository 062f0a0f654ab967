package import NIOCore

/// One protocol frame: a 10-byte header (length u32, type u8, flags u8, call id u32, all
/// big-endian) followed by `length` payload bytes.
package struct Frame: Hashable, Sendable {
    package static let headerLength = 10
    /// Default upper bound on a frame's payload.
    package static let defaultMaxPayload = 4 * 1024 * 1024

    package var type: FrameType
    package var flags: UInt8
    package var callID: UInt32
    package var payload: ByteBuffer

    package init(type: FrameType, flags: UInt8 = 0, callID: UInt32, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.callID = callID
        self.payload = payload
    }
}
