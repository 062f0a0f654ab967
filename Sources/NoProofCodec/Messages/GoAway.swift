package import CNoProofProtos

/// Payload of a GOAWAY frame: the sender takes no new calls, and why.
package struct GoAway: Hashable, Sendable {
    package var lastCallID: UInt32
    package var code: UInt32
    package var message: String

    package init(lastCallID: UInt32, code: UInt32, message: String) {
        self.lastCallID = lastCallID
        self.code = code
        self.message = message
    }
}

extension GoAway: ProtoMessage {
    package typealias CMessage = Noproof__V1__GoAway
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__go_away__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.last_call_id = lastCallID
        c.code = code
        c.message = arena.string(message)
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        lastCallID = c.last_call_id
        code = c.code
        message = try String(protobufC: c.message)
    }
}
