#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
// Public: the codec's `@inlinable` builders and readers (specialised in the generated messages'
// module) use the C types and functions.
public import CNoProofProtos

/// Hands out the C memory used while building a protobuf-c message for packing, from a bump
/// allocator (`noproof_bump`: the thread's own 8 KiB block first, malloc'd chunks after that).
/// `CArena.acquire()` / `release()` bracket one use (ProtoCodec does both), and nothing is freed
/// one by one, so no path can leak and a message's dozens of malloc/free pairs become pointer bumps.
///
/// While a message is built, the arena also adds up `sizeBound`, an upper bound of its packed size
/// (see `sizeBound`), so that the codec can pack in one pass instead of asking protobuf-c for the
/// exact size first (`protobuf_c_message_get_packed_size` walks the whole message once more).
@usableFromInline package struct CArena: ~Copyable {
    @usableFromInline let bump: UnsafeMutablePointer<noproof_bump>

    /// An upper bound of the packed size of what has been built so far: each message adds its
    /// fields' tags and fixed-size values (`ProtoMessage.packedFieldAllowance`), each string or
    /// bytes value its length and length prefix, each repeated element a tag and a length prefix,
    /// each nested message its length prefix. Unknown fields never occur in a message built here.
    @usableFromInline package var sizeBound = 0

    /// The most a tag (field numbers up to 2^29) plus a varint length prefix or value take.
    @usableFromInline static let maxFieldHeader = 15

    /// A fresh arena; `release()` must follow (`ProtoCodec` pairs them with `defer`).
    @usableFromInline static func acquire() -> CArena {
        guard let bump = noproof_bump_acquire() else { fatalError("out of memory: no arena for a protobuf-c message") }
        return CArena(bump: bump)
    }

    private init(bump: UnsafeMutablePointer<noproof_bump>) {
        self.bump = bump
    }

    /// Frees everything the arena handed out.
    @usableFromInline func release() {
        noproof_bump_return(bump)
    }

    @inlinable @inline(__always)
    func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        guard let pointer = noproof_bump_alloc_inline(bump, byteCount) else {
            fatalError("out of memory: \(byteCount) bytes for a protobuf-c message")
        }
        return pointer
    }

    /// Bytes a varint takes for `value`.
    @inlinable @inline(__always)
    static func varintSize(_ value: Int) -> Int {
        value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : value < 0x1000_0000 ? 4 : 10
    }

    /// A NUL-terminated copy of `string`, or nil for "" (protobuf-c treats nil as the empty string).
    @inlinable package mutating func string(_ string: String) -> UnsafeMutablePointer<CChar>? {
        if string.isEmpty { return nil }
        let count = string.utf8.count
        sizeBound &+= count &+ Self.varintSize(count)
        // Native strings (all of them on Linux) lend their UTF-8 without a copy of the String.
        if let p = string.utf8.withContiguousStorageIfAvailable({ cString($0) }) { return p }
        var copy = string
        return copy.withUTF8 { cString($0) }
    }

    @inlinable @inline(__always)
    func cString(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        let p = allocate(utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
        UnsafeMutableRawPointer(p).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
        p[utf8.count] = 0
        return p
    }

    /// A `bytes` field pointing at a copy of `bytes`.
    @inlinable package mutating func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        if bytes.isEmpty { return ProtobufCBinaryData(len: 0, data: nil) }
        sizeBound &+= bytes.count &+ Self.varintSize(bytes.count)
        let p = allocate(bytes.count)
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return ProtobufCBinaryData(len: bytes.count, data: p.assumingMemoryBound(to: UInt8.self))
    }

    /// The C struct of a top-level message, ready for `protobuf_c_message_pack`.
    @inlinable package mutating func root<M: ProtoMessage>(_ message: M) -> UnsafeMutablePointer<M.CMessage> {
        let descriptor = M.descriptor
        let p = allocate(descriptor.pointee.sizeof_message).bindMemory(to: M.CMessage.self, capacity: 1)
        protobuf_c_message_init(descriptor, p)
        sizeBound &+= M.packedFieldAllowance
        message.fill(&p.pointee, arena: &self)
        return p
    }

    /// A C struct for a nested message.
    @inlinable package mutating func message<M: ProtoMessage>(_ message: M) -> UnsafeMutablePointer<M.CMessage> {
        let before = sizeBound
        let p = root(message)
        sizeBound &+= Self.varintSize(sizeBound &- before)  // its length prefix
        return p
    }

    /// The `n_field` / `field` pair for a repeated message field.
    @inlinable package mutating func messages<M: ProtoMessage>(_ messages: [M]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<M.CMessage>?>?) {
        if messages.isEmpty { return (0, nil) }
        let size = MemoryLayout<UnsafeMutablePointer<M.CMessage>?>.stride * messages.count
        let array = allocate(size).bindMemory(to: UnsafeMutablePointer<M.CMessage>?.self, capacity: messages.count)
        sizeBound &+= 5 &* messages.count  // each element's tag
        for (index, element) in messages.enumerated() {
            array[index] = message(element)
        }
        return (messages.count, array)
    }

    /// The `n_field` / `field` pair for a repeated string field.
    @inlinable package mutating func strings(_ strings: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        if strings.isEmpty { return (0, nil) }
        let array = allocate(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * strings.count)
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: strings.count)
        sizeBound &+= 6 &* strings.count  // each element's tag, and the length byte of an empty one
        for (index, element) in strings.enumerated() {
            // Repeated strings must not be NULL in protobuf-c: use a real empty string.
            array[index] = element.isEmpty ? emptyString() : string(element)
        }
        return (strings.count, array)
    }

    /// The `n_field` / `field` pair for a repeated bytes field.
    @inlinable package mutating func binaries(_ values: [[UInt8]]) -> (Int, UnsafeMutablePointer<ProtobufCBinaryData>?) {
        if values.isEmpty { return (0, nil) }
        let array = allocate(MemoryLayout<ProtobufCBinaryData>.stride * values.count)
            .bindMemory(to: ProtobufCBinaryData.self, capacity: values.count)
        sizeBound &+= 6 &* values.count  // each element's tag, and the length byte of an empty one
        for (index, element) in values.enumerated() {
            array[index] = bytes(element)
        }
        return (values.count, array)
    }

    @inlinable mutating func emptyString() -> UnsafeMutablePointer<CChar> {
        let p = allocate(1).bindMemory(to: CChar.self, capacity: 1)
        p[0] = 0
        return p
    }
}
