package import CNoProofProtos

/// Payload of a CALL frame: which method, deadline, metadata and the request bytes.
package struct CallHeader: Hashable, Sendable {
    package var method: String
    package var methodID: UInt32
    package var timeoutMicros: UInt64
    package var metadata: Metadata
    package var payload: [UInt8]

    package init(method: String = "", methodID: UInt32 = 0, timeoutMicros: UInt64 = 0, metadata: Metadata = [:], payload: [UInt8] = []) {
        self.method = method
        self.methodID = methodID
        self.timeoutMicros = timeoutMicros
        self.metadata = metadata
        self.payload = payload
    }
}

extension CallHeader: ProtoMessage {
    package typealias CMessage = Noproof__V1__CallHeader
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__call_header__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.method = arena.string(method)
        c.method_id = methodID
        c.timeout_micros = timeoutMicros
        (c.n_metadata, c.metadata) = arena.messages(metadata.entries)
        c.payload = arena.bytes(payload)
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        method = try String(protobufC: c.method)
        methodID = c.method_id
        timeoutMicros = c.timeout_micros
        metadata = Metadata(try readRepeated(c.n_metadata, c.metadata, as: Metadata.Entry.self))
        payload = [UInt8](protobufC: c.payload)
    }
}
