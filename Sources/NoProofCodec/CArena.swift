#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNoProofProtos

/// Owns every C allocation made while building a protobuf-c message for packing.
/// Everything is freed when the arena goes out of scope, so no path can leak.
package struct CArena: ~Copyable {
    private var allocations: [UnsafeMutableRawPointer] = []

    package init() {
        allocations.reserveCapacity(8)
    }

    deinit {
        for pointer in allocations { free(pointer) }
    }

    /// A NUL-terminated copy of `string`, or nil for "" (protobuf-c treats nil as the empty string).
    package mutating func string(_ string: String) -> UnsafeMutablePointer<CChar>? {
        if string.isEmpty { return nil }
        var copy = string
        let pointer: UnsafeMutablePointer<CChar> = copy.withUTF8 { utf8 in
            let p = malloc(utf8.count + 1)!.bindMemory(to: CChar.self, capacity: utf8.count + 1)
            UnsafeMutableRawPointer(p).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            p[utf8.count] = 0
            return p
        }
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// A `bytes` field pointing at a copy of `bytes`.
    package mutating func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        if bytes.isEmpty { return ProtobufCBinaryData(len: 0, data: nil) }
        let p = malloc(bytes.count)!
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        allocations.append(p)
        return ProtobufCBinaryData(len: bytes.count, data: p.assumingMemoryBound(to: UInt8.self))
    }

    /// A C struct for a nested message.
    package mutating func message<M: ProtoMessage>(_ message: M) -> UnsafeMutablePointer<M.CMessage> {
        let p = malloc(MemoryLayout<M.CMessage>.stride)!.bindMemory(to: M.CMessage.self, capacity: 1)
        allocations.append(UnsafeMutableRawPointer(p))
        protobuf_c_message_init(M.descriptor, p)
        message.fill(&p.pointee, arena: &self)
        return p
    }

    /// The `n_field` / `field` pair for a repeated message field.
    package mutating func messages<M: ProtoMessage>(_ messages: [M]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<M.CMessage>?>?) {
        if messages.isEmpty { return (0, nil) }
        let size = MemoryLayout<UnsafeMutablePointer<M.CMessage>?>.stride * messages.count
        let array = malloc(size)!.bindMemory(to: UnsafeMutablePointer<M.CMessage>?.self, capacity: messages.count)
        allocations.append(UnsafeMutableRawPointer(array))
        for (index, element) in messages.enumerated() {
            array[index] = message(element)
        }
        return (messages.count, array)
    }

    /// The `n_field` / `field` pair for a repeated string field.
    package mutating func strings(_ strings: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        if strings.isEmpty { return (0, nil) }
        let array = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * strings.count)!
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: strings.count)
        allocations.append(UnsafeMutableRawPointer(array))
        for (index, element) in strings.enumerated() {
            // Repeated strings must not be NULL in protobuf-c: use a real empty string.
            array[index] = element.isEmpty ? emptyString() : string(element)
        }
        return (strings.count, array)
    }

    /// The `n_field` / `field` pair for a repeated bytes field.
    package mutating func binaries(_ values: [[UInt8]]) -> (Int, UnsafeMutablePointer<ProtobufCBinaryData>?) {
        if values.isEmpty { return (0, nil) }
        let array = malloc(MemoryLayout<ProtobufCBinaryData>.stride * values.count)!
            .bindMemory(to: ProtobufCBinaryData.self, capacity: values.count)
        allocations.append(UnsafeMutableRawPointer(array))
        for (index, element) in values.enumerated() {
            array[index] = bytes(element)
        }
        return (values.count, array)
    }

    private mutating func emptyString() -> UnsafeMutablePointer<CChar> {
        let p = malloc(1)!.bindMemory(to: CChar.self, capacity: 1)
        p[0] = 0
        allocations.append(UnsafeMutableRawPointer(p))
        return p
    }
}
