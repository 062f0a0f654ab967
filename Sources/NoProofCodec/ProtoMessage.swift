// Public: the codec's `@inlinable` builders and readers (specialised in the generated messages'
// module) use the C types and functions.
public import CNoProofProtos

/// A Swift value type mirroring one protobuf-c generated C message.
///
/// Conformances say how to fill the C struct (with memory from a `CArena`) and how to read one
/// that protobuf-c unpacked; `ProtoCodec` does the packing, unpacking, validation and freeing.
///
/// `packedBytes()`, `unpacked(from:)` and `withPackable(_:)` have default implementations that every
/// conformance uses: as protocol requirements they are specialised for each message type where
/// it conforms, so a caller that runs `ProtoCodec.encode/decode` unspecialised (generic over the
/// message type) pays one witness call instead of generic code on every step. The generated
/// messages live in another module (NoProofMessages), so the defaults, `CArena`'s builders and the
/// readers are `@inlinable`: without that their conformances ran the generic code itself, with a
/// runtime metadata lookup per nested message (codec-bench measured ProofBody's encode 2.8x slower
/// after the generated messages moved out of this module, docs/PERFORMANCE.md).
@usableFromInline package protocol ProtoMessage: Sendable {
    /// The protobuf-c generated C struct.
    associatedtype CMessage
    /// The generated descriptor (via the `__descriptor_ptr()` accessors of noproof_descriptors.h).
    static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { get }
    /// Bytes the packed fields of one message may take besides string, bytes, repeated and nested
    /// message contents (which `CArena` counts): tags, and the values of scalar fields. Generated
    /// types state it exactly from their fields; the default allows 15 bytes for every field.
    static var packedFieldAllowance: Int { get }
    /// Copies this value into `c`; pointers must come from `arena`.
    func fill(_ c: inout CMessage, arena: inout CArena)
    /// Reads a C struct that `ProtoCodec` unpacked; its strings are read with `String(protobufC:)`,
    /// which refuses invalid UTF-8 and embedded NULs (so every string field must be read).
    init(c: borrowing CMessage) throws(CodecError)

    /// `ProtoCodec.encode(self)`.
    func packedBytes() -> [UInt8]
    /// `ProtoCodec.decode(Self.self, from: bytes)`.
    static func unpacked(from bytes: UnsafeRawBufferPointer) throws(CodecError) -> Self
    /// `ProtoCodec.decode(Self.self, from: bytes)`.
    static func unpacked(from bytes: [UInt8]) throws(CodecError) -> Self
    /// Builds this value's C message in `arena` and calls `body` with it and its `sizeBound`.
    func withPackable(in arena: inout CArena, _ body: (UnsafeRawPointer, Int) -> Void)
}

extension ProtoMessage {
    /// Fully qualified protobuf name, e.g. "noproof.v1.CallHeader".
    @usableFromInline package static var protoName: String { String(cString: descriptor.pointee.name) }

    @inlinable package static var packedFieldAllowance: Int { CArena.maxFieldHeader * Int(descriptor.pointee.n_fields) }

