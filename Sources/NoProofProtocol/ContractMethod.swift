package import NoProofCodec

/// A method of the RPC contract with its request and response message types: what
/// scripts/gen-swift-messages.py generates from the `service` blocks in Protos/ (the enums in
/// Generated/, e.g. `LicenceMethods.lookup`). The server registers a handler with it and the
/// client calls it, so a handler or a call with other message types does not compile.
package protocol ContractMethod<Request, Response>: Sendable {
    associatedtype Request: ProtoMessage
    associatedtype Response: ProtoMessage
    /// The method as the protocol and the method listing know it.
    var descriptor: MethodDescriptor { get }
}

extension ContractMethod {
    /// "/noproof.v1.Licences/Lookup"
    package var path: String { descriptor.path }
    package var id: UInt32 { descriptor.id }
    package var kind: MethodDescriptor.Kind { descriptor.kind }
    /// "noproof.v1.Licences"
    package var service: String { descriptor.service }
    package var requiresAuthentication: Bool { descriptor.requiresAuthentication }
}

extension MethodDescriptor {
    /// A method of `Request`, answering `Response`; the message names are the types' own.
    init<Request: ProtoMessage, Response: ProtoMessage>(
        service: String, method: String, id: UInt32, kind: Kind, request: Request.Type, response: Response.Type,
        requiresAuthentication: Bool, requiredRole: String, summary: String
    ) {
        self.init(
            path: "/\(service)/\(method)", id: id, kind: kind, requestType: Request.protoName, responseType: Response.protoName,
            requiresAuthentication: requiresAuthentication, requiredRole: requiredRole, summary: summary
        )
    }
}
