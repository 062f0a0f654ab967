/// The error `body` throws, of whatever type, or nil when it returns. For calls that are not RPCs
/// (a store, the library); for RPC calls use `failure(_:)`, which insists on an `RPCError`.
package func thrownError(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> Void
) async -> (any Error)? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
