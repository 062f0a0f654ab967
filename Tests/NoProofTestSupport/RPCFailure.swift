package import NoProofProtocol
package import Testing

/// The `RPCError` a call fails with, or nil when it succeeds. Any other error type is not what an
/// RPC call should throw: it is recorded as an Issue (and returned as `UNKNOWN`, so assertions on
/// the code still fail rather than pass by accident).
package func failure(
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        Issue.record("expected an RPCError, the call threw \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return RPCError(.unknown, "\(error)")
    }
}

/// The status code a call fails with, or nil when it succeeds; another error type is recorded as
/// an Issue and reported as `UNKNOWN`.
package func failureCode(
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> StatusCode? {
    await failure(sourceLocation: sourceLocation, body)?.code
}

/// Expects the call to fail with `code` (and, when given, a message containing `containing`);
/// records an Issue otherwise. Returns the error, or nil when the call succeeded.
@discardableResult
package func expectRPCError(
    _ code: StatusCode,
    containing: String? = nil,
    isolation: isolated (any Actor)? = #isolation,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RPCError? {
    guard let error = await failure(sourceLocation: sourceLocation, body) else {
        Issue.record("expected \(code.name), the call succeeded", sourceLocation: sourceLocation)
        return nil
    }
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    if let containing {
        #expect(error.message.contains(containing), "\(error)", sourceLocation: sourceLocation)
    }
    return error
}
