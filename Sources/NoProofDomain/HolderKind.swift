/// Whether a licence type is held by natural persons or by organisations.
package enum HolderKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Natural persons (resident ID).
    case person
    /// Legal persons and other organisations (unified social credit code).
    case organization
}
