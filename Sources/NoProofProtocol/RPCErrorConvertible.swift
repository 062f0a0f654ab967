/// An error that knows the status a caller should see for it. The server answers a call that
/// throws one with `rpcError` (and logs its cause at debug); any other unexpected error becomes
/// INTERNAL without its text.
package protocol RPCErrorConvertible: Error {
    /// The status and message a caller sees.
    var rpcError: RPCError { get }
}
