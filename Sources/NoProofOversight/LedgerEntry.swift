package import Foundation
package import NoProofUnits
package import NoProofDomain

/// One line of the voluntary-proof ledger (台账, Art. 2): the applicant volunteered a paper proof
/// for an item that no longer needs one, and the unit accepted and recorded it.
///
/// `listedMethod` is how the unit's published list in force obtains that proof for the item
/// (`data_sharing`, `commitment`, `department_verification`, `cancelled`, `excluded`), or
/// `not_listed` when the item does not list it. `notToBeAskedFor` is true when the list names the
/// proof and obtains it without the applicant (data sharing, commitment, department verification)
/// or cancels it; false when it is `excluded` or not listed at all (the list says nothing about
/// it). Recording volunteered paper is what Art. 2 requires, so these entries are shown in the
/// report but raise no flag: supervision flags demands for no-proof items (complaints, lookups of
/// cancelled proofs), not honest ledger entries (docs/SUPERVISION.md).
package struct LedgerEntry: Codable, Hashable, Sendable, Identifiable {
    package var id: String
    package var unit: String
    package var unitName: String
    package var holderID: String
    package var holderName: String
    package var itemCode: String
    package var caseReference: String
    package var proofType: String
    package var proofName: String
    package var recordedAt: Date
    package var recordedBy: String
    /// Always true: the ledger only records proofs the applicant offered unasked.
    package var volunteered: Bool
    package var listedMethod: String
    package var notToBeAskedFor: Bool
    package var note: String

    package static let notListed = "not_listed"

    /// Whether the list says not to ask for a proof obtained by `method` (nil: the item does not
    /// list it, so the list says nothing about it: false).
    package static func notToBeAskedFor(_ method: ObtainingMethod?) -> Bool {
        switch method {
        case nil, .excluded: false
        case .dataSharing, .commitment, .departmentVerification, .cancelled: true
        }
    }

    package static func make(
        id: String, unit: String, unitName: String, holderID: String, holderName: String, itemCode: String,
        caseReference: String, proofType: String, proofName: String, listed: ObtainingMethod?, note: String,
        by staff: String, at now: Date
    ) throws(NoProofError) -> LedgerEntry {
        try OversightValidation.holder(holderID)
        try OversightValidation.item(itemCode)
        try OversightValidation.caseReference(caseReference)
        try OversightValidation.proof(proofType)
        try OversightValidation.optional(holderName, "holder_name", limit: 100)
        try OversightValidation.optional(proofName, "proof_name", limit: 100)
        try OversightValidation.optional(note, "note")
        try OversightValidation.staff(staff)
        return LedgerEntry(
            id: id, unit: unit, unitName: unitName, holderID: holderID, holderName: holderName, itemCode: itemCode,
            caseReference: caseReference, proofType: proofType, proofName: proofName, recordedAt: now, recordedBy: staff,
            volunteered: true, listedMethod: listed?.token ?? notListed, notToBeAskedFor: notToBeAskedFor(listed),
            note: note)
    }

    /// Whether `other` records the same volunteered proof (a retry).
    package func sameFacts(_ other: LedgerEntry) -> Bool {
        unit == other.unit && holderID == other.holderID && itemCode == other.itemCode && caseReference == other.caseReference
            && proofType == other.proofType
    }
}
