import Logging
import Testing
@testable import NoProofWeb
import NoProofProtocol

@Suite("Web configuration")
struct WebConfigurationTests {
    @Test func anotherAddressThanLoopbackMustBeAskedForExplicitly() throws {
        var quiet = Logger(label: "web-test")
        quiet.logLevel = .critical
        #expect(throws: WebConfiguration.NotLoopback.self) {
            _ = try WebServer(configuration: .init(host: "10.0.0.5", port: 0, rpcPort: 7420), logger: quiet)
        }
        _ = try WebServer(configuration: .init(host: "10.0.0.5", port: 0, allowNonLoopback: true, rpcPort: 7420), logger: quiet)
        _ = try WebServer(configuration: .init(host: "127.0.0.1", port: 0, rpcPort: 7420), logger: quiet)
        #expect(LoopbackHost.contains("::1") && LoopbackHost.contains("127.1.2.3") && !LoopbackHost.contains("0.0.0.0"))
    }
}
