package import NoProofCodec

/// A unary method of the contract: one `Request`, one `Response` (generated, see `ContractMethod`).
package struct UnaryMethod<Request: ProtoMessage, Response: ProtoMessage>: ContractMethod {
    package let descriptor: MethodDescriptor

    package init(
        service: String, method: String, id: UInt32, requiresAuthentication: Bool = true, requiredRole: String = "",
        summary: String = ""
    ) {
        descriptor = MethodDescriptor(
            service: service, method: method, id: id, kind: .unary, request: Request.self, response: Response.self,
            requiresAuthentication: requiresAuthentication, requiredRole: requiredRole, summary: summary
        )
    }
}
