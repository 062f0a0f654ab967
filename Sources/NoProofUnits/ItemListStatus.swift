/// Where a list version is in its life cycle:
/// `draft -> submitted -> approved -> published`, or `submitted -> rejected -> draft`.
package enum ItemListStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Being edited by the unit.
    case draft
    /// Sent to the task force office for approval.
    case submitted
    /// Approved with an effective time, not yet published.
    case approved
    /// Returned by the task force with a reason; reopen it to edit again.
    case rejected
    /// Published; in force from its effective time until a later published version takes effect.
    case published

    /// Whether the version is still being worked on (not yet published).
    package var isOpen: Bool { self != .published }
}
