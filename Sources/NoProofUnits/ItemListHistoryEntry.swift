package import Foundation

/// One step in a list version's life (kept in full, oldest first).
package struct ItemListHistoryEntry: Hashable, Sendable, Codable {
    /// `created`, `edited`, `submitted`, `approved`, `rejected`, `reopened` or `published`.
    package var action: String
    /// When it happened.
    package var at: Date
    /// Who did it: `<unit credit code>/<staff id>`.
    package var actor: String
    /// Status after the step.
    package var status: ItemListStatus
    /// Reason, effective time or other detail, possibly empty.
    package var note: String

    /// Creates an entry.
    package init(action: String, at: Date, actor: String, status: ItemListStatus, note: String = "") {
        self.action = action
        self.at = at
        self.actor = actor
        self.status = status
        self.note = note
    }
}
