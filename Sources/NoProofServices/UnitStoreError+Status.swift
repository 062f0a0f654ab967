import NoProofProtocol
import NoProofUnitStore

extension RPCError {
    /// The status a caller sees for a unit-store failure: NOT_FOUND, ALREADY_EXISTS,
    /// FAILED_PRECONDITION (Art. 10 staff rule, list life cycle), INVALID_ARGUMENT naming the
    /// field, PERMISSION_DENIED, or UNAVAILABLE when the database failed.
    init(_ error: UnitStoreError) {
        switch error.kind {
        case .notFound: self.init(.notFound, error.message)
        case .alreadyExists: self.init(.alreadyExists, error.message)
        case .conflict: self.init(.failedPrecondition, error.message)
        case .invalid(let validation): self.init(.invalidArgument, validation.description)
        case .forbidden: self.init(.permissionDenied, error.message)
        case .storage: self.init(.unavailable, "the unit registry could not be read or written; retry (\(error.message))")
        }
    }
}
