package import CNoProofProtos

/// One entry of the method listing.
package struct MethodInfo: Hashable, Sendable {
    package enum Kind: UInt32, Sendable {
        case unary = 0
        case serverStreaming = 1
    }

    package var path: String
    package var id: UInt32
    package var kind: Kind
    package var requestType: String
    package var responseType: String
    package var requiresAuthentication: Bool
    package var requiredRole: String
    package var summary: String

    package init(
        path: String, id: UInt32, kind: Kind, requestType: String, responseType: String,
        requiresAuthentication: Bool, requiredRole: String = "", summary: String = ""
    ) {
        self.path = path
        self.id = id
        self.kind = kind
        self.requestType = requestType
        self.responseType = responseType
        self.requiresAuthentication = requiresAuthentication
        self.requiredRole = requiredRole
        self.summary = summary
    }
}

extension MethodInfo: ProtoMessage {
    package typealias CMessage = Noproof__V1__MethodInfo
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__method_info__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.path = arena.string(path)
        c.id = id
        c.kind = Noproof__V1__MethodInfo__Kind(rawValue: kind.rawValue)
        c.request_type = arena.string(requestType)
        c.response_type = arena.string(responseType)
        c.requires_authentication = requiresAuthentication ? 1 : 0
        c.required_role = arena.string(requiredRole)
        c.summary = arena.string(summary)
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        path = try String(protobufC: c.path)
        id = c.id
        guard let kind = Kind(rawValue: c.kind.rawValue) else {
            throw CodecError(.invalidValue, messageType: Self.protoName, field: "kind")
        }
        self.kind = kind
        requestType = try String(protobufC: c.request_type)
        responseType = try String(protobufC: c.response_type)
        requiresAuthentication = c.requires_authentication != 0
        requiredRole = try String(protobufC: c.required_role)
        summary = try String(protobufC: c.summary)
    }
}
