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
}
