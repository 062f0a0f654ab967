package import CNoProofProtos

/// Reflection/ListMethods request (no fields).
package struct ListMethodsRequest: Hashable, Sendable {
    package init() {}
}

extension ListMethodsRequest: ProtoMessage {
    package typealias CMessage = Noproof__V1__ListMethodsRequest
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__list_methods_request__descriptor_ptr() }
    package func fill(_ c: inout CMessage, arena: inout CArena) {}
    package init(c: borrowing CMessage) throws(CodecError) {}
}
