import NoProofDomain
import NoProofUnits

/// An error from a `UnitStore`. `kind` maps to an RPC status; `message` says what went wrong,
/// naming the unit, member, credential or list version concerned, and what to do.
package struct UnitStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Classification of unit-store errors.
    package enum Kind: Equatable, Sendable {
        /// The unit, staff member, credential or list version does not exist — `NOT_FOUND`.
        case notFound
        /// It already exists — `ALREADY_EXISTS`.
        case alreadyExists
        /// The change conflicts with the current state (Art. 10 staff rule, list life cycle) —
        /// `FAILED_PRECONDITION`.
        case conflict
        /// The input failed validation — `INVALID_ARGUMENT`.
        case invalid(ValidationError)
        /// The actor may not do this (for example approval by a unit other than the task force
        /// office, or a staff member who does not belong to the unit) — `PERMISSION_DENIED`.
        case forbidden
        /// The database failed — `INTERNAL` / `UNAVAILABLE`.
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

    /// The input is invalid.
    package static func invalid(_ error: ValidationError) -> UnitStoreError {
        UnitStoreError(.invalid(error), error.description)
    }

    /// A staff change breaks the Art. 10 rule (or names an invalid member).
    package static func staffRule(_ violation: StaffRuleViolation) -> UnitStoreError {
        if case .invalidMember(let error) = violation { return .invalid(error) }
        return UnitStoreError(.conflict, violation.message)
    }

    /// A refused list event.
    package static func transition(_ error: ItemListTransitionError) -> UnitStoreError {
        switch error.kind {
        case .wrongState: UnitStoreError(.conflict, error.message)
        case .invalid: UnitStoreError(.invalid(ValidationError(field: error.field, reason: error.message)), error.message)
        case .forbidden: UnitStoreError(.forbidden, error.message)
        }
    }

    /// No unit with `code`.
    package static func unitNotFound(_ code: UnifiedSocialCreditCode) -> UnitStoreError {
        UnitStoreError(.notFound, "unit \(code) is not registered; create it first")
    }

    /// Wraps any error thrown while talking to the database.
    package static func wrap(_ error: any Error) -> UnitStoreError {
        if let error = error as? UnitStoreError { return error }
        if let error = error as? ValidationError { return .invalid(error) }
        if let error = error as? StaffRuleViolation { return .staffRule(error) }
        if let error = error as? ItemListTransitionError { return .transition(error) }
        return UnitStoreError(.storage, "unit store failure: \(error)")
    }
}
