import Foundation
import Logging
import NoProofDomain
import NoProofLicenceStore
import NoProofMigration
import NoProofOversight
import NoProofOversightStore
import NoProofPostgres
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore
import Synchronization

/// The record stores noproofd serves from, on the backend `--database` chose: behind their
/// protocols, so nothing past start-up knows which. On PostgreSQL the schema's serving lock is
/// held (shared with the other instances) from here until `close()`, and the start-up lock (this
/// instance alone) until `startupDone()`.
struct DaemonStores {
    let licences: any LicenceStore
    let units: any UnitStore
    let verification: any VerificationStore
    let oversight: any OversightStore
    /// The PostgreSQL database and this instance's share of the serving lock, when `--database` names one.
    let postgres: (database: PostgresStoreDatabase, lock: PostgresSessionLock)?
    /// On PostgreSQL, what several instances share beyond the stores: the rate counts and the
    /// feed of changes that end sessions (issue 18).
    let cluster: (rateCounts: PostgresRateCounts, sessionFeed: PostgresSessionFeed)?
    /// On PostgreSQL, the start-up lock: held while this instance seeds the schema (starter
    /// catalogue, `--demo` data, credentials named at start), so that instances starting together
    /// seed one after the other; released by `startupDone()` (or `close()`).
    private let startup: StartupLock
    private let closeEmbedded: @Sendable () -> Void

    static func open(_ database: DaemonDatabase, dataDirectory: URL, logger: Logger) async throws -> DaemonStores {
        switch database {
        case .embedded:
            return try openEmbedded(dataDirectory)
        case .postgres(let url):
            return try await openPostgres(url: url, dataDirectory: dataDirectory, logger: logger)
        }
    }

    /// Every store in the data folder (licences.sqlite, units.sqlite, verification.sqlite, oversight.sqlite).
    static func openEmbedded(_ directory: URL) throws -> DaemonStores {
        let licences: SQLiteLicenceStore
        do {
            licences = try SQLiteLicenceStore(directory: directory)
        } catch {
            throw ConfigurationError("cannot open the licence library in \(directory.path): \(error)")
        }
        let (units, verification, oversight) = try openEmbeddedRecords(directory)
        return DaemonStores(
            licences: licences, units: units, verification: verification, oversight: oversight, postgres: nil, cluster: nil, startup: StartupLock(nil),
            closeEmbedded: {
                try? licences.close()
                try? units.close()
                try? verification.close()
                try? oversight.close()
            })
    }

    /// The unit registry, verification requests and oversight records in the data folder.
    private static func openEmbeddedRecords(_ directory: URL) throws -> (SQLiteUnitStore, SQLiteVerificationStore, SQLiteOversightStore) {
        let units: SQLiteUnitStore
        do {
            units = try SQLiteUnitStore(directory: directory)
        } catch {
            throw ConfigurationError("cannot open the unit registry in \(directory.path): \(error)")
        }
        let verification: SQLiteVerificationStore
        do {
            verification = try SQLiteVerificationStore(directory: directory)
        } catch {
            try? units.close()
            throw ConfigurationError("cannot open the verification requests in \(directory.path): \(error)")
        }
        let oversight: SQLiteOversightStore
        do {
            oversight = try SQLiteOversightStore(directory: directory)
        } catch {
            try? units.close()
            try? verification.close()
            throw ConfigurationError("cannot open the oversight records in \(directory.path): \(error)")
        }
        return (units, verification, oversight)
    }

