import NoProofDomain
import NoProofProtocol
import NoProofServer
import NoProofUnits

/// What `noproofd --demo` sets up. The demo credentials are published in the README, which is
/// why demo mode listens on loopback only.
enum DemoSetup {
    static let secret = "demo-secret"

    /// One published credential per demo unit: "demo-taskforce", "demo-water", ...
    static let credentials: [StaticCredentialAuthenticator.Credential] = [
        ("demo-taskforce", UnitDemoData.taskForce), ("demo-civil-affairs", UnitDemoData.civilAffairs),
        ("demo-real-estate", UnitDemoData.realEstate), ("demo-water", UnitDemoData.water),
        ("demo-bank", UnitDemoData.bank), ("demo-hospital", UnitDemoData.hospital),
        ("demo-university", UnitDemoData.university), ("demo-public-security", UnitDemoData.publicSecurity),
    ].map { id, unit in
        StaticCredentialAuthenticator.Credential(
            id: id, secret: secret,
            unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: id,
                                    roles: unit.isTaskForceOffice ? ["taskforce"] : [])
        )
    } + [
        // The citizen portal (the app showing citizens who obtained their data), run for the task
        // force office: it may call only /noproof.v1.Supervision/WhoLooked and never acts as the office.
        StaticCredentialAuthenticator.Credential(
            id: "demo-citizen-portal", secret: secret,
            unit: AuthenticatedUnit(unitCode: UnitDemoData.taskForce.code.value, unitName: "“无证明城市”市民端（演示）",
                                    credentialID: "demo-citizen-portal", roles: [AuthenticatedUnit.citizenPortalRole])
        ),
    ]

    /// A few demo holders to try lookups with (the generator is deterministic).
    static func examples(licences: Int) -> [DemoHolder] {
        let generator = DemoDataGenerator(licenceCount: licences)
        return (0..<min(10, generator.holderCount)).map { generator.holder(at: $0) }
    }
}
