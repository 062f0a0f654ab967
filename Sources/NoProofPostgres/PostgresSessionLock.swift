import Logging
import NIOConcurrencyHelpers
package import NIOCore
import NIOPosix
package import NoProofDomain
import NIOSSL
import PostgresNIO

/// A session-level advisory lock held on a PostgreSQL connection of its own (outside the pool, so
/// no other query ever runs on it): shared or exclusive, taken at once or refused
/// (`pg_try_advisory_lock[_shared]`), or waited for (`pg_advisory_lock`).
///
/// PostgreSQL releases the lock by itself when the holder's connection ends, so a killed process
/// (kill -9, a machine lost) never leaves it behind: that is what the schema's serving lock
/// (`PostgresSchemaLock`) and the deadline scheduler's lease (`PostgresLease`) are built on.
package final class PostgresSessionLock: Sendable {
    /// Many holders at once (`shared`), or one alone (`exclusive`, refused while anyone holds it
    /// shared or exclusive).
    package enum Mode: String, Sendable {
        case shared, exclusive
    }

    private let connection: PostgresConnection
    /// Set by `release()`: the connection's end is then no loss.
    private let released = NIOLockedValueBox(false)
    /// The text the lock's key is hashed from (`hashtext`).
    package let name: String
    package let mode: Mode
    /// The PostgreSQL backend process of the lock's connection (`pg_terminate_backend` ends it: tests).
    package let backendPID: Int32
    let logger: Logger

    private init(connection: PostgresConnection, name: String, mode: Mode, backendPID: Int32, logger: Logger) {
        self.connection = connection
        self.name = name
        self.mode = mode
        self.backendPID = backendPID
        self.logger = logger
    }

    /// Takes the lock `name` in `database` if no one holds it in a conflicting mode; nil when
    /// someone does. Throws `.unavailable` when PostgreSQL cannot be reached.
    /// - Parameter holder: who takes it (shown as the lock connection's `application_name`).
    package static func tryAcquire(
        _ database: PostgresStoreDatabase, name: String, mode: Mode, holder: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(NoProofError) -> PostgresSessionLock? {
        let function = mode == .shared ? "pg_try_advisory_lock_shared" : "pg_try_advisory_lock"
        return try await take(database, name: name, mode: mode, holder: holder, function: function, group: group)
    }

    /// Takes the lock `name` in `database`, waiting while someone holds it in a conflicting mode.
    package static func acquire(
        _ database: PostgresStoreDatabase, name: String, mode: Mode, holder: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(NoProofError) -> PostgresSessionLock {
        let function = mode == .shared ? "pg_advisory_lock_shared" : "pg_advisory_lock"
        guard let lock = try await take(database, name: name, mode: mode, holder: holder, function: function, group: group) else {
            throw NoProofError(.unavailable, "PostgreSQL did not grant the advisory lock \(name)")
        }
        return lock
    }

    private static func take(
        _ database: PostgresStoreDatabase, name: String, mode: Mode, holder: String, function: String,
        group: any EventLoopGroup
    ) async throws(NoProofError) -> PostgresSessionLock? {
        let url = database.url
        let tls: PostgresConnection.Configuration.TLS
        if url.tls == .require {
            do { tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration())) } catch {
                throw NoProofError(.unavailable, "cannot set up TLS for PostgreSQL: \(error)", cause: error)
            }
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: tls)
        configuration.options.additionalStartupParameters = [("application_name", holder)]
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(on: group.next(), configuration: configuration, id: 0, logger: database.logger)
        } catch {
            throw NoProofError(.unavailable, "cannot connect to PostgreSQL at \(url) to take the lock \(name): \(error)", cause: error)
        }
        var held: Bool?
        var pid: Int32 = 0
        do {
            // `function` is one of four constant names chosen above; the key's text is a parameter.
            let query = PostgresQuery(
                unsafeSQL: "SELECT \(function)(hashtext($1))::text, pg_backend_pid()",
                binds: {
                    var binds = PostgresBindings(); binds.append(name); return binds
                }())
            for try await (result, backend) in try await connection.query(query, logger: database.logger).decode((String, Int32).self) {
                // pg_advisory_lock returns void (text ''); the try functions a boolean.
                held = result == "" || result == "true"
                pid = backend
            }
        } catch {
            try? await connection.close()
            throw PostgresStoreDatabase.storeError(error)
        }
        guard held == true else {
            try? await connection.close()
            return nil
        }
        database.logger.debug("postgres advisory lock taken", metadata: ["lock": "\(name)", "mode": "\(mode.rawValue)"])
        return PostgresSessionLock(connection: connection, name: name, mode: mode, backendPID: pid, logger: database.logger)
    }

    /// Calls `body` once if the lock's connection ends before `release()` (PostgreSQL restarted,
    /// the network failed, the backend was terminated): the lock is lost then.
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
        let unlock = mode == .shared ? "pg_advisory_unlock_shared" : "pg_advisory_unlock"
        var binds = PostgresBindings()
        binds.append(name)
        _ = try? await connection.query(PostgresQuery(unsafeSQL: "SELECT \(unlock)(hashtext($1))", binds: binds), logger: logger)
        try? await connection.close()
    }
}
