import NoProofDomain
import NoProofProtocol
import NoProofServer

/// What `noproofd --demo` sets up. The credential is published in the README, which is why
/// demo mode listens on loopback only.
enum DemoSetup {
    static let credential = StaticCredentialAuthenticator.Credential(
        id: "demo-taskforce",
        secret: "demo-secret",
        unit: AuthenticatedUnit(
            unitCode: "11370400MB0000001R",
            unitName: "枣庄市“无证明城市”建设工作专班办公室 (demo)",
            credentialID: "demo-taskforce",
            roles: ["taskforce"]
        )
    )

    /// A few demo holders to try lookups with (the generator is deterministic).
    static func examples(licences: Int) -> [DemoHolder] {
        let generator = DemoDataGenerator(licenceCount: licences)
        return (0..<min(10, generator.holderCount)).map { generator.holder(at: $0) }
    }
}
