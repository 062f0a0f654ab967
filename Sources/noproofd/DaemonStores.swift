import Foundation
import Logging
import NoProofDomain
import NoProofLicenceStore
import NoProofOversight
import NoProofOversightStore
import NoProofPostgres
import NoProofUnitStore
import NoProofUnits
import NoProofVerification
import NoProofVerificationStore

/// The record stores noproofd serves from, on the backend `--database` chose: behind their
/// protocols, so nothing past start-up knows which. On PostgreSQL the instance lock is held from
/// here until `close()`.
struct DaemonStores {
    let licences: any LicenceStore
    let units: any UnitStore
    let verification: any VerificationStore
    let oversight: any OversightStore
    /// The PostgreSQL database and the instance lock, when `--database` names one.
    let postgres: (database: PostgresStoreDatabase, lock: PostgresInstanceLock)?
    /// On PostgreSQL, what several instances share beyond the stores: the rate counts and the
    /// feed of changes that end sessions (issue 18).
    let cluster: (rateCounts: PostgresRateCounts, sessionFeed: PostgresSessionFeed)?
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
            licences: licences, units: units, verification: verification, oversight: oversight, postgres: nil, cluster: nil,
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

    /// Every record store in PostgreSQL; the instance lock first, so a second noproofd on the same
    /// database is refused before it reads anything.
    static func openPostgres(url: String, dataDirectory: URL, logger: Logger) async throws -> DaemonStores {
        let database: PostgresStoreDatabase
        do {
            database = try PostgresStoreDatabase.connect(url: url, logger: logger)
        } catch {
            throw ConfigurationError("--database: \(error.message)")
        }
        let lock: PostgresInstanceLock
        do {
            lock = try await PostgresInstanceLock.acquire(database)
        } catch {
            await database.shutdown()
            throw ConfigurationError("refusing to start: \(error.message)")
        }
        let place = "PostgreSQL (\(database.url), schema \(database.schema))"
        do {
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
                postgres: (database, lock), cluster: cluster, closeEmbedded: {})
        } catch {
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

    /// Closes every store; on PostgreSQL releases the instance lock and closes the pool.
    func close() async {
        closeEmbedded()
        if let postgres {
            await postgres.lock.release()
            await postgres.database.shutdown()
        }
    }
}
