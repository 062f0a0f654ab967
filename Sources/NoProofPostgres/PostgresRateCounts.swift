package import Foundation
import Logging
package import NoProofDomain
package import NoProofUnits
import PostgresNIO
import Synchronization

/// Rate and volume limits counted across the noproofd instances of one PostgreSQL database
/// (issue 18): the `SharedRateCounts` of each instance's `RateLimiter`.
///
/// The limiter decides in memory, on the event loop, with no database round trip: this exchange
/// answers `othersCount` from the figures it last read, and `counted` only adds to this instance's
/// counts in memory. Every `interval` (`run`), `sync` writes this instance's changed counts of the
/// current windows into `rate_count` — one row per (instance, kind, subject, window), all rows in
/// one `INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE` statement — then reads the other
/// instances' sums for the current minute and day in one `SELECT … GROUP BY`; now and then it
/// deletes the rows of windows that ended. Counts are cumulative per window (a repeated write sets
/// the same value, never adds), so a retried write counts nothing twice.
///
/// The bound: what one instance knows of the others is at most about two intervals old (their
/// last write, then its own last read), so the cluster as a whole can admit, beyond a limit, at
/// most what the other instances admitted in those two intervals — at worst instances × the rate
/// each admits × 2 × `interval`. A restarted instance takes a new instance id: the rows of its
/// previous life keep counting as another instance's until their window ends. When PostgreSQL is
/// unreachable, each instance goes on with its own counts plus the last figures it read (logged;
/// the limits then hold per instance only).
package final class PostgresRateCounts: SharedRateCounts {
    package typealias Key = RateLimiter.WindowKey

    private struct State {
        /// This instance's counts of the windows still current.
        var own: [Key: Int] = [:]
        /// Windows whose own count changed since the last write.
        var pending: Set<Key> = []
        /// The other instances' sums, as last read.
        var others: [Key: Int] = [:]
        var syncs = 0
    }

    /// The database and schema of the shared table.
    package let database: PostgresStoreDatabase
    /// This instance's id in `rate_count` (a new one per process unless given).
    package let instance: String
    private let state = Mutex(State())
    private var logger: Logger { database.logger }

    /// Ended windows are deleted every this many syncs (every minute at the default interval).
    static let pruneEvery = 60

    /// The schema migrations of the shared counts (their own, beside the stores').
    static let migrator = PostgresMigrator([
        .init(
            "rate counts v1",
            [
                """
                CREATE TABLE rate_count (
                    kind TEXT COLLATE "C" NOT NULL,
                    subject TEXT COLLATE "C" NOT NULL,
                    window_no BIGINT NOT NULL,
                    instance TEXT COLLATE "C" NOT NULL,
                    count BIGINT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (kind, window_no, subject, instance)
                )
                """
            ])
    ])

    private init(database: PostgresStoreDatabase, instance: String) {
        self.database = database
        self.instance = instance
    }

    /// Opens the exchange in `database`'s schema, creating its table first.
    package static func open(
        _ database: PostgresStoreDatabase, instance: String = UUID().uuidString.lowercased()
    ) async throws(NoProofError) -> PostgresRateCounts {
        try await migrator.migrate(database)
        return PostgresRateCounts(database: database, instance: instance)
    }

    // MARK: - SharedRateCounts (in memory, under the limiter's lock)

    package func othersCount(_ key: Key) -> Int {
        state.withLock { $0.others[key] ?? 0 }
    }

    package func counted(_ keys: [Key]) {
        state.withLock { state in
            for key in keys {
                state.own[key, default: 0] += 1
                state.pending.insert(key)
            }
        }
    }

    // MARK: - The exchange

    /// This instance's own count of `key`'s window (what it writes).
    package func ownCount(_ key: Key) -> Int {
        state.withLock { $0.own[key] ?? 0 }
    }

    /// One exchange at `now`: writes this instance's counts that changed (one statement), then
    /// reads the other instances' sums for the minute and day current at `now` (one statement).
    /// Counts not written because the write failed are written by the next sync.
    package func sync(at now: Date) async throws(NoProofError) {
        let minute = RateLimiter.minute(now), day = RateLimiter.day(now)
        let (written, prune) = state.withLock { state -> ([(Key, Int)], Bool) in
            state.own = state.own.filter { Self.current($0.key, minute: minute, day: day) }
            let written = state.pending.compactMap { key in state.own[key].map { (key, $0) } }
            state.pending = []
            state.syncs += 1
            return (written, state.syncs % Self.pruneEvery == 0)
        }
        let instance = self.instance
        let logger = self.logger
        let minuteKinds = Key.Scope.minuteKinds, dayKinds = Key.Scope.dayKinds
        do {
            let others = try await database.withConnection { connection -> [Key: Int] in
                if !written.isEmpty {
                    let stored = written.map { $0.0.scope.stored }
                    try await connection.query(
                        """
                        INSERT INTO rate_count (kind, subject, window_no, instance, count)
                        SELECT k, s, w, \(instance), c
                        FROM unnest(\(stored.map(\.kind))::text[], \(stored.map(\.subject))::text[],
                                    \(written.map { Int64($0.0.window) })::bigint[], \(written.map { Int64($0.1) })::bigint[]) AS t(k, s, w, c)
                        ON CONFLICT (kind, window_no, subject, instance)
                        DO UPDATE SET count = GREATEST(rate_count.count, EXCLUDED.count), updated_at = now()
                        """, logger: logger)
                }
                var rows: [PostgresRow] = []
                for try await row in try await connection.query(
                    """
                    SELECT kind, subject, window_no, sum(count)::bigint FROM rate_count
                    WHERE instance <> \(instance)
                      AND ((kind = ANY(\(minuteKinds)::text[]) AND window_no = \(Int64(minute)))
                        OR (kind = ANY(\(dayKinds)::text[]) AND window_no = \(Int64(day))))
                    GROUP BY kind, subject, window_no
                    """, logger: logger)
                {
                    rows.append(row)
                }
                if prune {
                    try await connection.query(
                        """
                        DELETE FROM rate_count
                        WHERE (kind = ANY(\(minuteKinds)::text[]) AND window_no < \(Int64(minute - 1)))
                           OR (kind = ANY(\(dayKinds)::text[]) AND window_no < \(Int64(day - 1)))
                        """, logger: logger)
                }
                return try Self.sums(rows)
            }
            state.withLock { $0.others = others }
        } catch {
            // Written again next time (the latest value: counts only grow within a window).
            state.withLock { state in for (key, _) in written { state.pending.insert(key) } }
            throw error
        }
    }

    /// Runs `sync` every `interval` until the task is cancelled; failures are logged and retried
    /// at the next interval.
    package func run(every interval: Duration, now: @escaping @Sendable () -> Date = { Date() }) async {
        while !Task.isCancelled {
            do {
                try await sync(at: now())
            } catch {
                logger.warning("rate counts not exchanged with the other instances", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The other instances' sums from the rows of the read (synchronous decoding).
    static func sums(_ rows: [PostgresRow]) throws -> [Key: Int] {
        var sums: [Key: Int] = [:]
        for row in rows {
            let (kind, subject, window, count) = try row.decode((String, String, Int64, Int64).self)
            guard let scope = Key.Scope(kind: kind, subject: subject) else { continue }
            sums[Key(scope: scope, window: Int(window)), default: 0] += Int(count)
        }
        return sums
    }

    /// Whether `key`'s window is the current one (or later) at `minute` and `day`.
    static func current(_ key: Key, minute: Int, day: Int) -> Bool {
        key.scope.isMinute ? key.window >= minute : key.window >= day
    }
}
