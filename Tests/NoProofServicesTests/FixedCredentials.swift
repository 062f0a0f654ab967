import NoProofProtocol
import NoProofServer
import NoProofUnits

/// The fixed test credentials (secret "secret") of demo units: for each `(id, unit)`, the unit's
/// system credential `id` and one staff credential `id/STAFF-ID` per staff member of the unit,
/// signed in as that person (docs/SECURITY.md, "Staff identity").
enum FixedCredentials {
    static func make(_ units: [(String, ServiceUnit)]) -> [StaticCredentialAuthenticator.Credential] {
        var all: [StaticCredentialAuthenticator.Credential] = []
        for (id, unit) in units {
            let roles: Set<String> = unit.isTaskForceOffice ? ["taskforce"] : []
            all.append(
                .init(
                    id: id, secret: "secret",
                    unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: id, roles: roles)))
            for member in UnitDemoData.staff(of: unit.code) {
                let staffID = "\(id)/\(member.id)"
                all.append(
                    .init(
                        id: staffID, secret: "secret",
                        unit: AuthenticatedUnit(
                            unitCode: unit.code.value, unitName: unit.name, credentialID: staffID, roles: roles, staffID: member.id)))
            }
        }
        return all
    }
}
