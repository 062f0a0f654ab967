package import Foundation
package import NoProofDomain

/// Which commitments a listing returns.
package enum CommitmentFilter: Hashable, Sendable {
    case all
    /// Checks still to do.
    case unchecked
    /// Unchecked and past the due date at the given time.
    case overdue(asOf: Date)
    /// Checked and found false (the flag for the unit and the task force).
    case foundFalse

    package static func parse(_ text: String, now: Date) throws(NoProofError) -> CommitmentFilter {
        switch text {
        case "", "all": return .all
        case "unchecked": return .unchecked
        case "overdue": return .overdue(asOf: now)
        case "found_false": return .foundFalse
        default: throw .invalid("filter", "must be all, unchecked, overdue or found_false, got \"\(text)\"")
        }
    }
}
