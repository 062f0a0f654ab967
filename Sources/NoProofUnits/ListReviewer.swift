/// The task force office staff member who approves or rejects a list.
package struct ListReviewer: Hashable, Sendable {
    /// The reviewing unit; must be the task force office.
    package var unit: ServiceUnit
    /// The acting staff member of that unit.
    package var staffID: String

    /// Creates a reviewer.
    package init(unit: ServiceUnit, staffID: String) {
        self.unit = unit
        self.staffID = staffID
    }

    /// `<unit code>/<staff id>`.
    package var actor: String { "\(unit.code)/\(staffID)" }
}
