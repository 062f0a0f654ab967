import NoProofDomain

/// Why a list event was refused. `kind` maps to an RPC status; `message` says what is wrong and
/// what to do; `field` names the offending input where there is one.
package struct ItemListTransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Classification for the RPC layer.
    package enum Kind: Hashable, Sendable {
        /// The event does not apply in the version's current status — `FAILED_PRECONDITION`.
        case wrongState
        /// The list content or the event's data is invalid — `INVALID_ARGUMENT`.
        case invalid
        /// The actor may not do this (for example approval by a unit other than the task
        /// force office) — `PERMISSION_DENIED`.
        case forbidden
    }

    /// Classification.
    package var kind: Kind
    /// The offending input field, or `status` / `reviewer`.
    package var field: String
    /// A readable explanation.
    package var message: String

    /// Creates an error.
    package init(_ kind: Kind, field: String, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// Wraps a validation failure of the list content.
    package static func invalid(_ error: ValidationError) -> ItemListTransitionError {
        ItemListTransitionError(.invalid, field: error.field, error.description)
    }

    package var description: String { message }
}
