/// The documented maximum length of every string a request can carry to storage, and the limits
/// of a bulk import (docs/PROTOCOL.md, "Limits").
///
/// Lengths count Unicode code points (a Chinese character is one), never grapheme clusters, so a
/// base letter followed by a million combining marks is a million, not one. A value over its limit
/// is refused with INVALID_ARGUMENT naming the field (`purpose.case_reference: at most 64
/// characters, got 1048576`) before the method runs: nothing of it reaches the audit trail, the
/// denial log or a store, and the call is not audited (nothing was read or written).
package enum FieldLimits {
    /// Codes and identifiers: unit codes, holder ids, type and proof codes, item codes, case
    /// references, staff ids, credential ids, record ids, request keys, channel references,
    /// enum-like words (status, outcome, method, kind, ...), field keys.
    package static let code = 64
    /// A licence identifier (`1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`: at most 105).
    package static let licenceID = 128
    /// Names and labels: holder, staff, unit, item and proof names, credential labels, districts.
    package static let name = 200
    /// Short free text: reasons (revocation, rejection, return), references, a licence field's value.
    package static let reason = 1_000
    /// Long free text: notes, evidence, commitment texts, complaint summaries and answers.
    package static let text = 4_000
    /// A page token of a listing.
    package static let pageToken = 256
    /// `LoadItemListsRequest.text`, a whole bulk file of lists (its fields are checked as a draft's).
    package static let bulkText = 1 << 20
    /// The acting staff member's id in the `staff` metadata entry.
    package static let staff = 64

    /// Entries of a repeated field of a request (declared facts, licence fields, staff members,
    /// items, proofs of an item, declared changes, linked records).
    package static let repeatedEntries = 200

    /// Rows of one `ImportLicences` call.
    package static let importRows = 5_000
    /// Encoded bytes of one `ImportLicences` request.
    package static let importBytes = 2 << 20
    /// Rejections listed in one `ImportLicencesResponse`; the rest are counted in `rejections_omitted`.
    package static let listedRejections = 1_000

    /// INVALID_ARGUMENT naming `field` when `value` is longer than `max` code points.
    @inline(__always)
    package static func check(_ value: String, _ field: @autoclosure () -> String, max: Int) throws(RPCError) {
        // UTF-8 bytes >= code points: a value within `max` bytes needs no counting.
        let bytes = value.utf8.count
        guard bytes > max else { return }
        let count = value.unicodeScalars.count
        guard count > max else { return }
        throw RPCError(.invalidArgument, "\(field()): at most \(max) characters, got \(count)")
    }

    /// INVALID_ARGUMENT naming `field` when a repeated field has more than `max` entries.
    @inline(__always)
    package static func check(count: Int, _ field: @autoclosure () -> String, max: Int = repeatedEntries) throws(RPCError) {
        guard count > max else { return }
        throw RPCError(.invalidArgument, "\(field()): at most \(max) entries, got \(count)")
    }
}

/// A request message whose string fields have documented maximum lengths (`FieldLimits`).
/// `RPCRegistry` checks them right after decoding, before the method runs.
package protocol LengthLimitedRequest {
    /// Throws INVALID_ARGUMENT naming the first field over its limit.
    func checkLengths() throws(RPCError)
}
