package import NoProofCodec
package import NoProofProtocol

/// Calls by the generated contract (`LicenceMethods.lookup`...): the request and answer types are
/// the method's, and the path is the one the protos declare.
extension NoProofClient {
    /// A unary call of a contract method. Throws `RPCError` for every failure.
    package func unary<Request, Response>(
        _ method: UnaryMethod<Request, Response>, request: Request, as response: Response.Type = Response.self,
        metadata: Metadata = [:], timeout: Duration? = nil
    ) async throws -> Response {
        try await unary(.method(method), request: request, as: Response.self, metadata: metadata, timeout: timeout)
    }

    /// A server-streaming call of a contract method (see the address-taking `serverStreaming`).
    package func serverStreaming<Request, Response>(
        _ method: ServerStreamingMethod<Request, Response>, request: Request,
        as response: Response.Type = Response.self, metadata: Metadata = [:], timeout: Duration? = nil
    ) -> AsyncThrowingStream<Response, Error> {
        serverStreaming(.method(method), request: request, as: Response.self, metadata: metadata, timeout: timeout)
    }
}

extension MethodAddress {
    /// A contract method, by its path.
    package static func method(_ method: some ContractMethod) -> MethodAddress { .path(method.path) }
}
