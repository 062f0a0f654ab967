package import CNoProofProtos

/// Reflection/ListMethods response.
package struct ListMethodsResponse: Hashable, Sendable {
    package var methods: [MethodInfo]
    package init(methods: [MethodInfo]) { self.methods = methods }
}

extension ListMethodsResponse: ProtoMessage {
    package typealias CMessage = Noproof__V1__ListMethodsResponse
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__list_methods_response__descriptor_ptr() }
    package func fill(_ c: inout CMessage, arena: inout CArena) {
        (c.n_methods, c.methods) = arena.messages(methods)
    }
    package init(c: borrowing CMessage) throws(CodecError) {
        methods = try readRepeated(c.n_methods, c.methods, as: MethodInfo.self)
    }
}
