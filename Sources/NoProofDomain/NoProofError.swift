/// The one error the domain modules, their stores and the library throw (licences, units and
/// lists, verification, oversight). `code` classifies it so the server can answer with the right
/// status (the mapping is in `NoProofServices/Shared/NoProofError+RPCError.swift`, nowhere else);
/// `message` says what is wrong and what to do; `field` names the offending request field
/// (`declared[2].key`) where there is one; `cause` keeps the underlying error (a database
/// failure, a validation error) for the log — it is never sent to a caller.
///
/// Shaped like grpc-swift-2's `RPCError` and postgres-nio's `PSQLError`: an extensible code
/// struct, not an enum, so a new code does not break every `switch`.
package struct NoProofError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is. Add a code by adding a `Wrapped` case, its static member
    /// and its status in `NoProofError+RPCError.swift`.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalid, notFound, alreadyExists, conflict, forbidden, unavailable
        }

        private var wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The input failed validation; `field` names it — `INVALID_ARGUMENT`.
        package static let invalid = Code(.invalid)
        /// The record (licence, unit, request, case ...) does not exist — `NOT_FOUND`.
        package static let notFound = Code(.notFound)
        /// It already exists, or its natural key was used for different content — `ALREADY_EXISTS`.
        package static let alreadyExists = Code(.alreadyExists)
        /// The change conflicts with the record's current state (a revoked licence, the Art. 10
        /// staff rule, a list or request in the wrong status) — `FAILED_PRECONDITION`.
        package static let conflict = Code(.conflict)
        /// The actor may not do this; the rule is in the message — `PERMISSION_DENIED`.
        package static let forbidden = Code(.forbidden)
        /// The store failed (I/O, corruption, schema) — `UNAVAILABLE`.
        package static let unavailable = Code(.unavailable)

        package var description: String {
            switch wrapped {
            case .invalid: "invalid"
            case .notFound: "not found"
            case .alreadyExists: "already exists"
            case .conflict: "conflict"
            case .forbidden: "forbidden"
            case .unavailable: "unavailable"
            }
        }
    }

    /// What went wrong.
    package var code: Code
    /// A readable explanation, naming the record concerned and what to do (without the field).
    package var message: String
    /// The offending request field, e.g. `holder_id` or `declared[2].key`.
    package var field: String?
    /// The underlying error, kept for the log; not part of equality, never sent to a caller.
    package var cause: (any Error & Sendable)?

    /// Creates an error.
    package init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    /// An invalid-argument error as `"<field>: <message>"`, as `ValidationError` prints;
    /// otherwise the message.
    package var description: String {
        if code == .invalid, let field { return "\(field): \(message)" }
        return message
    }

    /// The validation failure of an invalid-argument error that names its field.
    package var validation: ValidationError? {
        guard code == .invalid, let field else { return nil }
        return ValidationError(field: field, reason: message)
    }

    /// Equal when code, message and field are; the cause is not compared.
    package static func == (lhs: NoProofError, rhs: NoProofError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.field == rhs.field
    }

    /// The input is invalid: `field` and `reason` of `error`.
    package static func invalid(_ error: ValidationError) -> NoProofError {
        NoProofError(.invalid, error.reason, field: error.field, cause: error)
    }

    /// The request field `field` is invalid.
    package static func invalid(_ field: String, _ message: String) -> NoProofError {
        NoProofError(.invalid, message, field: field)
    }

    /// The record is not in a state that allows this.
    package static func conflict(_ message: String) -> NoProofError {
        NoProofError(.conflict, message)
    }
}
