package import CNoProofProtos

/// Health/Check request: "" for the whole server or a service name.
package struct HealthCheckRequest: Hashable, Sendable {
    package var service: String
    package init(service: String = "") { self.service = service }
}

extension HealthCheckRequest: ProtoMessage {
    package typealias CMessage = Noproof__V1__HealthCheckRequest
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__health_check_request__descriptor_ptr() }
    package func fill(_ c: inout CMessage, arena: inout CArena) { c.service = arena.string(service) }
    package init(c: borrowing CMessage) throws(CodecError) { service = try String(protobufC: c.service) }
}
