package import NoProofDomain

/// One unit's list content read from a bulk file, fully validated.
package struct ItemListBulkEntry: Hashable, Sendable {
    /// The unit.
    package var unitCode: UnifiedSocialCreditCode
    /// The items.
    package var items: [ServiceItem]
    /// Declared changes (for a revision of a published list).
    package var changes: [ListChange]
    /// Where the entry starts in the file.
    package var location: String

    /// Creates an entry.
    package init(unitCode: UnifiedSocialCreditCode, items: [ServiceItem], changes: [ListChange], location: String) {
        self.unitCode = unitCode
        self.items = items
        self.changes = changes
        self.location = location
    }
}
