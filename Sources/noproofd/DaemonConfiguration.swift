import Foundation

/// The config file of noproofd (JSON). Every key is optional; command-line flags win.
///
///     {
///       "host": "127.0.0.1", "port": 7420, "dataDir": "data", "database": "sqlite", "logLevel": "info", "logFormat": "text",
///       "metricsPort": 9420, "metricsHost": "127.0.0.1", "webPort": 7480, "webHost": "127.0.0.1",
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
///       "credentials": [{"id": "...", "secretHash": "pbkdf2-sha256$...", "unitCode": "...",
///                        "staffId": "agent-0001", "roles": ["citizen-portal"], "expiresAt": "2027-06-30"}]
///     }
///
/// Credentials in the file are stored in the unit store at start (`CredentialProvisioning`):
/// hashed, bound to their registered unit and its real role, listed, expiring and revocable.
/// The file must then be owner-only (chmod 600).
struct DaemonConfiguration: Codable {
    struct Credential: Codable {
        var id: String
        /// The secret (at least 12 characters), or instead `secretHash`: the stored form
        /// `pbkdf2-sha256$ROUNDS$SALT$DIGEST`, so the file need not hold the secret itself.
        var secret: String?
        var secretHash: String?
        var unitCode: String
        /// Ignored (the registered unit's name is used); accepted for older files.
        var unitName: String?
        /// Only ["citizen-portal"] (the citizen portal's app); other roles come from the unit.
        var roles: [String]?
        /// A staff credential: the registered staff member of the unit it belongs to.
        var staffId: String?
        /// A date (2027-06-30) or ISO 8601 time; default one year after it is first stored.
        var expiresAt: String?
        var label: String?
    }

    var host: String?
    var port: Int?
    var dataDir: String?
    /// `--database`: sqlite (the default) or a PostgreSQL URL.
    var database: String?
    var logLevel: String?
    /// text or json (`--log-format`).
    var logFormat: String?
    /// Prometheus metrics endpoint (`--metrics-port`, `--metrics-host`); port 0 or absent: off.
    var metricsPort: Int?
    var metricsHost: String?
    /// The supervision and queue web page (`--web-port`, `--web-host`; docs/WEB.md); port 0 or absent: off.
    var webPort: Int?
    var webHost: String?
    var maxFrameSize: Int?
    var maxConcurrentCallsPerConnection: Int?
    var idleTimeoutSeconds: Int?
    var shutdownGraceSeconds: Int?
    var credentials: [Credential]?
    var demoLicences: Int?
    var cacheLicences: Int?
    /// Append-only files outside the data folder keeping the audit log's signed heads.
    var auditWitnesses: [String]?
    /// Anti-harvesting limits (defaults 20 and 60).
    var maxLookupsPerCase: Int?
    var maxLookupsPerStaffPerMinute: Int?
    var maxLookupsPerStaffPerDay: Int?
    var maxNewCasesPerStaffPerDay: Int?
    var maxLookupsPerCredentialPerMinute: Int?
    var maxLookupsPerCredentialPerDay: Int?
    var maxLookupsPerUnitPerMinute: Int?
    var maxLookupsPerUnitPerDay: Int?
    /// Harvesting signals (`HarvestDetector.Rules`): per staff member within the window.
    var harvestWindowSeconds: Int?
    var harvestNewCases: Int?
    var harvestDistinctHolders: Int?
    var harvestMisses: Int?
    /// On PostgreSQL: how often each instance exchanges its rate counts with the others and looks
    /// for sessions to end (revocations, deactivations made through any instance); default 1000.
    var clusterSyncMillis: Int?
    /// Supervision flag thresholds (`SupervisionThresholds`): flag code → count, and the periods of the list rules.
    var flagThresholds: [String: UInt64]?
    var staleListDays: Int?
    var systemUnusedMinimumDays: Int?
    /// Office hours of working days during which the Art. 10 clocks run, China Standard Time
    /// (default "08:30-12:00,13:30-17:30"; "always" for the wall clock). docs/CALENDAR.md.
    var officeHours: String?
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
