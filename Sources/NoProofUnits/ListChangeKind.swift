package import NoProofDomain
/// The kinds of list change Art. 5 names: reducing, changing or adding a proof (or an item).
package enum ListChangeKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// A proof (or item) is added, or a cancelled proof is required again.
    case add
    /// A proof (or item) is removed or cancelled.
    case reduce
    /// A proof's obtaining method changes.
    case change

    /// Parses `add`, `reduce` or `change`.
    /// - Throws: `ValidationError` on `field`.
    package static func parse(_ text: String, field: String) throws(ValidationError) -> ListChangeKind {
        guard let kind = ListChangeKind(rawValue: text) else {
            throw ValidationError(field: field, reason: "change kind must be add, reduce or change, got \"\(text)\"")
        }
        return kind
    }
}
