import Foundation
package import NoProofDomain

/// A unit that handles applications (办事单位, Art. 3), identified by its unified social credit
/// code. The task force office (工作专班办公室) is a unit too, flagged by `isTaskForceOffice`: it
/// approves item lists and issues credentials.
package struct ServiceUnit: Hashable, Sendable, Identifiable {
    /// Unified social credit code (validated on construction).
    package var code: UnifiedSocialCreditCode
    /// Full name (枣庄市民政局).
    package var name: String
    /// Government or public service (with sector).
    package var kind: UnitKind
    /// District or county (市中区, 薛城区, ... or 市直 for city-level units).
    package var district: String
    /// Whether this unit is the task force office (工作专班办公室).
    package var isTaskForceOffice: Bool
    /// Whether the unit is in service. An active unit must satisfy the Art. 10 staff rule.
    package var active: Bool

    /// `code`.
    package var id: UnifiedSocialCreditCode { code }

    /// Creates a unit. Call `validate()` before storing it.
    package init(
        code: UnifiedSocialCreditCode, name: String, kind: UnitKind, district: String,
        isTaskForceOffice: Bool = false, active: Bool = true
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.district = district
        self.isTaskForceOffice = isTaskForceOffice
        self.active = active
    }

    /// Checks the unit's own data: a non-empty name (at most 100 characters) and district, and
    /// that the task force office is a government unit.
    /// - Throws: `ValidationError` naming `name`, `district` or `kind`.
    package func validate() throws(ValidationError) {
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        if trimmedName.isEmpty { throw ValidationError(field: "name", reason: "unit name must not be empty") }
        if name.count > 100 { throw ValidationError(field: "name", reason: "unit name must be at most 100 characters, got \(name.count)") }
        if district.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(field: "district", reason: "district must not be empty; write 市直 for a city-level unit")
        }
        if isTaskForceOffice, kind != .government {
            throw ValidationError(field: "kind", reason: "the task force office must be a government unit")
        }
    }
}
