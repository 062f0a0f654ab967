/// A value failed validation. `field` names the offending input field as the caller knows it
/// (for example `holder_id` or `licence_id`), `reason` says in plain words what is wrong.
///
/// The RPC layer maps this error to `INVALID_ARGUMENT`; `description` is suitable for the status
/// message (`"holder_id: check digit is 5, expected X"`).
package struct ValidationError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The name of the field that failed validation.
    package var field: String
    /// A human-readable explanation of what is wrong with the field.
    package var reason: String

    /// Creates a validation error for `field` with the given `reason`.
    package init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `"<field>: <reason>"`.
    package var description: String { "\(field): \(reason)" }

    /// The same error re-targeted at another field name, keeping the reason.
    package func renamed(to newField: String) -> ValidationError {
        ValidationError(field: newField, reason: reason)
    }
}
