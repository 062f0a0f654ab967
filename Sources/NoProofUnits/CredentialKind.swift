package import NoProofDomain

/// What a credential is for: a unit's departmental system (the default), one staff member of the
/// unit signing in as themselves (`staff`: the only way to carry a staff member's authority —
/// approving lists, answering verification, acting as supervisor; docs/SECURITY.md), or the
/// citizen portal — the app that shows citizens which units obtained their data (Art. 15). A
/// citizen-portal credential belongs to the unit that runs the portal but never acts as that
/// unit: it may call only the portal's methods (role `citizen-portal`).
package enum CredentialKind: String, Hashable, Sendable, CaseIterable {
    case unit
    case staff
    case citizenPortal = "citizen-portal"

    /// The kind named `text` ("" = unit).
    /// - Throws: `ValidationError` on `field` for any other text.
    package static func parse(_ text: String, field: String = "kind") throws(ValidationError) -> CredentialKind {
        if text.isEmpty { return .unit }
        guard let kind = CredentialKind(rawValue: text) else {
            throw ValidationError(field: field, reason: "must be unit, staff or citizen-portal, got \"\(text)\"")
        }
        return kind
    }
}
