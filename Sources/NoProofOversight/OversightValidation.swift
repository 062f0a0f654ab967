import Foundation
package import NoProofDomain
import NoProofUnits

/// Field checks shared by the oversight records.
package enum OversightValidation {
    /// A required free-text field: not blank, at most `limit` characters.
    package static func text(_ value: String, _ field: String, _ what: String, limit: Int = 2000) throws(NoProofError) {
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .invalid(field, "required: \(what)") }
        if value.count > limit { throw .invalid(field, "at most \(limit) characters") }
    }

    /// An optional free-text field: at most `limit` characters.
    package static func optional(_ value: String, _ field: String, limit: Int = 2000) throws(NoProofError) {
        if value.count > limit { throw .invalid(field, "at most \(limit) characters") }
    }

    /// The applicant: an 18-character resident ID or unified social credit code with a valid check character.
    package static func holder(_ value: String, _ field: String = "holder_id") throws(NoProofError) {
        do { _ = try Holder.parse(value, field: field) } catch { throw .invalid(error.field, error.reason) }
    }

    /// A unit's unified social credit code.
    package static func unit(_ value: String, _ field: String) throws(NoProofError) {
        if value.isEmpty { throw .invalid(field, "required: the unit's unified social credit code") }
        do { _ = try UnifiedSocialCreditCode.parse(value, field: field) } catch { throw .invalid(error.field, error.reason) }
    }

    /// A service item code of a list.
    package static func item(_ value: String, _ field: String = "item_code") throws(NoProofError) {
        do { try ServiceItem.validateCode(value, field: field) } catch { throw .invalid(error.field, error.reason) }
    }

    /// A proof type code (licence type or free proof code of a list).
    package static func proof(_ value: String, _ field: String = "proof_type") throws(NoProofError) {
        do { try ProofRequirement.validateCode(value, field: field) } catch { throw .invalid(error.field, error.reason) }
    }

    /// A staff member id.
    package static func staff(_ value: String, _ field: String = "staff") throws(NoProofError) {
        do { try StaffMember.validateID(value, field: field) } catch { throw .invalid(error.field, error.reason) }
    }

    /// A case reference: required, at most 128 characters.
    package static func caseReference(_ value: String, _ field: String = "case_reference") throws(NoProofError) {
        try text(value, field, "the unit's case reference", limit: 128)
    }
}
