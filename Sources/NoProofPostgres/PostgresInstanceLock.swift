import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NoProofDomain
import NIOSSL
import PostgresNIO

/// The PostgreSQL counterpart of the data-folder lock: a session-level advisory lock on the
/// store schema, held on a connection of its own (outside the pool, so no other query ever runs
/// on it) for as long as noproofd serves.
///
/// Until the cluster features of issue 18 land (cache invalidation across instances, one deadline
/// scheduler, limits counted cluster-wide, one audit sequence), a second noproofd on the same
/// database would serve from a cache that does not see the first one's revocations: it is refused
/// at start, with a message saying so. PostgreSQL releases the lock by itself when the holder's
/// connection ends, so a killed instance never leaves it behind.
package final class PostgresInstanceLock: Sendable {
    private let connection: PostgresConnection
    /// Set by `release()`: the connection's end is then no loss.
    private let released = NIOLockedValueBox(false)
    /// The schema whose lock is held.
    package let schema: String
    let logger: Logger

    private init(connection: PostgresConnection, schema: String, logger: Logger) {
        self.connection = connection
        self.schema = schema
        self.logger = logger
    }

    /// Takes the lock of `database`'s schema, or throws `.conflict` when another process holds it
    /// (and `.unavailable` when PostgreSQL cannot be reached).
    /// - Parameter holder: who takes it (shown as the lock connection's `application_name`).
    package static func acquire(
        _ database: PostgresStoreDatabase, holder: String = "noproofd",
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(NoProofError) -> PostgresInstanceLock {
        let url = database.url
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: url.tls == .require ? .require(try tlsContext()) : .disable)
        configuration.options.additionalStartupParameters = [("application_name", "\(holder) instance lock")]
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(on: group.next(), configuration: configuration, id: 0, logger: database.logger)
        } catch {
            throw NoProofError(.unavailable, "cannot connect to PostgreSQL at \(url) to take the instance lock: \(error)", cause: error)
        }
        let held: Bool
        do {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(hashtext(\(lockName(database.schema))))", logger: database.logger)
            var result: Bool?
            for try await row in rows { result = try row.decode(Bool.self) }
            held = result ?? false
        } catch {
            try? await connection.close()
            throw PostgresStoreDatabase.storeError(error)
        }
        guard held else {
            try? await connection.close()
            throw NoProofError(
                .conflict,
                "another noproofd is serving the PostgreSQL database \(url) (schema \(database.schema)): it holds the instance lock. "
                    + "One instance per database until several instances are supported (issue 18): stop the other one first, "
                    + "or give this one a schema of its own (?schema=NAME in the URL)")
        }
        database.logger.debug("postgres instance lock taken", metadata: ["schema": "\(database.schema)"])
        return PostgresInstanceLock(connection: connection, schema: database.schema, logger: database.logger)
    }

    /// The text the lock key is hashed from.
    static func lockName(_ schema: String) -> String { "noproof.instance." + schema }

    private static func tlsContext() throws(NoProofError) -> NIOSSLContext {
        do { return try NIOSSLContext(configuration: .makeClientConfiguration()) } catch {
            throw NoProofError(.unavailable, "cannot set up TLS for PostgreSQL: \(error)", cause: error)
        }
    }

    /// Calls `body` once if the lock's connection ends before `release()` (PostgreSQL restarted,
    /// the network failed): the lock is lost then, and the instance must stop serving.
    package func onLoss(_ body: @escaping @Sendable () -> Void) {
        let released = self.released
        connection.closeFuture.whenComplete { _ in
            if !released.withLockedValue({ $0 }) { body() }
        }
    }

    /// Whether the lock's connection is still open.
    package var isHeld: Bool { !connection.isClosed }

    /// Releases the lock (closing its connection releases it too).
    package func release() async {
        released.withLockedValue { $0 = true }
        _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(Self.lockName(schema))))", logger: logger)
        try? await connection.close()
    }
}
