/// Why an oversight record (commitment, ledger entry, mismatch case, complaint) or one of its
/// transitions was refused. `kind` maps to an RPC status.
package struct OversightError: Error, Equatable, Sendable, CustomStringConvertible {
    package enum Kind: Equatable, Sendable {
        /// INVALID_ARGUMENT; `field` names the request field.
        case invalid(field: String)
        /// NOT_FOUND.
        case notFound
        /// FAILED_PRECONDITION: the record is not in a state that allows this.
        case wrongState
        /// PERMISSION_DENIED: the rule that forbids it is in the message.
        case forbidden
        /// ALREADY_EXISTS: the natural key was used for different content.
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

    package static func invalid(_ field: String, _ message: String) -> OversightError {
        OversightError(.invalid(field: field), message)
    }

    package static func wrongState(_ message: String) -> OversightError { OversightError(.wrongState, message) }
}
