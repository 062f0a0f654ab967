package import Foundation

/// An event applied to a list version by `ItemListStateMachine`. `by` is the acting staff
/// member of the list's own unit.
package enum ItemListEvent: Hashable, Sendable {
    /// Replace the draft's items and declared changes.
    case edit(items: [ServiceItem], changes: [ListChange], by: String, at: Date)
    /// Send the draft to the task force office.
    case submit(by: String, at: Date)
    /// Approve a submitted version, effective at `effectiveAt` (not before `at`).
    case approve(reviewer: ListReviewer, at: Date, effectiveAt: Date)
    /// Reject a submitted version with a reason.
    case reject(reviewer: ListReviewer, at: Date, reason: String)
    /// Return a rejected version to draft for changes.
    case reopen(by: String, at: Date)
    /// Publish an approved version. `by` is the publishing actor (`<unit>/<staff>` or `system`).
    case publish(by: String, at: Date)

    /// The event's name as used in messages (`submit`, `approve`, ...).
    package var name: String {
        switch self {
        case .edit: "edit"
        case .submit: "submit"
        case .approve: "approve"
        case .reject: "reject"
        case .reopen: "reopen"
        case .publish: "publish"
        }
    }
}