    @inlinable package func packedBytes() -> [UInt8] {
        var arena = CArena.acquire()
        defer { arena.release() }
        let c = arena.root(self)
        let bound = max(arena.sizeBound, 1)
        ProtoCodec.checkBound(c, bound)
        if bound <= ProtoCodec.packInArenaLimit {
            // Packed into the arena, then copied into an array of the exact size: on Linux an
            // array made from a buffer takes a specialised allocation path, while
            // `[UInt8](unsafeUninitializedCapacity:)` looks the storage class's generic metadata
            // up in the runtime's table on every call — more than the copy costs up to a few KiB.
            let out = arena.allocate(bound).assumingMemoryBound(to: UInt8.self)
            let size = noproof_pack(c, out)
            return [UInt8](UnsafeBufferPointer(start: out, count: size))
        }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = noproof_pack(c, buffer.baseAddress!)
        }
    }

    @inlinable package func withPackable(in arena: inout CArena, _ body: (UnsafeRawPointer, Int) -> Void) {
        let c = arena.root(self)
        let bound = max(arena.sizeBound, 1)
        ProtoCodec.checkBound(c, bound)
        body(c, bound)
    }

    @inlinable package static func unpacked(from bytes: [UInt8]) throws(CodecError) -> Self {
        do {
            return try bytes.withUnsafeBytes { raw throws(CodecError) in try unpacked(from: raw) }
        } catch let error as CodecError {
            throw error
        } catch {
            fatalError("ProtoCodec.decode threw \(error)")  // unpacked(from:) throws only CodecError
        }
    }

    @inlinable package static func unpacked(from bytes: UnsafeRawBufferPointer) throws(CodecError) -> Self {
        let count = bytes.count
        let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(ProtoCodec.emptyData)
        // Unpacked into the arena: protobuf-c's allocations become pointer bumps, freed at once.
        let arena = CArena.acquire()
        defer { arena.release() }
        guard let unpacked = noproof_unpack_bump(descriptor, arena.bump, count, data) else {
            throw CodecError(.malformed, messageType: protoName)
        }
        if arena.bump.pointee.freed != 0 {
            // protobuf-c dropped part of what it unpacked (a field given twice, merged messages)
            // or its own scratch: the C message may not hold every string of the wire bytes, so
            // check those, as for every message before strings were checked while read.
            try ProtoCodec.validateStrings(descriptor: descriptor, data: data, count: count)
        }
        do {
            return try Self(c: unpacked.assumingMemoryBound(to: CMessage.self).pointee)
        } catch {
            throw ProtoCodec.refine(error, descriptor: descriptor, data: data, count: count)
        }
    }
}

/// Encoding and decoding through protobuf-c. The only place C message memory is managed.
@usableFromInline package enum ProtoCodec {
    /// Calls `body` with an upper bound of the packed size of `message` and a function that packs
    /// it into a buffer of at least that many bytes, returning the packed size. The C memory lives
    /// only for the duration of the call.
    ///
    /// No closure or generic container is built on this path (nor in `decode`) beyond the
    /// non-escaping ones here: callers in other modules run it unspecialised, where each would
    /// cost a generic-metadata lookup per call.
    @inlinable package static func withPacker<M: ProtoMessage, R>(
        _ message: M,
        _ body: (_ bound: Int, _ pack: (UnsafeMutablePointer<UInt8>) -> Int) throws -> R
    ) rethrows -> R {
        var arena = CArena.acquire()
        defer { arena.release() }
        var packable: UnsafeRawPointer?
        var bound = 0
        message.withPackable(in: &arena) { c, b in
            packable = c
            bound = b
        }
        let c = packable!
        return try body(bound) { out in noproof_pack(c, out) }
    }

    /// The protobuf encoding of `message`.
    @inlinable package static func encode<M: ProtoMessage>(_ message: M) -> [UInt8] {
        message.packedBytes()
    }

    /// Decodes `bytes` as `M`, refusing malformed encodings, invalid UTF-8 and embedded NULs.
    @inlinable package static func decode<M: ProtoMessage>(_ type: M.Type, from bytes: UnsafeRawBufferPointer) throws(CodecError) -> M {
        try M.unpacked(from: bytes)
    }

    @inlinable package static func decode<M: ProtoMessage>(_ type: M.Type, from bytes: [UInt8]) throws(CodecError) -> M {
        try M.unpacked(from: bytes)
    }

    /// Messages whose packed size bound is at most this are packed into the arena and copied out.
    @usableFromInline static let packInArenaLimit = 4096

    /// The packed size bound and the exact packed size of `message` (for tests of the bound).
    static func sizes<M: ProtoMessage>(of message: M) -> (bound: Int, exact: Int) {
        var arena = CArena.acquire()
        defer { arena.release() }
        let c = arena.root(message)
        return (arena.sizeBound, noproof_packed_size(c))
    }

    /// In debug builds (every test run), checks before packing that the bound holds.
    @inlinable @inline(__always)
    static func checkBound(_ c: UnsafeRawPointer, _ bound: Int) {
        assert(noproof_packed_size(c) <= bound, "packed size bound too small: \(noproof_packed_size(c)) > \(bound)")
    }

    /// A valid pointer for empty inputs (protobuf-c is given a non-NULL data pointer always).
    @usableFromInline nonisolated(unsafe) static let emptyData: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// Checks every string field's UTF-8 and NULs on the wire bytes (protobuf-c 1.4 does neither).
    /// The field's path is only worked out (by a second walk) when something is wrong.
    @usableFromInline static func validateStrings(
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>, data: UnsafePointer<UInt8>, count: Int
    ) throws(CodecError) {
        if noproof_validate_strings(descriptor, data, count, nil, 0) == NOPROOF_STRINGS_OK { return }
        throw wireError(descriptor: descriptor, data: data, count: count)!
    }

    /// The first bad string of the wire bytes, named by its field path; nil if there is none.
    static func wireError(
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>, data: UnsafePointer<UInt8>, count: Int
    ) -> CodecError? {
        var path = [CChar](repeating: 0, count: 128)
        let result = noproof_validate_strings(descriptor, data, count, &path, path.count)
        let field = path.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let type = String(cString: descriptor.pointee.name)
        switch result {
        case NOPROOF_STRINGS_OK: return nil
        case NOPROOF_STRINGS_INVALID_UTF8: return CodecError(.invalidUTF8, messageType: type, field: field)
        case NOPROOF_STRINGS_EMBEDDED_NUL: return CodecError(.embeddedNUL, messageType: type, field: field)
        case NOPROOF_STRINGS_TOO_DEEP: return CodecError(.tooDeep, messageType: type)
        default: return CodecError(.malformed, messageType: type)
        }
    }

    /// The error a decode reports when reading the unpacked message failed: the first bad string
    /// of the wire bytes with its field path, as when every message's wire bytes were checked
    /// before reading it (so a bad string wins over a bad enum value, wherever each is); else the
    /// reader's own error, with the message type filled in for a string check's.
    @usableFromInline static func refine(
        _ error: CodecError, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, data: UnsafePointer<UInt8>, count: Int
    ) -> CodecError {
        if let wire = wireError(descriptor: descriptor, data: data, count: count) { return wire }
        if error.messageType.isEmpty { return CodecError(error.kind, messageType: String(cString: descriptor.pointee.name)) }
        return error
    }
}

