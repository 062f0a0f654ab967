package import NIOCore

/// Cuts frames out of a byte stream. Plain value type, no I/O: the channel handler appends what
/// it reads and pulls frames out.
///
/// The length is checked as soon as the 10 header bytes are in, so an oversize frame is refused
/// before any of its payload is buffered.
package struct FrameDecoder: Sendable {
    /// Largest payload accepted; the server lowers it until the connection has authenticated.
    package var maxPayload: Int
    private var buffer: ByteBuffer?

    package init(maxPayload: Int = Frame.defaultMaxPayload) {
        self.maxPayload = maxPayload
    }

    /// Bytes received but not yet part of a complete frame.
    package var bufferedBytes: Int { buffer?.readableBytes ?? 0 }

    /// Memory the frame now partly received will take once complete: the larger of what is
    /// buffered and the length its header announces (0 with nothing buffered). Known from the
    /// header's 10 bytes on, so a quota can refuse a frame before its payload is buffered.
    package var reservedBytes: Int {
        guard let current = buffer, current.readableBytes > 0 else { return 0 }
        guard current.readableBytes >= Frame.headerLength else { return current.readableBytes }
        let announced = Frame.headerLength + Int(current.getInteger(at: current.readerIndex, as: UInt32.self)!)
        return max(announced, current.readableBytes)
    }

    package mutating func append(_ bytes: ByteBuffer) {
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = bytes
        } else {
            var incoming = bytes
            buffer!.writeBuffer(&incoming)
        }
    }

    /// The next complete frame of the appended bytes, nil when more bytes are needed.
    package mutating func next() throws(ProtocolError) -> Frame? {
        guard var current = buffer else { return nil }
        let frame = try decode(from: &current)
        buffer = current.readableBytes == 0 ? nil : current
        return frame
    }

    /// Takes one complete frame from the front of `bytes`, leaving a partial one in place.
    package func decode(from bytes: inout ByteBuffer) throws(ProtocolError) -> Frame? {
        guard bytes.readableBytes >= Frame.headerLength else { return nil }
        let start = bytes.readerIndex
        let length = bytes.getInteger(at: start, as: UInt32.self)!
        let rawType = bytes.getInteger(at: start + 4, as: UInt8.self)!
        if length > maxPayload {
            throw .frameTooLarge(length: length, limit: maxPayload)
        }
        guard let type = FrameType(rawValue: rawType) else {
            throw .unknownFrameType(rawType)
        }
        guard bytes.readableBytes >= Frame.headerLength + Int(length) else { return nil }
        let flags = bytes.getInteger(at: start + 5, as: UInt8.self)!
        let callID = bytes.getInteger(at: start + 6, as: UInt32.self)!
        bytes.moveReaderIndex(forwardBy: Frame.headerLength)
        let payload = bytes.readSlice(length: Int(length))!
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
