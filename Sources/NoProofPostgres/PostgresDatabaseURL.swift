import Foundation
package import NoProofDomain

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require][&schema=NAME]`
/// (`postgresql://` too). The password and user may be percent-encoded; the port defaults to 5432
/// and `sslmode` to `disable` (a loopback or private-network server; `require` for anything else);
/// `schema` names the schema holding NoProof's tables (default: the caller's, `noproof` for noproofd).
package struct PostgresDatabaseURL: Equatable, Sendable, CustomStringConvertible {
    /// Whether the connection is encrypted.
    package enum TLSMode: String, Equatable, Sendable {
        case disable, require
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    package var tls: TLSMode
    /// The schema named by `?schema=`, or nil.
    package var schema: String?

    /// Parses `text`.
    /// - Throws: `ValidationError` on field `database` naming what is wrong.
    package init(parsing text: String) throws(ValidationError) {
        func invalid(_ reason: String) -> ValidationError { ValidationError(field: "database", reason: reason) }
        guard let components = URLComponents(string: text) else { throw invalid("not a URL: expected postgres://USER@HOST:PORT/DATABASE") }
        guard components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw invalid("the URL scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw invalid("the URL names no user (postgres://USER@HOST/DATABASE)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw invalid("the URL names no database (postgres://USER@HOST/DATABASE)") }
        if let port = components.port, !(1...65_535).contains(port) { throw invalid("port \(port) is out of range") }
        var tls = TLSMode.disable
        var schema: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw invalid("sslmode must be disable or require")
                }
                tls = mode
            case "schema":
                guard let value = item.value, !value.isEmpty else { throw invalid("schema needs a name (?schema=NAME)") }
                schema = value
            default:
                throw invalid("unknown URL parameter \(item.name) (only sslmode and schema are understood)")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
        self.schema = schema
    }

    /// The URL without its password (for logs and messages).
    package var description: String {
        let parameters = (tls == .disable ? [] : ["sslmode=\(tls.rawValue)"]) + (schema.map { ["schema=\($0)"] } ?? [])
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
            + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
    }
}
