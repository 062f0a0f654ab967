import ArgumentParser

/// Where noproofd keeps its records (`--database`, or `"database"` in the config file): the
/// data folder's SQLite files, the embedded default, or a PostgreSQL database
/// (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require][&schema=NAME]`).
/// The audit trail and the seal keys stay in the data folder either way (docs/DEPLOYMENT.md).
enum DaemonDatabase: Equatable, CustomStringConvertible {
    case embedded
    case postgres(url: String)

    /// `nil`, empty or `sqlite`: the embedded default.
    init(parsing text: String?) throws(ValidationError) {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text != "sqlite" else {
            self = .embedded
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
            throw ValidationError(
                "--database takes sqlite (the data folder, the default) or a PostgreSQL URL "
                    + "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE; got '\(text)'")
        }
        self = .postgres(url: text)
    }

    var description: String {
        switch self {
        case .embedded: "sqlite (the data folder)"
        case .postgres: "postgresql"
        }
    }
}
