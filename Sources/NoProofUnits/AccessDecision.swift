/// The answer of `AccessPolicy`: allowed (with the list version and item that justify it) or
/// denied with the reason.
package enum AccessDecision: Hashable, Sendable {
    /// The lookup is covered by `item` of list version `listVersion`.
    case allowed(listVersion: Int, item: ServiceItem)
    /// The lookup is refused.
    case denied(AccessDenial)

    /// Whether the lookup may proceed.
    package var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The denial, if refused.
    package var denial: AccessDenial? {
        if case .denied(let denial) = self { return denial }
        return nil
    }
}
