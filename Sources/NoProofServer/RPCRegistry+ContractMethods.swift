import NoProofCodec
package import NoProofProtocol

/// Registration with the generated contract (`LicenceMethods.lookup`...): the handler's message
/// types are the method's, so a handler of other types does not compile, and a streaming
/// handler only takes a server-streaming method.
extension RPCRegistry {
    /// A unary method answered on the event loop. `body` must not block or wait.
    package mutating func inline<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request.Type = Request.self, _ response: Response.Type = Response.self,
        _ body: @escaping @Sendable (Request, CallContext) throws -> Response
    ) {
        inline(method.descriptor, request, response, body)
    }

    /// A unary method that starts on the event loop and answers through `respond` (see the
    /// descriptor-taking `callback`, also for `stages`).
    package mutating func callback<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request.Type = Request.self, _ response: Response.Type = Response.self,
        stages: Bool = false,
        _ body: @escaping @Sendable (Request, CallContext, _ respond: @escaping @Sendable (Result<Response, Error>) -> Void) throws -> Void
    ) {
        callback(method.descriptor, request, response, stages: stages, body)
    }

    /// A unary method run in its own task (see the descriptor-taking `unary`).
    package mutating func unary<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request.Type = Request.self, _ response: Response.Type = Response.self,
        beforeDecoding: (@Sendable (_ request: [UInt8], CallContext) throws -> Void)? = nil,
        _ body: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        unary(method.descriptor, request, response, beforeDecoding: beforeDecoding, body)
    }

    /// A server-streaming method: `body` sends messages through the writer, then returns (OK) or throws.
    package mutating func serverStreaming<Request, Response>(
        _ method: ServerStreamingMethod<Request, Response>, _ request: Request.Type = Request.self,
        _ response: Response.Type = Response.self,
        _ body: @escaping @Sendable (Request, CallContext, ServerStreamWriter<Response>) async throws -> Void
    ) {
        serverStreaming(method.descriptor, request, response, body)
    }
}
