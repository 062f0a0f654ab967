import Foundation

/// The config file of noproofd (JSON). Every key is optional; command-line flags win.
///
///     {
///       "host": "127.0.0.1", "port": 7420, "dataDir": "data", "logLevel": "info",
///       "maxFrameSize": 4194304, "maxConcurrentCallsPerConnection": 1024,
///       "idleTimeoutSeconds": 300, "shutdownGraceSeconds": 10,
///       "maxLookupsPerCase": 20, "maxLookupsPerStaffPerMinute": 60,
///       "tlsCert": "server.pem", "tlsKey": "server.key", "tlsClientCA": "ca.pem", "tlsPort": 7443, "tlsOnly": false,
///       "handshakeTimeoutSeconds": 10, "frameTimeoutSeconds": 30, "maxPendingAnswerBytes": 8388608,
///       "maxCallsInProgress": 16384, "maxAuditQueueDepth": 1024, "maxAuditQueueAgeMillis": 250,
///       "maxConnections": 65000, "maxConnectionsPerSource": 1024, "authenticationTimeoutSeconds": 10,
///       "maxUnauthenticatedFrameSize": 65536, "memoryQuotaBytes": 268435456, "maxMetadataBytes": 8192,
///       "authFailuresBeforeBackoff": 5, "authMaxBackoffSeconds": 60,
///       "maxConcurrentCredentialChecks": 2, "maxQueuedCredentialChecks": 32,
///       "credentials": [{"id": "...", "secret": "...", "unitCode": "...", "unitName": "...",
///                        "roles": ["citizen-portal"]}]
///     }
struct DaemonConfiguration: Codable {
    struct Credential: Codable {
        var id: String
        var secret: String
        var unitCode: String
        var unitName: String
        /// Roles of the credential, e.g. ["citizen-portal"] for the citizen portal's app.
        var roles: [String]?
    }

    var host: String?
    var port: Int?
    var dataDir: String?
    var logLevel: String?
    var maxFrameSize: Int?
    var maxConcurrentCallsPerConnection: Int?
    var idleTimeoutSeconds: Int?
    var shutdownGraceSeconds: Int?
    var credentials: [Credential]?
    var demoLicences: Int?
    var cacheLicences: Int?
    /// Anti-harvesting limits (defaults 20 and 60).
    var maxLookupsPerCase: Int?
    var maxLookupsPerStaffPerMinute: Int?
    /// TLS listener (see `noproofd --help`): PEM files, its port, and whether plain TCP is off.
    var tlsCert: String?
    var tlsKey: String?
    var tlsClientCA: String?
    var tlsPort: Int?
    var tlsOnly: Bool?
    /// Overload and hostile peers (see ReliabilityOptions for the defaults).
    var handshakeTimeoutSeconds: Int?
    var frameTimeoutSeconds: Int?
    var maxPendingAnswerBytes: Int?
    var maxCallsInProgress: Int?
    var maxAuditQueueDepth: Int?
    var maxAuditQueueAgeMillis: Int?
    /// Connection hygiene (see ReliabilityOptions for the defaults).
    var maxConnections: Int?
    var maxConnectionsPerSource: Int?
    var authenticationTimeoutSeconds: Int?
    var maxUnauthenticatedFrameSize: Int?
    var memoryQuotaBytes: Int?
    var maxMetadataBytes: Int?
    var authFailuresBeforeBackoff: Int?
    var authMaxBackoffSeconds: Int?
    var maxConcurrentCredentialChecks: Int?
    var maxQueuedCredentialChecks: Int?

    static func load(path: String) throws -> DaemonConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read config file \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigurationError("config file \(path) is not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConfigurationError("config file \(path): key '\(key)': \(context.debugDescription)")
        } catch {
            throw ConfigurationError("config file \(path): \(error)")
        }
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