    /// Every record store in PostgreSQL; the serving lock first (shared: refused only while an
    /// offline import holds it), then the start-up lock (waited for while another instance starts).
    static func openPostgres(url: String, dataDirectory: URL, logger: Logger) async throws -> DaemonStores {
        let database: PostgresStoreDatabase
        do {
            database = try PostgresStoreDatabase.connect(url: url, logger: logger)
        } catch {
            throw ConfigurationError("--database: \(error.message)")
        }
        let lock: PostgresSessionLock
        do {
            lock = try await PostgresSchemaLock.serving(database)
        } catch {
            await database.shutdown()
            throw ConfigurationError("refusing to start: \(error.message)")
        }
        let startup: PostgresSessionLock
        do {
            startup = try await PostgresSchemaLock.startup(database)
        } catch {
            await lock.release()
            await database.shutdown()
            throw ConfigurationError("cannot take the start-up lock in PostgreSQL: \(error.message)")
        }
        let place = "PostgreSQL (\(database.url), schema \(database.schema))"
        do {
            // A schema an interrupted or failed `noproofd migrate` left holds a partial copy.
            do { try await MigrationMarker.refuseIfPartial(database) } catch { throw ConfigurationError("refusing to start: \(error.message)") }
            let licences: PostgresLicenceStore
            do { licences = try await PostgresLicenceStore.open(database) } catch {
                throw ConfigurationError("cannot open the licence library in \(place): \(error.message)")
            }
            let units: PostgresUnitStore
            do { units = try await PostgresUnitStore.open(database) } catch {
                throw ConfigurationError("cannot open the unit registry in \(place): \(error.message)")
            }
            let verification: PostgresVerificationStore
            do { verification = try await PostgresVerificationStore.open(database) } catch {
                throw ConfigurationError("cannot open the verification requests in \(place): \(error.message)")
            }
            let oversight: PostgresOversightStore
            do { oversight = try await PostgresOversightStore.open(database) } catch {
                throw ConfigurationError("cannot open the oversight records in \(place): \(error.message)")
            }
            let cluster: (rateCounts: PostgresRateCounts, sessionFeed: PostgresSessionFeed)
            do { cluster = (try await PostgresRateCounts.open(database), try await PostgresSessionFeed.open(database)) } catch {
                throw ConfigurationError("cannot open the shared rate counts and session feed in \(place): \(error.message)")
            }
            logger.info(
                "records in PostgreSQL",
                metadata: [
                    "database": "\(database.url)", "schema": "\(database.schema)",
                    "in_data_folder": "seal keys, audit-head note (the audit trail is in PostgreSQL too)",
                ])
            return DaemonStores(
                licences: licences, units: units, verification: verification, oversight: oversight,
                postgres: (database, lock), cluster: cluster, startup: StartupLock(startup), closeEmbedded: {})
        } catch {
            await startup.release()
            await lock.release()
            await database.shutdown()
            throw error
        }
    }

    /// How often an instance on PostgreSQL looks for calendar years published through another
    /// instance: the bound on a new year reaching every instance (docs/CALENDAR.md).
    static let calendarRefreshInterval: Duration = .seconds(30)

    /// On PostgreSQL, the background loop keeping the working-day calendar in step with years
    /// published through other instances (`PostgresUnitStore.refreshCalendar()`, every
    /// `calendarRefreshInterval`; it stops quietly when cancelled); nil on the embedded default.
    func calendarRefresh(logger: Logger) -> (@Sendable () async -> Void)? {
        guard let units = units as? PostgresUnitStore else { return nil }
        return {
            while !Task.isCancelled {
                do { try await Task.sleep(for: Self.calendarRefreshInterval) } catch { break }  // cancelled: the server is stopping
                do throws(NoProofError) {
                    if try await units.refreshCalendar() {
                        let calendar = units.calendarBook.calendar
                        logger.info(
                            "working-day calendar reloaded (a year published through another instance)",
                            metadata: [
                                "years": "\((calendar.publishedYears ?? []).sorted().map(String.init).joined(separator: ","))"
                            ])
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("working-day calendar not refreshed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// On PostgreSQL, the lease under which the verification deadline scheduler runs: on one
    /// instance of the cluster at a time (nil on the embedded default, where the data folder's
    /// lock makes this the only instance).
    func schedulerLease(logger: Logger) -> PostgresLease? {
        postgres.map { PostgresLease.verificationScheduler($0.database, logger: logger) }
    }

    /// Ends this instance's start-up seeding: another instance starting on the schema may go on.
    func startupDone() async {
        await startup.release()
    }

    /// Closes every store; on PostgreSQL releases the locks and closes the pool.
    func close() async {
        closeEmbedded()
        await startup.release()
        if let postgres {
            await postgres.lock.release()
            await postgres.database.shutdown()
        }
    }
}

/// The start-up lock, released once (by `startupDone()` or `close()`, whichever comes first).
private final class StartupLock: Sendable {
    private let lock: Mutex<PostgresSessionLock?>

    init(_ lock: PostgresSessionLock?) { self.lock = Mutex(lock) }

    func release() async {
        let held = lock.withLock { held in
            defer { held = nil }
            return held
        }
        await held?.release()
    }
}
