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

    package init(unitCode: String, unitName: String, credentialID: String, expiresAt: Int64 = 0, roles: Set<String> = []) {
        self.unitCode = unitCode
        self.unitName = unitName
        self.credentialID = credentialID
        self.expiresAt = expiresAt
        self.roles = roles
    }
}
