import NIOCore

/// Cuts frames out of a byte stream. Plain value type, no I/O: the channel handler appends what
/// it reads and pulls frames out.
///
/// The length is checked as soon as the 10 header bytes are in, so an oversize frame is refused
/// before any of its payload is buffered.
package struct FrameDecoder: Sendable {
    package let maxPayload: Int
    private var buffer: ByteBuffer?

    package init(maxPayload: Int = Frame.defaultMaxPayload) {
        self.maxPayload = maxPayload
    }

    /// Bytes received but not yet part of a complete frame.
    package var bufferedBytes: Int { buffer?.readableBytes ?? 0 }

    package mutating func append(_ bytes: ByteBuffer) {
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = bytes
        } else {
            var incoming = bytes
            buffer!.writeBuffer(&incoming)
        }
    }

    /// The next complete frame, nil when more bytes are needed.
    package mutating func next() throws(ProtocolError) -> Frame? {
        guard var current = buffer, current.readableBytes >= Frame.headerLength else { return nil }
        let start = current.readerIndex
        let length = current.getInteger(at: start, as: UInt32.self)!
        let rawType = current.getInteger(at: start + 4, as: UInt8.self)!
        if length > maxPayload {
            throw .frameTooLarge(length: length, limit: maxPayload)
        }
        guard let type = FrameType(rawValue: rawType) else {
            throw .unknownFrameType(rawType)
        }
        guard current.readableBytes >= Frame.headerLength + Int(length) else { return nil }
        let flags = current.getInteger(at: start + 5, as: UInt8.self)!
        let callID = current.getInteger(at: start + 6, as: UInt32.self)!
        current.moveReaderIndex(forwardBy: Frame.headerLength)
        let payload = current.readSlice(length: Int(length))!
        buffer = current.readableBytes == 0 ? nil : current
        return Frame(type: type, flags: flags, callID: callID, payload: payload)
    }

    /// Called at end of input: a frame cut short, if any.
    package func truncation() -> ProtocolError? {
        guard let current = buffer, current.readableBytes > 0 else { return nil }
        var need = Frame.headerLength
        if current.readableBytes >= Frame.headerLength {
            need += Int(current.getInteger(at: current.readerIndex, as: UInt32.self)!)
        }
        return .truncatedFrame(have: current.readableBytes, need: need)
    }

    /// Keeps storage from growing without bound when many small frames were consumed.
    package mutating func compact() {
        if var current = buffer, current.readerIndex > 64 * 1024 {
            current.discardReadBytes()
            buffer = current
        }
    }
}
