package import NoProofDomain

/// Why `AccessPolicy` refused a lookup. Each case names the rule that failed; `message` says it
/// in words for the `PERMISSION_DENIED` status, `code` is a stable token for the denial log.
package enum AccessDenial: Error, Hashable, Sendable, CustomStringConvertible {
    /// The unit has no published list in force at the time of the lookup.
    case noListInForce(unit: UnifiedSocialCreditCode)
    /// The cited item is not in the unit's list in force.
    case unknownItem(item: String)
    /// The item does not list the licence type.
    case typeNotListed(type: String, item: String)
    /// The item lists the type with a method other than data sharing (commitment or department
    /// verification).
    case methodNotDataSharing(type: String, item: String, actual: ObtainingMethod)
    /// The proof is excluded from the no-proof rules; the system never serves it.
    case excluded(type: String, item: String, reason: ExclusionReason)
    /// The proof is cancelled (no legal basis); it must never be asked for.
    case cancelled(type: String, item: String)

    /// Stable token: `no_list_in_force`, `unknown_item`, `type_not_listed`,
    /// `method_not_data_sharing`, `excluded`, `cancelled`.
    package var code: String {
        switch self {
        case .noListInForce: "no_list_in_force"
        case .unknownItem: "unknown_item"
        case .typeNotListed: "type_not_listed"
        case .methodNotDataSharing: "method_not_data_sharing"
        case .excluded: "excluded"
        case .cancelled: "cancelled"
        }
    }

    /// Which rule failed, in words.
    package var message: String {
        switch self {
        case .noListInForce(let unit):
            "unit \(unit) has no published item list in force; a lookup must cite an item of the unit's approved and published list (Art. 5)"
        case .unknownItem(let item):
            "item \(item) is not in the calling unit's published list in force; cite the code of a listed service item"
        case .typeNotListed(let type, let item):
            "item \(item) does not list \(type) as a proof; a lookup may only fetch proofs the item's published list requires"
        case .methodNotDataSharing(let type, let item, let actual):
            "item \(item) obtains \(type) by \(actual.summary), not by data sharing; use that procedure instead of a lookup"
        case .excluded(let type, let item, let reason):
            "\(type) of item \(item) is excluded from the no-proof rules (\(reason.summary)); the system does not serve it"
        case .cancelled(let type, let item):
            "\(type) of item \(item) is cancelled (no legal basis) and must not be asked for at all"
        }
    }

    package var description: String { message }
}
