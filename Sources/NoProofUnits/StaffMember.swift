package import NoProofDomain
import Foundation
/// A person who operates the service system for one unit. Identifiers are scoped to the unit
/// (`agent-0001` may exist in several units).
package struct StaffMember: Hashable, Sendable, Codable, Identifiable {
    /// Unit-scoped identifier: 1-64 characters of `a-z`, `0-9`, `-`, `_`, `.`, starting with a
    /// letter or digit.
    package var id: String
    /// Display name.
    package var name: String
    /// Supervisor or agent.
    package var role: StaffRole
    /// Whether the member currently serves. Deactivated members are kept for the record.
    package var active: Bool

    /// Creates a staff member.
    package init(id: String, name: String, role: StaffRole, active: Bool = true) {
        self.id = id
        self.name = name
        self.role = role
        self.active = active
    }

    /// Checks the identifier and name.
    /// - Throws: `ValidationError` naming `staff_id` or `name`.
    package func validate() throws(ValidationError) {
        try StaffMember.validateID(id)
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(field: "name", reason: "staff member \(id) needs a name")
        }
        if name.count > 64 { throw ValidationError(field: "name", reason: "staff name must be at most 64 characters, got \(name.count)") }
    }

    /// Checks a staff identifier's syntax.
    /// - Throws: `ValidationError` on `field` explaining the allowed characters.
    package static func validateID(_ id: String, field: String = "staff_id") throws(ValidationError) {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else {
            throw ValidationError(field: field, reason: "staff id must be 1-64 characters, got \(id.count)")
        }
        func allowed(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 95 || b == 46
        }
        guard bytes.allSatisfy(allowed), bytes[0] != 45, bytes[0] != 95, bytes[0] != 46 else {
            throw ValidationError(
                field: field,
                reason: "staff id may use only a-z, 0-9, '-', '_' and '.', starting with a letter or digit, got \"\(id)\"")
        }
    }
}
