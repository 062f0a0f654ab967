import NoProofDomain

/// A failure of a library operation, classified so that the RPC layer can give the caller the
/// right status code; `message` names the field or record concerned.
package struct LibraryError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        case invalidArgument
        case notFound
        case alreadyExists
        case failedPrecondition
        case permissionDenied
        case unavailable
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    package static func invalid(_ error: ValidationError) -> LibraryError {
        LibraryError(.invalidArgument, error.description)
    }

    package static func store(_ error: StoreError) -> LibraryError {
        switch error.kind {
        case .notFound: LibraryError(.notFound, error.message)
        case .alreadyExists: LibraryError(.alreadyExists, error.message)
        case .conflict: LibraryError(.failedPrecondition, error.message)
        case .invalid(let validation): invalid(validation)
        case .storage: LibraryError(.unavailable, error.message)
        }
    }
}
