package import NoProofCodec

/// A server-streaming method of the contract: one `Request`, any number of `Response`s before
/// the status (generated, see `ContractMethod`).
package struct ServerStreamingMethod<Request: ProtoMessage, Response: ProtoMessage>: ContractMethod {
    package let descriptor: MethodDescriptor

    package init(
        service: String, method: String, id: UInt32, requiresAuthentication: Bool = true, requiredRole: String = "",
        summary: String = ""
    ) {
        descriptor = MethodDescriptor(
            service: service, method: method, id: id, kind: .serverStreaming, request: Request.self, response: Response.self,
            requiresAuthentication: requiresAuthentication, requiredRole: requiredRole, summary: summary
        )
    }
}
