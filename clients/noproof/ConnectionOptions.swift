import ArgumentParser
import Foundation
import NoProofClient
import NoProofProtocol

/// Options every command that talks to the server shares.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server host (env NOPROOF_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Server port (env NOPROOF_PORT; default 7420, or 7443 with --tls-ca).")
    var port: Int?

    @Option(name: .customLong("tls-ca"), help: "Connect with TLS, trusting the server certificate this PEM CA signed (env NOPROOF_TLS_CA).")
    var tlsCA: String?

    @Option(name: .customLong("tls-cert"), help: "Mutual TLS: the unit's PEM client certificate; it authenticates the connection (env NOPROOF_TLS_CERT).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert (env NOPROOF_TLS_KEY).")
    var tlsKey: String?

    @Option(name: .customLong("tls-server-name"), help: "Name the server's certificate must carry (env NOPROOF_TLS_SERVER_NAME; default: the host).")
    var tlsServerName: String?

    @Option(help: "Unit credential as ID:SECRET (env NOPROOF_CREDENTIAL).")
    var credential: String?

    @Option(help: "Seconds to wait for an answer (default 10).")
    var timeout: Double = 10

    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false

    func clientConfiguration(authenticate: Bool) throws -> NoProofClient.Configuration {
        let environment = ProcessInfo.processInfo.environment
        // An empty variable counts as unset (NOPROOF_TLS_CA= noproof ... talks plain TCP).
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let caFile = tlsCA ?? variable("NOPROOF_TLS_CA")
        let certFile = tlsCert ?? variable("NOPROOF_TLS_CERT"), keyFile = tlsKey ?? variable("NOPROOF_TLS_KEY")
        if caFile == nil, certFile != nil || keyFile != nil {
            throw ValidationError("--tls-cert and --tls-key need --tls-ca (the CA that signed the server's certificate)")
        }
        let resolvedPort: Int
        if let port {
            resolvedPort = port
        } else if let text = environment["NOPROOF_PORT"] {
            guard let value = Int(text) else { throw ValidationError("NOPROOF_PORT is not a number: '\(text)'") }
            resolvedPort = value
        } else {
            resolvedPort = caFile == nil ? 7420 : 7443
        }
        var configuration = NoProofClient.Configuration(host: host ?? environment["NOPROOF_HOST"] ?? "127.0.0.1", port: resolvedPort)
        configuration.defaultTimeout = .milliseconds(Int64(timeout * 1000))
        if let caFile {
            do {
                configuration.tls = try ClientTLSConfiguration.load(
                    caFile: caFile, certificateFile: certFile, keyFile: keyFile,
                    serverName: tlsServerName ?? variable("NOPROOF_TLS_SERVER_NAME")
                )
            } catch {
                throw ValidationError("\(error)")
            }
        }
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
            throw report(error)
        }
    }

    /// Follows a server stream until it ends (`endsOnItsOwn`: `follow` ends when the request is
    /// finished) or the user interrupts it (Ctrl-C): no deadline applies, and when the connection
    /// is lost (UNAVAILABLE: the server restarting, GOAWAY, the network) it reconnects after a
    /// pause (1 s, doubling to 30 s) and opens the stream again. `open` is given the attempt
    /// number (0 first). Any other failure ends the command with its status.
    func followStream<Event>(
        endsOnItsOwn: Bool, _ open: @escaping (NoProofClient, Int) -> AsyncThrowingStream<Event, Error>,
        each: (Event) throws -> Void
    ) async throws {
        var attempt = 0
        var pause = 1.0
        var connectedOnce = false
        while true {
            let reason: String
            do {
                let client = try await NoProofClient.connect(try clientConfiguration(authenticate: true))
                connectedOnce = true
                do {
                    for try await event in open(client, attempt) {
                        pause = 1
                        try each(event)
                    }
                    await client.close()
                } catch {
                    await client.close()
                    throw error
                }
                if endsOnItsOwn { return }
                reason = "the server ended the stream"
            } catch let error as RPCError where error.code == .unavailable && connectedOnce && !error.message.contains("TLS handshake") {
                reason = "\(error.code.name): \(error.message)"
            } catch let error as RPCError {
                throw report(error)
            }
            FileHandle.standardError.write(Data("connection lost (\(reason)); reconnecting in \(Int(pause)) s\n".utf8))
            try await Task.sleep(for: .seconds(pause))
            pause = min(pause * 2, 30)
            attempt += 1
        }
    }

    /// Prints `error` readably on standard error (with a hint) and returns the exit status.
    func report(_ error: RPCError) -> ExitCode {
        var message = "error: \(error.code.name): \(error.message)"
        let environment = ProcessInfo.processInfo.environment
        if error.code == .unauthenticated, credential == nil, environment["NOPROOF_CREDENTIAL"] == nil,
            tlsCert == nil, (environment["NOPROOF_TLS_CERT"] ?? "").isEmpty
        {
            message +=
                "\nhint: no credential given; pass --credential ID:SECRET or set NOPROOF_CREDENTIAL (or connect with a registered client certificate: --tls-cert, --tls-key)"
        } else if error.code == .unavailable, error.message.contains("TLS handshake") {
            message +=
                "\nhint: check --tls-ca (the CA that signed the server's certificate) and --tls-server-name; "
                + "with mutual TLS the server also needs a client certificate from the CA it trusts (--tls-cert, --tls-key)"
        } else if error.code == .unauthenticated, tlsCert != nil || !(environment["NOPROOF_TLS_CERT"] ?? "").isEmpty {
            message +=
                "\nhint: the client certificate must be registered on a valid credential of the unit (noproof credential issue UNIT --cert FILE, by the task force office)"
        } else if !error.code.advice.isEmpty {
            message += "\nhint: \(error.code.advice)"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(Int32(error.code.rawValue == 0 ? 2 : error.code.rawValue))
    }
}

/// Writes `value` as pretty JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
