import ArgumentParser
import NoProofClient

struct MethodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "List the server's methods with their numeric ids and access rules."
    )

    @OptionGroup var connection: ConnectionOptions

    struct Output: Encodable {
        var id: UInt32
        var path: String
        var kind: String
        var requestType: String
        var responseType: String
        var requiresAuthentication: Bool
        var requiredRole: String
        var summary: String
    }

    func run() async throws {
        let listing = try await connection.withClient { client in try await client.listMethods() }
        let rows = listing.methods.map {
            Output(
                id: $0.id, path: $0.path, kind: $0.kind == .unary ? "unary" : "server-streaming",
                requestType: $0.requestType, responseType: $0.responseType,
                requiresAuthentication: $0.requiresAuthentication, requiredRole: $0.requiredRole, summary: $0.summary)
        }
        if connection.json {
            try printJSON(rows)
            return
        }
        let pathWidth = max(4, rows.map(\.path.count).max() ?? 0)
        let authWidth = max(6, rows.map { $0.requiredRole.count + 2 }.max() ?? 0)
        print(
            "ID".padding(toLength: 5, withPad: " ", startingAt: 0) + "PATH".padding(toLength: pathWidth + 2, withPad: " ", startingAt: 0)
                + "KIND              " + "AUTH".padding(toLength: authWidth, withPad: " ", startingAt: 0) + "SUMMARY")
        for row in rows {
            let id = String(row.id).padding(toLength: 5, withPad: " ", startingAt: 0)
            let path = row.path.padding(toLength: pathWidth + 2, withPad: " ", startingAt: 0)
            let kind = row.kind.padding(toLength: 18, withPad: " ", startingAt: 0)
            let auth = (row.requiresAuthentication ? (row.requiredRole.isEmpty ? "yes" : row.requiredRole) : "no")
                .padding(toLength: authWidth, withPad: " ", startingAt: 0)
            print(id + path + kind + auth + row.summary)
        }
    }
}
