extension NoProofError {
    /// No licence with `id`.
    package static func notFound(_ id: LicenceIdentifier) -> NoProofError {
        NoProofError(.notFound, "licence \(id) not found")
    }

    /// A licence with `id` already exists.
    package static func alreadyExists(_ id: LicenceIdentifier) -> NoProofError {
        NoProofError(.alreadyExists, "licence \(id) already exists")
    }

    /// Any error thrown while talking to the licence database: itself if it is a `NoProofError`,
    /// INVALID_ARGUMENT for a `ValidationError`, otherwise a storage failure keeping `error` as
    /// its cause.
    package static func licenceStore(_ error: any Error) -> NoProofError {
        if let error = error as? NoProofError { return error }
        if let error = error as? ValidationError { return .invalid(error) }
        return NoProofError(.unavailable, "licence store failure: \(error)", cause: error)
    }
}
