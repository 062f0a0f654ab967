package import NoProofDomain

/// The request fields several services parse the same way, each refusal naming the field
/// (`invalid`, INVALID_ARGUMENT on the wire): a unit's code, a list version, a civil date.
package enum RequestFields {
    /// The unified social credit code in `text`; `invalid` when empty or malformed.
    package static func unitCode(_ text: String, field: String = "unit_code") throws(NoProofError) -> UnifiedSocialCreditCode {
        guard !text.isEmpty else { throw .invalid(field, "required — the unit's unified social credit code") }
        do {
            return try UnifiedSocialCreditCode.parse(text, field: field)
        } catch {
            throw .invalid(error)
        }
    }

    /// A list version number (from 1); `invalid` when 0 (not given).
    package static func version(_ version: UInt32) throws(NoProofError) -> Int {
        guard version > 0 else { throw .invalid("version", "required — the list version number (from 1)") }
        return Int(version)
    }

    /// The civil date `YYYY-MM-DD` in `text`; `invalid` when empty or malformed.
    package static func civilDate(_ text: String, field: String) throws(NoProofError) -> CivilDate {
        guard !text.isEmpty else { throw .invalid(field, "required — a civil date YYYY-MM-DD (China Standard Time)") }
        do {
            return try CivilDate.parse(text, field: field)
        } catch {
            throw .invalid(error)
        }
    }
}
