import Logging
package import NoProofDomain
package import NoProofLicenceStore
import PostgresNIO

/// The change feed of the shared licence store (`LicenceChangeFeed`): every write transaction ends
/// by taking the next number of the one-row `licence_change_counter` and recording the holders it
/// changed in `licence_change` under it. The counter row stays locked until the transaction
/// commits, so numbers are taken and committed in the same order: a reader that sees change N sees
/// every change before it (an identity column would not promise that). The feed keeps the newest
/// `keptChanges` numbers; an instance further behind is told to drop its whole cache.
extension PostgresLicenceStore: LicenceChangeFeed {
    /// How many change numbers `licence_change` keeps.
    static let keptChanges: Int64 = 100_000

    /// The migration that adds the feed's tables.
    static let changeFeedMigration = PostgresMigrator.Migration(
        "licences v2: change feed",
        [
            "CREATE TABLE licence_change_counter (id SMALLINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL)",
            "INSERT INTO licence_change_counter (id, seq) VALUES (1, 0)",
            """
            CREATE TABLE licence_change (
                seq BIGINT NOT NULL,
                holder_key TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (seq, holder_key)
            )
            """,
        ])

    /// Records, as the last statement of a write transaction, that `holders` changed; returns the
    /// change's number. Nothing is recorded for no holders.
    @discardableResult
    static func recordChange(_ connection: PostgresConnection, holders: Set<String>, logger: Logger) async throws -> Int64? {
        if holders.isEmpty { return nil }
        var seq: Int64?
        for try await row in try await connection.query(
            """
            WITH next AS (UPDATE licence_change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq),
                 recorded AS (INSERT INTO licence_change (seq, holder_key)
                              SELECT next.seq, h FROM next, unnest(\(holders.sorted())::text[]) AS h
                              ON CONFLICT DO NOTHING)
            SELECT seq FROM next
            """, logger: logger)
        {
            seq = try row.decode(Int64.self)
        }
        if let seq, seq % 1_000 == 0 {
            // Now and then, the feed's history beyond what is kept is trimmed.
            try await connection.query("DELETE FROM licence_change WHERE seq <= \(seq - keptChanges)", logger: logger)
        }
        return seq
    }

    package func changes(after sequence: Int64) async throws(NoProofError) -> LicenceChanges {
        let logger = self.logger
        return try await database.withConnection { connection in
            // One statement, so one snapshot: the newest number, the oldest kept, the holders in between.
            var result = LicenceChanges(latest: 0, holders: [])
            for try await row in try await connection.query(
                """
                SELECT c.seq,
                       (SELECT min(seq) FROM licence_change),
                       ARRAY(SELECT DISTINCT holder_key FROM licence_change WHERE seq > \(sequence) AND seq <= c.seq)
                FROM licence_change_counter c WHERE c.id = 1
                """, logger: logger)
            {
                result = try Self.changes(row, after: sequence)
            }
            return result
        }
    }

    /// A row of `changes(after:)`'s query (synchronous decoding, kept out of the async loop).
    static func changes(_ row: PostgresRow, after sequence: Int64) throws -> LicenceChanges {
        let (latest, oldest, holders) = try row.decode((Int64, Int64?, [String]).self)
        return changes(latest: latest, oldestKept: oldest, holders: holders, after: sequence)
    }

    /// Complete when nothing after `sequence` was trimmed: nothing newer exists, or the oldest
    /// number kept is at most the first one asked for.
    static func changes(latest: Int64, oldestKept: Int64?, holders: [String], after sequence: Int64) -> LicenceChanges {
        let complete = sequence >= latest || (oldestKept.map { $0 <= sequence + 1 } ?? false)
        return LicenceChanges(latest: latest, holders: complete ? holders : [], complete: complete)
    }
}
