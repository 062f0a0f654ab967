package import NoProofDomain
package import NoProofUnits

extension NoProofError {
    /// The unit registry failed (I/O, corruption, an unreadable row): UNAVAILABLE, asking to retry.
    package static func unitStorage(_ detail: String, cause: (any Error)? = nil) -> NoProofError {
        NoProofError(.unavailable, "the unit registry could not be read or written; retry (\(detail))", cause: cause)
    }

    /// A staff change breaks the Art. 10 rule (or names an invalid member).
    package static func staffRule(_ violation: StaffRuleViolation) -> NoProofError {
        if case .invalidMember(let error) = violation { return .invalid(error) }
        return NoProofError(.conflict, violation.message, cause: violation)
    }

    /// No unit with `code`.
    package static func unitNotFound(_ code: UnifiedSocialCreditCode) -> NoProofError {
        NoProofError(.notFound, "unit \(code) is not registered; create it first")
    }

    /// Any error thrown while talking to the unit database: itself if it is a `NoProofError`
    /// (a refused list event among them), INVALID_ARGUMENT for a `ValidationError`, the staff
    /// rule's conflict, otherwise a storage failure keeping `error` as its cause.
    package static func unitStore(_ error: any Error) -> NoProofError {
        if let error = error as? NoProofError { return error }
        if let error = error as? ValidationError { return .invalid(error) }
        if let error = error as? StaffRuleViolation { return .staffRule(error) }
        return .unitStorage("unit store failure: \(error)", cause: error)
    }
}
