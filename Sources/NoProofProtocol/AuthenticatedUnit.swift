/// The unit a connection has authenticated as.
package struct AuthenticatedUnit: Hashable, Sendable {
    /// Unified social credit code of the unit.
    package var unitCode: String
    package var unitName: String
    /// The credential used, for audit.
    package var credentialID: String
    /// Unix seconds; 0 = no expiry.
    package var expiresAt: Int64
    /// Roles the unit itself holds (e.g. "taskforce"), beyond its staff members' roles.
    package var roles: Set<String>
    /// The staff member the credential belongs to, for a staff credential (a person signed in as
    /// themselves); nil for a departmental system's credential, which names the acting staff
    /// member per call in the "staff" metadata and cannot carry a staff member's authority.
    package var staffID: String?

    /// The role of the citizen portal's credential (the app that shows citizens who obtained their
    /// data): it may call only the methods made for it and never acts as its unit.
    package static let citizenPortalRole = "citizen-portal"

    /// Whether this is the citizen portal's credential.
    package var isCitizenPortal: Bool { roles.contains(Self.citizenPortalRole) }

    package init(
        unitCode: String, unitName: String, credentialID: String, expiresAt: Int64 = 0, roles: Set<String> = [],
        staffID: String? = nil
    ) {
        self.staffID = staffID
        self.unitCode = unitCode
        self.unitName = unitName
        self.credentialID = credentialID
        self.expiresAt = expiresAt
        self.roles = roles
    }
}
