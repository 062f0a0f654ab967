package import NoProofDomain
import Logging

/// The advisory locks that order noproofd processes on one store schema (issue 18), each a
/// `PostgresSessionLock` on a connection of its own, released by PostgreSQL when its holder dies:
/// - **serving**: every serving noproofd holds it *shared*, for as long as it serves (any number
///   of instances together); an offline `noproofd import` takes it *exclusive*, so the import is
///   refused while any instance serves, and an instance is refused while an import runs;
/// - **start-up**: held *exclusive* (waited for) while an instance seeds the schema at start (the
///   starter catalogue, the `--demo` data, credentials named at start): two instances starting at
///   once seed one after the other, the second finding the first's rows instead of racing it.
package enum PostgresSchemaLock {
    /// The text the serving lock's key is hashed from (unchanged since one instance per database,
    /// so an older noproofd and a newer import still exclude each other).
    static func servingName(_ schema: String) -> String { "noproof.instance." + schema }

    static func startupName(_ schema: String) -> String { "noproof.startup." + schema }

    /// The serving lock, shared, for a noproofd instance; `.conflict` while an offline import holds
    /// it (and `.unavailable` when PostgreSQL cannot be reached).
    package static func serving(_ database: PostgresStoreDatabase, holder: String = "noproofd") async throws(NoProofError) -> PostgresSessionLock {
        let lock = try await PostgresSessionLock.tryAcquire(
            database, name: servingName(database.schema), mode: .shared, holder: "\(holder) serving lock")
        guard let lock else {
            throw NoProofError(
                .conflict,
                "an offline noproofd import is loading the PostgreSQL database \(database.url) (schema \(database.schema)): "
                    + "it holds the schema's serving lock exclusively. Start noproofd again when the import has finished")
        }
        return lock
    }

    /// The serving lock, exclusive, for an offline job (`noproofd import`); `.conflict` while any
    /// noproofd serves the schema (or another offline job runs).
    package static func offline(_ database: PostgresStoreDatabase, holder: String) async throws(NoProofError) -> PostgresSessionLock {
        let lock = try await PostgresSessionLock.tryAcquire(
            database, name: servingName(database.schema), mode: .exclusive, holder: "\(holder) (offline, exclusive)")
        guard let lock else {
            throw NoProofError(
                .conflict,
                "noproofd is serving the PostgreSQL database \(database.url) (schema \(database.schema)), or another offline job "
                    + "is running on it: \(holder) runs offline, with every instance stopped. Stop the instances first "
                    + "(or load through a running instance)")
        }
        return lock
    }

    /// The start-up lock, exclusive, waited for; release it when the start-up's seeding is done.
    package static func startup(_ database: PostgresStoreDatabase, holder: String = "noproofd") async throws(NoProofError) -> PostgresSessionLock {
        let name = startupName(database.schema)
        if let lock = try await PostgresSessionLock.tryAcquire(database, name: name, mode: .exclusive, holder: "\(holder) start-up") {
            return lock
        }
        database.logger.info("another noproofd is starting on the schema: waiting for its start-up to finish", metadata: ["schema": "\(database.schema)"])
        return try await PostgresSessionLock.acquire(database, name: name, mode: .exclusive, holder: "\(holder) start-up")
    }
}
