/// One problem found while loading lists in bulk: where (`lists[0].items[2]`, `row 7`), for
/// which unit, which field, and what is wrong.
package struct BulkLoadProblem: Hashable, Sendable, CustomStringConvertible {
    /// Position in the file.
    package var location: String
    /// The unit concerned, as written in the file (may be empty).
    package var unit: String
    /// The offending field.
    package var field: String
    /// What is wrong and what to do.
    package var message: String

    /// Creates a problem.
    package init(location: String, unit: String, field: String, message: String) {
        self.location = location
        self.unit = unit
        self.field = field
        self.message = message
    }

    /// `<location> (<unit>): <field>: <message>`.
    package var description: String {
        "\(location)\(unit.isEmpty ? "" : " (\(unit))"): \(field): \(message)"
    }
}
