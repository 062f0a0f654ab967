import ArgumentParser
import NoProofClient

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask whether the server (or one of its services) is serving. Needs no credential."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "A service name such as noproof.v1.Reflection; default: the whole server.")
    var service: String = ""

    struct Output: Encodable {
        var status: String
        var server: String
        var version: String
        var uptimeSeconds: UInt64
        var address: String
    }

    func run() async throws {
        let connection = self.connection
        let service = self.service
        let (answer, address) = try await connection.withClient(authenticate: false) { client in
            (try await client.health(service: service), try connection.clientConfiguration(authenticate: false))
        }
        let output = Output(
            status: answer.status.name, server: answer.serverName, version: answer.serverVersion,
            uptimeSeconds: answer.uptimeSeconds, address: "\(address.host):\(address.port)")
        if connection.json {
            try printJSON(output)
        } else {
            let what = service.isEmpty ? "" : " \(service)"
            print("\(output.status)\(what) — \(output.server) \(output.version) at \(output.address), up \(output.uptimeSeconds)s")
        }
        if answer.status != .serving { throw ExitCode(14) }
    }
}
