package import Foundation

/// Where the web page listens, the noproofd RPC port it reads through, and how long sessions last.
package struct WebConfiguration: Sendable {
    package var host: String = "127.0.0.1"
    /// 0 picks a free port (tests); see `WebServer.listeningAddress()`.
    package var port: Int
    /// True when the operator named the host (`--web-host`): then any address may be bound.
    package var allowNonLoopback: Bool = false
    /// noproofd's plain RPC listener, which the page calls as an ordinary client.
    package var rpcHost: String = "127.0.0.1"
    package var rpcPort: Int
    /// A session ends after this long unused, and at the latest `sessionMaxLifetime` after sign-in.
    package var sessionIdleLifetime: TimeInterval = 30 * 60
    package var sessionMaxLifetime: TimeInterval = 8 * 3600

    package init(host: String = "127.0.0.1", port: Int, allowNonLoopback: Bool = false, rpcHost: String = "127.0.0.1", rpcPort: Int) {
        self.host = host
        self.port = port
        self.allowNonLoopback = allowNonLoopback
        self.rpcHost = rpcHost
        self.rpcPort = rpcPort
    }

    package struct NotLoopback: Error, CustomStringConvertible {
        package var host: String
        package var description: String {
            "refusing to serve the web page on \(host), which is not a loopback address; name it with --web-host to do so (plain HTTP)"
        }
    }
}
