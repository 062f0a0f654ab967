package import NoProofCodec

/// What the protocol needs to know of a method: its address, kind and who may call it.
/// The same value is what the method listing sends.
package typealias MethodDescriptor = MethodInfo

extension MethodInfo {
    package init(
        service: String, method: String, id: UInt32, kind: Kind = .unary,
        requestType: String, responseType: String,
        requiresAuthentication: Bool = true, requiredRole: String = "", summary: String = ""
    ) {
        self.init(
            path: "/\(service)/\(method)", id: id, kind: kind, requestType: requestType, responseType: responseType,
            requiresAuthentication: requiresAuthentication, requiredRole: requiredRole, summary: summary
        )
    }

    /// The service part of the path, "noproof.v1.Health".
    package var service: String {
        String(path.dropFirst().prefix { $0 != "/" })
    }
}
