import ArgumentParser
import Foundation
import NoProofClient
import NoProofProtocol

/// Options every command that talks to the server shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server host (env NOPROOF_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Server port (env NOPROOF_PORT; default 7420).")
    var port: Int?

    @Option(help: "Unit credential as ID:SECRET (env NOPROOF_CREDENTIAL).")
    var credential: String?

    @Option(help: "Seconds to wait for an answer (default 10).")
    var timeout: Double = 10

    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false

    func clientConfiguration(authenticate: Bool) throws -> NoProofClient.Configuration {
        let environment = ProcessInfo.processInfo.environment
        let resolvedPort: Int
        if let port {
            resolvedPort = port
        } else if let text = environment["NOPROOF_PORT"] {
            guard let value = Int(text) else { throw ValidationError("NOPROOF_PORT is not a number: '\(text)'") }
            resolvedPort = value
        } else {
            resolvedPort = 7420
        }
        var configuration = NoProofClient.Configuration(host: host ?? environment["NOPROOF_HOST"] ?? "127.0.0.1", port: resolvedPort)
        configuration.defaultTimeout = .milliseconds(Int64(timeout * 1000))
        if authenticate, let text = credential ?? environment["NOPROOF_CREDENTIAL"] {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
                throw ValidationError("the credential must be ID:SECRET, e.g. demo-taskforce:demo-secret")
            }
            configuration.credential = (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return configuration
    }

    /// Connects, runs `body`, closes; turns failures into a readable message and the exit status.
    func withClient<R>(authenticate: Bool = true, _ body: (NoProofClient) async throws -> R) async throws -> R {
        do {
            let client = try await NoProofClient.connect(try clientConfiguration(authenticate: authenticate))
            do {
                let result = try await body(client)
                await client.close()
                return result
            } catch {
                await client.close()
                throw error
            }
        } catch let error as RPCError {
            var message = "error: \(error.code.name): \(error.message)"
            if error.code == .unauthenticated, credential == nil, ProcessInfo.processInfo.environment["NOPROOF_CREDENTIAL"] == nil {
                message += "\nhint: no credential given; pass --credential ID:SECRET or set NOPROOF_CREDENTIAL"
            } else if !error.code.advice.isEmpty {
                message += "\nhint: \(error.code.advice)"
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(Int32(error.code.rawValue == 0 ? 2 : error.code.rawValue))
        }
    }
}

/// Writes `value` as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
