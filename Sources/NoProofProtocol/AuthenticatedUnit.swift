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

    /// The role of the citizen portal's credential (the app that shows citizens who obtained their
    /// data): it may call only the methods made for it and never acts as its unit.
    package static let citizenPortalRole = "citizen-portal"

    /// Whether this is the citizen portal's credential.
    package var isCitizenPortal: Bool { roles.contains(Self.citizenPortalRole) }

    package init(unitCode: String, unitName: String, credentialID: String, expiresAt: Int64 = 0, roles: Set<String> = []) {
        self.unitCode = unitCode
        self.unitName = unitName
        self.credentialID = credentialID
        self.expiresAt = expiresAt
        self.roles = roles
    }
}
