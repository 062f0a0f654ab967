package import NoProofDomain

/// Changes to a licence's content, applied by `LicenceStore.amend` as a new version. `nil`
/// properties are left unchanged.
package struct LicenceAmendment: Equatable, Sendable {
    /// New holder name.
    package var holderName: String?
    /// New issuing-unit name.
    package var issuerName: String?
    /// New first day of validity.
    package var validFrom: CivilDate?
    /// New last day of validity: `.some(nil)` makes the licence valid indefinitely.
    package var validTo: CivilDate??
    /// Data fields to add or overwrite.
    package var setFields: [String: String]
    /// Data fields to remove.
    package var removeFields: Set<String>

    /// Creates an amendment.
    package init(
        holderName: String? = nil, issuerName: String? = nil, validFrom: CivilDate? = nil,
        validTo: CivilDate?? = nil, setFields: [String: String] = [:], removeFields: Set<String> = []
    ) {
        self.holderName = holderName
        self.issuerName = issuerName
        self.validFrom = validFrom
        self.validTo = validTo
        self.setFields = setFields
        self.removeFields = removeFields
    }

    /// `licence` with the changes applied (version unchanged).
    package func applied(to licence: Licence) -> Licence {
        var result = licence
        if let holderName { result.holderName = holderName }
        if let issuerName { result.issuerName = issuerName }
        if let validFrom { result.validFrom = validFrom }
        if let validTo { result.validTo = validTo }
        for key in removeFields { result.fields[key] = nil }
        for (key, value) in setFields { result.fields[key] = value }
        return result
    }
}
