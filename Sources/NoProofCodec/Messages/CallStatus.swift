package import CNoProofProtos

/// Payload of a STATUS frame: how a call ended.
package struct CallStatus: Hashable, Sendable {
    package var code: UInt32
    package var message: String
    package var metadata: Metadata

    package init(code: UInt32, message: String = "", metadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }
}

extension CallStatus: ProtoMessage {
    package typealias CMessage = Noproof__V1__CallStatus
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__call_status__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.code = code
        c.message = arena.string(message)
        (c.n_metadata, c.metadata) = arena.messages(metadata.entries)
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        code = c.code
        message = try String(protobufC: c.message)
        metadata = Metadata(try readRepeated(c.n_metadata, c.metadata, as: Metadata.Entry.self))
    }
}
