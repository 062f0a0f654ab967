import NoProofDomain

/// An error from a `LicenceStore`. `kind` says what went wrong in a way the RPC layer can map to
/// a status code; `message` says it in words, naming the licence or field concerned.
package struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Classification of store errors.
    package enum Kind: Equatable, Sendable {
        /// The licence (or licence type) does not exist — `NOT_FOUND`.
        case notFound
        /// A licence with this identifier already exists — `ALREADY_EXISTS`.
        case alreadyExists
        /// The operation conflicts with the licence's current state (for example suspending a
        /// revoked licence) — `FAILED_PRECONDITION`.
        case conflict
        /// The input failed validation — `INVALID_ARGUMENT`.
        case invalid(ValidationError)
        /// The database failed (I/O, corruption, schema) — `INTERNAL` / `UNAVAILABLE`.
        case storage
    }

    /// What went wrong.
    package var kind: Kind
    /// A readable explanation.
    package var message: String

    /// Creates an error.
    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }

    /// No licence with `id`.
    package static func notFound(_ id: LicenceIdentifier) -> StoreError {
        StoreError(.notFound, "licence \(id) not found")
    }

    /// A licence with `id` already exists.
    package static func alreadyExists(_ id: LicenceIdentifier) -> StoreError {
        StoreError(.alreadyExists, "licence \(id) already exists")
    }

    /// The input is invalid.
    package static func invalid(_ error: ValidationError) -> StoreError {
        StoreError(.invalid(error), error.description)
    }

    /// Wraps any error thrown while talking to the database.
    package static func wrap(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? ValidationError { return .invalid(error) }
        return StoreError(.storage, "licence store failure: \(error)")
    }
}
