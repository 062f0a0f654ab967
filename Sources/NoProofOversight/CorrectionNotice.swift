package import Foundation

/// A correction notice (issue 16, Art. 11): the issuing unit resolved a mismatch case as record
/// corrected and amended the licence; every unit that fetched the old version (a `Lookup` or
/// `GetLicence` that found it, from the audit trail) is told, and the unit that raised the case
/// gets the corrected proof with its notice. One notice per unit and case.
package struct CorrectionNotice: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    /// The unit told.
    package var unit: String
    package var mismatchID: String
    package var issuingUnit: String
    package var issuingUnitName: String
    package var holderID: String
    package var typeCode: String
    package var licenceID: String
    /// The version in force after the correction; every earlier one is superseded.
    package var newVersion: Int64
    /// The names of the fields corrected (values are not copied to units that only fetched).
    package var correctedFields: [String]
    /// The case references of the unit's fetches of the old version.
    package var fetchCaseReferences: [String]
    /// The audit sequence of its latest fetch (0 when it only raised the case).
    package var lastFetchSequence: Int64
    package var noticedAt: Date
    /// The unit that raised the case: its notice carries the corrected proof.
    package var raisedTheCase: Bool
    /// The corrected proof's encoded `SealedProof` (raising unit only; empty otherwise).
    package var correctedProof: [UInt8]

    package init(
        id: String, unit: String, mismatchID: String, issuingUnit: String, issuingUnitName: String, holderID: String,
        typeCode: String, licenceID: String, newVersion: Int64, correctedFields: [String], fetchCaseReferences: [String],
        lastFetchSequence: Int64, noticedAt: Date, raisedTheCase: Bool, correctedProof: [UInt8] = []
    ) {
        self.id = id
        self.unit = unit
        self.mismatchID = mismatchID
        self.issuingUnit = issuingUnit
        self.issuingUnitName = issuingUnitName
        self.holderID = holderID
        self.typeCode = typeCode
        self.licenceID = licenceID
        self.newVersion = newVersion
        self.correctedFields = correctedFields
        self.fetchCaseReferences = fetchCaseReferences
        self.lastFetchSequence = lastFetchSequence
        self.noticedAt = noticedAt
        self.raisedTheCase = raisedTheCase
        self.correctedProof = correctedProof
    }
}
