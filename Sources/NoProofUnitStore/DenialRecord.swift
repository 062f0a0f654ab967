package import Foundation

/// One refused lookup or rate-limit breach, kept for supervision (Art. 16, 20).
package struct DenialRecord: Hashable, Sendable {
    /// Whether the record is an access-policy denial or a rate-limit breach.
    package enum Kind: String, Hashable, Sendable {
        /// Refused by `AccessPolicy` — the `reason` is an `AccessDenial.code`.
        case denial
        /// Refused by `RateLimiter` — the `reason` is a `RateLimitBreach.code`.
        case breach
    }

    /// Log sequence number, assigned when appended (`nil` before).
    package var sequence: Int64?
    /// When it happened.
    package var at: Date
    /// The calling unit's credit code.
    package var unitCode: String
    /// The acting staff member.
    package var staffID: String
    /// The cited item code (may be empty).
    package var itemCode: String
    /// The case reference (may be empty).
    package var caseReference: String
    /// The licence type asked for.
    package var typeCode: String
    /// Denial or breach.
    package var kind: Kind
    /// Stable reason token (`unknown_item`, `per_case`, ...).
    package var reason: String
    /// The message returned to the caller.
    package var message: String

    /// Creates a record.
    package init(
        sequence: Int64? = nil, at: Date, unitCode: String, staffID: String, itemCode: String, caseReference: String,
        typeCode: String, kind: Kind, reason: String, message: String
    ) {
        self.sequence = sequence
        self.at = at
        self.unitCode = unitCode
        self.staffID = staffID
        self.itemCode = itemCode
        self.caseReference = caseReference
        self.typeCode = typeCode
        self.kind = kind
        self.reason = reason
        self.message = message
    }
}
