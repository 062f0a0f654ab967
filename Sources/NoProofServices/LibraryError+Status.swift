import NoProofDomain
import NoProofLibrary
import NoProofProtocol

extension RPCError {
    /// The status a caller sees for a library failure.
    init(_ error: LibraryError) {
        let code: StatusCode = switch error.code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .failedPrecondition: .failedPrecondition
        case .permissionDenied: .permissionDenied
        case .unavailable: .unavailable
        }
        self.init(code, error.message)
    }

    /// INVALID_ARGUMENT naming the field.
    init(_ error: ValidationError) {
        self.init(.invalidArgument, error.description)
    }
}
