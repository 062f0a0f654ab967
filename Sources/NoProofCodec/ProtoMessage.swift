import CNoProofProtos

/// A Swift value type mirroring one protobuf-c generated C message.
///
/// Conformances say how to fill the C struct (with memory from a `CArena`) and how to read one
/// that protobuf-c unpacked; `ProtoCodec` does the packing, unpacking, validation and freeing.
package protocol ProtoMessage: Sendable {
    /// The protobuf-c generated C struct.
    associatedtype CMessage
    /// The generated descriptor (via the `__descriptor_ptr()` accessors of noproof_descriptors.h).
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { get }
    /// Copies this value into `c`; pointers must come from `arena`.
    func fill(_ c: inout CMessage, arena: inout CArena)
    /// Reads a C struct whose strings the codec has already validated.
    init(c: borrowing CMessage) throws(CodecError)
}

extension ProtoMessage {
    /// Fully qualified protobuf name, e.g. "noproof.v1.CallHeader".
    package static var protoName: String { String(cString: descriptor.pointee.name) }
}

/// Encoding and decoding through protobuf-c. The only place C message memory is managed.
package enum ProtoCodec {
    /// Calls `body` with a packed-ready C message and its packed size. The C memory lives only
    /// for the duration of the call.
    ///
    /// No closure or generic container is built on this path (nor in `decode`): callers in other
    /// modules run it unspecialised, where each would cost a generic-metadata lookup per call.
    package static func withPacker<M: ProtoMessage, R>(
        _ message: M,
        _ body: (_ size: Int, _ pack: (UnsafeMutablePointer<UInt8>) -> Int) throws -> R
    ) rethrows -> R {
        var arena = CArena.acquire()
        defer { arena.release() }
        // The top-level C struct lives in the arena too (its size from the descriptor).
        let raw = arena.allocate(M.descriptor.pointee.sizeof_message)
        protobuf_c_message_init(M.descriptor, raw)
        let c = raw.bindMemory(to: M.CMessage.self, capacity: 1)
        message.fill(&c.pointee, arena: &arena)
        let size = noproof_packed_size(raw)
        return try body(size) { out in noproof_pack(raw, out) }
    }

    /// The protobuf encoding of `message`.
    package static func encode<M: ProtoMessage>(_ message: M) -> [UInt8] {
        withPacker(message) { size, pack in
            [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
                count = size == 0 ? 0 : pack(buffer.baseAddress!)
            }
        }
    }

    /// Decodes `bytes` as `M`, refusing malformed encodings, invalid UTF-8 and embedded NULs.
    package static func decode<M: ProtoMessage>(_ type: M.Type, from bytes: UnsafeRawBufferPointer) throws(CodecError) -> M {
        let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyData)
        // Unpacked into the arena: protobuf-c's allocations become pointer bumps, freed at once.
        let arena = CArena.acquire()
        defer { arena.release() }
        guard let unpacked = noproof_unpack_bump(M.descriptor, arena.bump, bytes.count, data) else {
            throw CodecError(.malformed, messageType: M.protoName)
        }
        try validateStrings(descriptor: M.descriptor, data: data, count: bytes.count)
        return try M(c: UnsafeRawPointer(unpacked).load(as: M.CMessage.self))
    }

    package static func decode<M: ProtoMessage>(_ type: M.Type, from bytes: [UInt8]) throws(CodecError) -> M {
        do {
            return try bytes.withUnsafeBytes { raw in try decode(type, from: raw) }
        } catch let error as CodecError {
            throw error
        } catch {
            fatalError("ProtoCodec.decode threw \(error)")  // decode(from: UnsafeRawBufferPointer) throws only CodecError
        }
    }

    /// A valid pointer for empty inputs (protobuf-c is given a non-NULL data pointer always).
    nonisolated(unsafe) private static let emptyData: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// Checks every string field's UTF-8 and NULs on the wire bytes (protobuf-c 1.4 does neither).
    /// The field's path is only worked out (by a second walk) when something is wrong.
    private static func validateStrings(
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>, data: UnsafePointer<UInt8>, count: Int
    ) throws(CodecError) {
        if noproof_validate_strings(descriptor, data, count, nil, 0) == NOPROOF_STRINGS_OK { return }
        var path = [CChar](repeating: 0, count: 128)
        let result = noproof_validate_strings(descriptor, data, count, &path, path.count)
        let field = path.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let type = String(cString: descriptor.pointee.name)
        switch result {
        case NOPROOF_STRINGS_INVALID_UTF8: throw CodecError(.invalidUTF8, messageType: type, field: field)
        case NOPROOF_STRINGS_EMBEDDED_NUL: throw CodecError(.embeddedNUL, messageType: type, field: field)
        case NOPROOF_STRINGS_TOO_DEEP: throw CodecError(.tooDeep, messageType: type)
        default: throw CodecError(.malformed, messageType: type)
        }
    }
}

extension String {
    /// Reads a C string field of an unpacked message ("" for NULL).
    package init(protobufC pointer: UnsafePointer<CChar>?) {
        if let pointer { self.init(cString: pointer) } else { self = "" }
    }
}

extension Array where Element == UInt8 {
    /// Reads a `bytes` field of an unpacked message.
    package init(protobufC data: ProtobufCBinaryData) {
        if data.len == 0 || data.data == nil { self = [] } else { self = Array(UnsafeBufferPointer(start: data.data, count: data.len)) }
    }
}

/// Reads a repeated message field of an unpacked message.
package func readRepeated<M: ProtoMessage>(
    _ count: Int, _ items: UnsafeMutablePointer<UnsafeMutablePointer<M.CMessage>?>?, as type: M.Type
) throws(CodecError) -> [M] {
    guard count > 0, let items else { return [] }
    var result: [M] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        guard let item = items[index] else { continue }
        result.append(try M(c: item.pointee))
    }
    return result
}

/// Reads an optional (singular) message field of an unpacked message.
package func readOptional<M: ProtoMessage>(_ pointer: UnsafeMutablePointer<M.CMessage>?, as type: M.Type) throws(CodecError) -> M? {
    guard let pointer else { return nil }
    return try M(c: pointer.pointee)
}

/// Reads a repeated string field of an unpacked message.
package func readStrings(_ count: Int, _ items: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
    guard count > 0, let items else { return [] }
    return (0..<count).map { String(protobufC: items[$0]) }
}

/// Reads a repeated bytes field of an unpacked message.
package func readBinaries(_ count: Int, _ items: UnsafeMutablePointer<ProtobufCBinaryData>?) -> [[UInt8]] {
    guard count > 0, let items else { return [] }
    return (0..<count).map { [UInt8](protobufC: items[$0]) }
}
