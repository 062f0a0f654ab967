import Logging
package import NoProofDomain
package import NoProofUnitStore
import PostgresNIO

/// The session change feed of the shared unit store (`SessionChangeFeed`, issue 18): triggers on
/// the unit store's tables record every credential revoked (`revoked_at` set), staff member
/// deactivated and unit deactivated (`active` cleared) in `session_change`, numbered by the one-row
/// `session_change_counter` in the writing transaction. The counter row stays locked until that
/// transaction commits, so numbers are committed in order: a reader that sees change N sees every
/// change before it, and a watermark never skips one. The triggers catch every path that makes
/// such a change (RPC, bulk loads, another instance, a manual `UPDATE`). The newest `keptChanges`
/// are kept.
///
/// Open it after `PostgresUnitStore.open` on the same schema (its triggers are on that store's tables).
package struct PostgresSessionFeed: SessionChangeFeed {
    package let database: PostgresStoreDatabase
    /// How many change numbers `session_change` keeps.
    static let keptChanges: Int64 = 10_000

    /// The feed's own migration, applied after the unit store's.
    static let migrator = PostgresMigrator([
        .init(
            "sessions v1: change feed",
            [
                "CREATE TABLE session_change_counter (id SMALLINT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL)",
                "INSERT INTO session_change_counter (id, seq) VALUES (1, 0)",
                """
                CREATE TABLE session_change (
                    seq BIGINT PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('credential', 'staff', 'unit')),
                    unit_code TEXT COLLATE "C" NOT NULL,
                    subject TEXT COLLATE "C" NOT NULL,
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE FUNCTION session_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    n BIGINT;
                BEGIN
                    UPDATE session_change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq INTO n;
                    IF TG_TABLE_NAME = 'credential' THEN
                        INSERT INTO session_change (seq, kind, unit_code, subject) VALUES (n, 'credential', NEW.unit_code, NEW.id);
                    ELSIF TG_TABLE_NAME = 'staff' THEN
                        INSERT INTO session_change (seq, kind, unit_code, subject) VALUES (n, 'staff', NEW.unit_code, NEW.id);
                    ELSE
                        INSERT INTO session_change (seq, kind, unit_code, subject) VALUES (n, 'unit', NEW.code, NEW.code);
                    END IF;
                    IF n % 1000 = 0 THEN
                        DELETE FROM session_change WHERE seq <= n - \(keptChanges);
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER credential_revoked AFTER UPDATE ON credential FOR EACH ROW
                WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION session_change_record()
                """,
                """
                CREATE TRIGGER staff_deactivated AFTER UPDATE ON staff FOR EACH ROW
                WHEN (OLD.active AND NOT NEW.active) EXECUTE FUNCTION session_change_record()
                """,
                """
                CREATE TRIGGER unit_deactivated AFTER UPDATE ON unit FOR EACH ROW
                WHEN (OLD.active AND NOT NEW.active) EXECUTE FUNCTION session_change_record()
                """,
            ])
    ])

    private init(database: PostgresStoreDatabase) {
        self.database = database
    }

    /// Opens the feed on `database`'s schema, adding its tables and triggers if missing. The unit
    /// store must have been opened on the schema first.
    package static func open(_ database: PostgresStoreDatabase) async throws(NoProofError) -> PostgresSessionFeed {
        try await migrator.migrate(database)
        return PostgresSessionFeed(database: database)
    }

    package func sessionChanges(after sequence: Int64?) async throws(NoProofError) -> SessionChanges {
        let logger = database.logger
        return try await database.withConnection { connection in
            var rows: [PostgresRow] = []
            // One statement, so one snapshot: the newest number, the oldest kept, the changes in between.
            for try await row in try await connection.query(
                """
                SELECT n.seq, (SELECT min(seq) FROM session_change), c.seq, c.kind, c.unit_code, c.subject,
                       ARRAY(SELECT k.id FROM credential k
                             WHERE (c.kind = 'credential' AND k.id = c.subject)
                                OR (c.kind = 'staff' AND k.unit_code = c.unit_code AND k.staff_id = c.subject)
                                OR (c.kind = 'unit' AND k.unit_code = c.unit_code)
                             ORDER BY k.id)
                FROM session_change_counter n
                LEFT JOIN session_change c ON c.seq > \(sequence ?? Int64.max) AND c.seq <= n.seq
                WHERE n.id = 1
                ORDER BY c.seq
                """, logger: logger)
            {
                rows.append(row)
            }
            return try Self.changes(rows, after: sequence)
        }
    }

    /// The answer from the rows of `sessionChanges`' query (synchronous decoding).
    static func changes(_ rows: [PostgresRow], after sequence: Int64?) throws -> SessionChanges {
        var latest: Int64 = 0
        var oldest: Int64?
        var changes: [SessionChange] = []
        for row in rows {
            let (newest, oldestKept, seq, kind, unit, subject, credentials) = try row.decode(
                (Int64, Int64?, Int64?, String?, String?, String?, [String]?).self)
            latest = newest
            oldest = oldestKept
            guard let seq, let kind = kind.flatMap(SessionChange.Kind.init(rawValue:)), let unit, let subject else { continue }
            changes.append(SessionChange(sequence: seq, kind: kind, unitCode: unit, subject: subject, credentialIDs: credentials ?? []))
        }
        guard let sequence else { return SessionChanges(latest: latest, changes: []) }
        let complete = sequence >= latest || (oldest.map { $0 <= sequence + 1 } ?? false)
        return SessionChanges(latest: latest, changes: changes, complete: complete)
    }
}