extension String {
    /// Reads a string field of a message unpacked by `ProtoCodec` ("" for NULL), refusing invalid
    /// UTF-8 and embedded NULs: protobuf-c 1.4 checks neither, and a NUL would silently cut the
    /// string. Swift's own UTF-8 check (strict: no overlong forms, surrogates or code points past
    /// U+10FFFF) runs while the String is built anyway; the NUL check compares the length up to
    /// the first NUL with the wire length the arena kept. Errors name no type or field: the codec
    /// works those out from the wire bytes (`ProtoCodec.refine`).
    @inlinable @inline(__always)
    package init(protobufC pointer: UnsafePointer<CChar>?) throws(CodecError) {
        guard let pointer, pointer.pointee != 0 || noproof_unpacked_string_length(pointer) != 0 else {
            self = ""
            return
        }
        guard let string = String(validatingCString: pointer) else {
            throw CodecError(.invalidUTF8, messageType: "")
        }
        guard string.utf8.count == noproof_unpacked_string_length(pointer) else {
            throw CodecError(.embeddedNUL, messageType: "")
        }
        self = string
    }
}

extension Array where Element == UInt8 {
    /// Reads a `bytes` field of an unpacked message.
    @inlinable package init(protobufC data: ProtobufCBinaryData) {
        if data.len == 0 || data.data == nil { self = [] } else { self = Array(UnsafeBufferPointer(start: data.data, count: data.len)) }
    }
}

/// Reads a repeated message field of an unpacked message.
@inlinable package func readRepeated<M: ProtoMessage>(
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
@inlinable package func readOptional<M: ProtoMessage>(_ pointer: UnsafeMutablePointer<M.CMessage>?, as type: M.Type) throws(CodecError) -> M? {
    guard let pointer else { return nil }
    return try M(c: pointer.pointee)
}

/// Reads a repeated string field of an unpacked message.
@inlinable package func readStrings(_ count: Int, _ items: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws(CodecError) -> [String] {
    guard count > 0, let items else { return [] }
    var result: [String] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        result.append(try String(protobufC: items[index]))
    }
    return result
}

/// Reads a repeated bytes field of an unpacked message.
@inlinable package func readBinaries(_ count: Int, _ items: UnsafeMutablePointer<ProtobufCBinaryData>?) -> [[UInt8]] {
    guard count > 0, let items else { return [] }
    var result: [[UInt8]] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        result.append([UInt8](protobufC: items[index]))
    }
    return result
}
