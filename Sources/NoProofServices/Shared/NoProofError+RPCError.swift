package import NoProofDomain
package import NoProofProtocol

/// The one place a domain error's code becomes a wire status. A new `NoProofError.Code` gets its
/// status here; until then it answers INTERNAL.
extension NoProofError: RPCErrorConvertible {
    /// The status a caller sees: the code's status with `description` (an invalid argument names
    /// its field); the cause stays in the log.
    package var rpcError: RPCError {
        RPCError(Self.status(of: code), description, cause: cause)
    }

    /// The wire status of `code`.
    package static func status(of code: Code) -> StatusCode {
        switch code {
        case .invalid: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .conflict: .failedPrecondition
        case .forbidden: .permissionDenied
        case .unavailable: .unavailable
        default: .internal
        }
    }
}

extension ValidationError: RPCErrorConvertible {
    /// INVALID_ARGUMENT naming the field.
    package var rpcError: RPCError { NoProofError.invalid(self).rpcError }
}

extension RPCError {
    /// The status for any error met while serving a call: its own for an `RPCError` or an
    /// `RPCErrorConvertible`, otherwise INTERNAL without the error's text.
    init(_ error: any Error) {
        switch error {
        case let error as RPCError: self = error
        case let error as any RPCErrorConvertible: self = error.rpcError
        default: self.init(.internal, "internal error; the server log has the details", cause: error)
        }
    }
}
