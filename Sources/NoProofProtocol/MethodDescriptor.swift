import NoProofCodec

/// What the protocol needs to know of a method: its address and who may call it.
package struct MethodDescriptor: Hashable, Sendable {
    package enum Kind: Hashable, Sendable {
        case unary
        case serverStreaming
    }

    /// "/noproof.v1.Health/Check"
    package var path: String
    /// Stable numeric id, usable in CallHeader.method_id instead of the path.
    package var id: UInt32
    package var kind: Kind
    package var requestType: String
    package var responseType: String
    package var requiresAuthentication: Bool
    package var requiredRole: String
    package var summary: String

    package init(
        service: String, method: String, id: UInt32, kind: Kind = .unary,
        requestType: String, responseType: String,
        requiresAuthentication: Bool = true, requiredRole: String = "", summary: String = ""
    ) {
        self.path = "/\(service)/\(method)"
        self.id = id
        self.kind = kind
        self.requestType = requestType
        self.responseType = responseType
        self.requiresAuthentication = requiresAuthentication
        self.requiredRole = requiredRole
        self.summary = summary
    }

    /// The service part of the path, "noproof.v1.Health".
    package var service: String {
        String(path.dropFirst().prefix { $0 != "/" })
    }

    package var info: MethodInfo {
        MethodInfo(
            path: path, id: id, kind: kind == .unary ? .unary : .serverStreaming,
            requestType: requestType, responseType: responseType,
            requiresAuthentication: requiresAuthentication, requiredRole: requiredRole, summary: summary
        )
    }
}
