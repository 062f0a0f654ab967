/// Why a verification request or one of its transitions was refused. `kind` maps to an RPC status.
package struct VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    package enum Kind: Equatable, Sendable {
        /// INVALID_ARGUMENT; `field` names the request field.
        case invalid(field: String)
        /// NOT_FOUND.
        case notFound
        /// FAILED_PRECONDITION: the request is not in a state that allows this.
        case wrongState
        /// PERMISSION_DENIED: the rule that forbids it is in the message.
        case forbidden
        /// ALREADY_EXISTS: e.g. a request key reused for different content.
        case alreadyExists
        /// UNAVAILABLE: the store failed.
        case storage
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String {
        if case .invalid(let field) = kind { return "\(field): \(message)" }
        return message
    }

    package static func invalid(_ field: String, _ message: String) -> VerificationError {
        VerificationError(.invalid(field: field), message)
    }
}
