import ArgumentParser
import Logging
import NoProofServer
import NoProofWeb
import ServiceLifecycle
import NoProofProtocol

/// The supervision and queue web page of one noproofd (`--web-port`, `--web-host`; docs/WEB.md):
/// served from its own (loopback by default) port, reading through noproofd's plain RPC listener
/// as an ordinary client with each signed-in person's own credential.
struct DaemonWeb {
    let server: WebServer

    /// nil when `port` is nil or 0 (the page off). A host other than loopback needs `host` given,
    /// and is warned about: the page is plain HTTP.
    init?(port: Int?, host: String?, rpc: ServerConfiguration, plainListener: Bool, logger: Logger) throws {
        guard let port, port != 0 else { return nil }
        guard (1...65_535).contains(port) else { throw ValidationError("--web-port must be between 1 and 65535 (0: no web page)") }
        guard plainListener else {
            throw ValidationError("--web-port reads through the plain TCP listener; it cannot be used with --tls-only")
        }
        guard rpc.port != 0 else { throw ValidationError("--web-port needs a fixed --port (not 0) to read through") }
        let webHost = host ?? "127.0.0.1"
        if host != nil, !LoopbackHost.contains(webHost) {
            logger.warning(
                "the web page is served on a non-loopback address over plain HTTP: sign-in secrets and session cookies cross the network unencrypted; put a TLS proxy in front of it",
                metadata: [
                    "address": "\(webHost):\(port)"
                ])
        }
        // A listener on every address is reached on loopback.
        let rpcHost = ["0.0.0.0", "::", ""].contains(rpc.host) ? "127.0.0.1" : rpc.host
        var configuration = WebConfiguration(host: webHost, port: port, allowNonLoopback: host != nil, rpcHost: rpcHost, rpcPort: rpc.port)
        // An RPC connection idle past --idle-timeout is closed by the server: a session lasts no longer unused.
        let idleSeconds = Double(rpc.idleTimeout.nanoseconds) / 1_000_000_000
        configuration.sessionIdleLifetime = min(configuration.sessionIdleLifetime, max(1, idleSeconds - 1))
        do {
            server = try WebServer(configuration: configuration, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The web page as a service of noproofd's ServiceGroup (none when it is off).
    static func services(_ web: DaemonWeb?) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        web.map { [.init(service: $0.server)] } ?? []
    }
}
