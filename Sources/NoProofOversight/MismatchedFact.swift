/// One fact whose declared value differs from the fetched one.
package struct MismatchedFact: Codable, Hashable, Sendable {
    package var key: String
    package var declared: String
    package var fetched: String
    /// The issuing unit's value after re-verification, when it corrected its record.
    package var corrected: String?

    package init(key: String, declared: String, fetched: String, corrected: String? = nil) {
        self.key = key
        self.declared = declared
        self.fetched = fetched
        self.corrected = corrected
    }
}
