package import Foundation
import Logging
package import NoProofDomain
package import NoProofOversight
import PostgresNIO

/// The oversight store on PostgreSQL (issue 18): the same behaviour as `SQLiteOversightStore` —
/// one table per record kind, each holding the whole record as a JSON document plus the columns
/// listings and counts use, idempotent inserts by natural key, the same listing orders, Art. 17
/// exemptions — in the tables of its `PostgresStoreDatabase`'s schema.
///
/// Schema (migration `oversight-1`): the tables and indexes of SQLite's migrations v1–v4
/// (`commitment`, `ledger_entry`, `mismatch_case`, `complaint`, `flag_exemption`,
/// `correction_notice`). SQLite's v3 rewrote ledger entries recorded before a rule change; a
/// PostgreSQL store never held such entries, so it has no counterpart. Times are seconds since 1970
/// as `DOUBLE PRECISION`, as SQLite's `REAL` columns hold them (each document keeps the exact
/// `Date`); identifiers sort bytewise (`COLLATE "C"`). Every figure of `counts` is a `count(*)`
/// whose predicate is a prefix of an index (unit, then a time range), so counting a period reads
/// only that period's index entries; all figures are read in one snapshot.
///
/// Concurrency: each update locks its record's row (`SELECT … FOR UPDATE`) for its one
/// transaction, so two instances cannot interleave a read-modify-write of the same record; each
/// insert is one `INSERT … ON CONFLICT (natural key) DO NOTHING`, so two instances recording the
/// same thing store it once and both return the stored record.
package final class PostgresOversightStore: OversightStore {
    /// The database and schema the store lives in.
    package let database: PostgresStoreDatabase

    /// The schema migrations of this store (ids distinct from the other stores' in `schema_migrations`).
    static let migrator = PostgresMigrator([
        .init(
            "oversight-1",
            [
                """
                CREATE TABLE commitment (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit TEXT COLLATE "C" NOT NULL,
                    holder_id TEXT COLLATE "C" NOT NULL,
                    case_reference TEXT COLLATE "C" NOT NULL,
                    proof_type TEXT COLLATE "C" NOT NULL,
                    recorded_at DOUBLE PRECISION NOT NULL,
                    check_due_at DOUBLE PRECISION NOT NULL,
                    check_outcome TEXT CHECK (check_outcome IN ('confirmed', 'found_false')),
                    checked_at DOUBLE PRECISION,
                    document TEXT NOT NULL,
                    UNIQUE (unit, case_reference, proof_type, holder_id)
                )
                """,
                "CREATE INDEX commitment_recorded ON commitment (unit, recorded_at)",
                "CREATE INDEX commitment_due ON commitment (unit, check_due_at)",
                "CREATE INDEX commitment_checked ON commitment (unit, check_outcome, checked_at)",
                "CREATE INDEX commitment_all_recorded ON commitment (recorded_at)",
                "CREATE INDEX commitment_open_due ON commitment (check_due_at) WHERE check_outcome IS NULL",
                "CREATE INDEX commitment_false ON commitment (checked_at) WHERE check_outcome = 'found_false'",
                "CREATE INDEX commitment_holder_false ON commitment (holder_id, checked_at) WHERE check_outcome = 'found_false'",
                """
                CREATE TABLE ledger_entry (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit TEXT COLLATE "C" NOT NULL,
                    holder_id TEXT COLLATE "C" NOT NULL,
                    case_reference TEXT COLLATE "C" NOT NULL,
                    proof_type TEXT COLLATE "C" NOT NULL,
                    item_code TEXT COLLATE "C" NOT NULL,
                    recorded_at DOUBLE PRECISION NOT NULL,
                    not_to_ask BOOLEAN NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (unit, case_reference, proof_type, holder_id, item_code)
                )
                """,
                "CREATE INDEX ledger_recorded ON ledger_entry (unit, recorded_at)",
                "CREATE INDEX ledger_not_to_ask ON ledger_entry (unit, not_to_ask, recorded_at)",
                "CREATE INDEX ledger_all_recorded ON ledger_entry (recorded_at)",
                """
                CREATE TABLE mismatch_case (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit TEXT COLLATE "C" NOT NULL,
                    issuing_unit TEXT COLLATE "C" NOT NULL,
                    case_reference TEXT COLLATE "C" NOT NULL,
                    proof_type TEXT COLLATE "C" NOT NULL,
                    status TEXT NOT NULL,
                    opened_at DOUBLE PRECISION NOT NULL,
                    resolved_at DOUBLE PRECISION,
                    appeal_filed_at DOUBLE PRECISION,
                    appeal_decided_at DOUBLE PRECISION,
                    document TEXT NOT NULL,
                    UNIQUE (unit, case_reference, proof_type)
                )
                """,
                "CREATE INDEX mismatch_opened ON mismatch_case (unit, opened_at)",
                "CREATE INDEX mismatch_issuing ON mismatch_case (issuing_unit, opened_at)",
                "CREATE INDEX mismatch_resolved ON mismatch_case (unit, resolved_at)",
                "CREATE INDEX mismatch_appealed ON mismatch_case (unit, appeal_filed_at)",
                "CREATE INDEX mismatch_appeal_decided ON mismatch_case (unit, appeal_decided_at)",
                "CREATE INDEX mismatch_all_opened ON mismatch_case (opened_at)",
                """
                CREATE TABLE complaint (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    channel TEXT COLLATE "C" NOT NULL,
                    channel_reference TEXT COLLATE "C" NOT NULL,
                    unit TEXT COLLATE "C" NOT NULL,
                    breach_type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    routed_to TEXT COLLATE "C",
                    registered_at DOUBLE PRECISION NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (channel, channel_reference)
                )
                """,
                "CREATE INDEX complaint_unit ON complaint (unit, registered_at, breach_type)",
                "CREATE INDEX complaint_routed ON complaint (routed_to, registered_at)",
                "CREATE INDEX complaint_status ON complaint (status, registered_at)",
                "CREATE INDEX complaint_all ON complaint (registered_at)",
                """
                CREATE TABLE flag_exemption (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit TEXT COLLATE "C" NOT NULL,
                    flag TEXT COLLATE "C" NOT NULL,
                    from_day BIGINT NOT NULL,
                    through_day BIGINT NOT NULL,
                    granted_at DOUBLE PRECISION NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (unit, flag, from_day, through_day)
                )
                """,
                "CREATE INDEX flag_exemption_unit ON flag_exemption (unit, from_day)",
                """
                CREATE TABLE correction_notice (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit TEXT COLLATE "C" NOT NULL,
                    mismatch_id TEXT COLLATE "C" NOT NULL,
                    noticed_at DOUBLE PRECISION NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (unit, mismatch_id)
                )
                """,
                "CREATE INDEX correction_notice_unit ON correction_notice (unit, noticed_at)",
                "CREATE INDEX correction_notice_all ON correction_notice (noticed_at)",
            ])
    ])

    private init(database: PostgresStoreDatabase) {
        self.database = database
    }

    /// Opens the store in `database`'s schema, creating or migrating its tables first.
    /// - Throws: `.unavailable` when PostgreSQL cannot be reached or refuses the migration.
    package static func open(_ database: PostgresStoreDatabase) async throws(NoProofError) -> PostgresOversightStore {
        try await migrator.migrate(database)
        return PostgresOversightStore(database: database)
    }

    var logger: Logger { database.logger }

    // MARK: - Documents

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws(NoProofError) -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw NoProofError(.unavailable, "a stored oversight record (\(T.self)) is unreadable: \(error)", cause: error)
        }
    }

    static func encode<T: Encodable>(_ value: T) throws(NoProofError) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw NoProofError(.unavailable, "an oversight record (\(T.self)) cannot be encoded: \(error)", cause: error)
        }
    }

    /// The first column (a document) of every row, in order, decoded as `T` (synchronously, row by row).
    static func documents<T: Decodable>(_ type: T.Type, _ rows: PostgresRowSequence) async throws -> [T] {
        var texts: [String] = []
        for try await row in rows { texts.append(try row.decode(String.self)) }
        return try texts.map { text throws(NoProofError) in try decode(type, text) }
    }

    /// Whether the statement (an `INSERT … RETURNING`) returned a row.
    static func returnedRow(_ rows: PostgresRowSequence) async throws -> Bool {
        var returned = false
        for try await _ in rows { returned = true }
        return returned
    }

    private static func time(_ date: Date?) -> Double? { date?.timeIntervalSince1970 }

    private static func limit(_ limit: Int) -> Int { max(1, min(limit, 10_000)) }

    private func read<T: Sendable>(_ body: (PostgresConnection, Logger) async throws -> T) async throws(NoProofError) -> T {
        let logger = self.logger
        return try await database.withConnection { connection in try await body(connection, logger) }
    }

    private func write<T: Sendable>(_ body: (PostgresConnection, Logger) async throws -> T) async throws(NoProofError) -> T {
        let logger = self.logger
        return try await database.transaction { connection in try await body(connection, logger) }
    }

    /// Inserts through `insert` (an `INSERT … ON CONFLICT (natural key) DO NOTHING RETURNING id`);
    /// when the natural key was taken, `existing` (a `SELECT document` by that key) gives the stored record.
    private func insertOnce<T: Decodable & Sendable>(
        _ record: T, _ type: T.Type, insert: PostgresQuery,
        existing: PostgresQuery
    ) async throws(NoProofError) -> (record: T, created: Bool) {
        try await write { connection, logger in
            if try await Self.returnedRow(connection.query(insert, logger: logger)) { return (record, true) }
            guard let stored = try await Self.documents(type, connection.query(existing, logger: logger)).first else {
                throw NoProofError(.unavailable, "an oversight record (\(T.self)) conflicted but is not stored; retry")
            }
            return (stored, false)
        }
    }

    /// Locks the row of `id` in `table`, applies `body` to its record and writes it back with `save`
    /// when `body` returns true, in one transaction.
    private func update<T: Codable & Sendable>(
        _ type: T.Type, table: StaticString, id: String, missing: String,
        _ body: (inout T) throws(NoProofError) -> Bool,
        save: (PostgresConnection, T, Logger) async throws -> Void
    ) async throws(NoProofError) -> (record: T, changed: Bool) {
        try await write { connection, logger in
            let select = PostgresQuery(unsafeSQL: "SELECT document FROM \(table) WHERE id = $1 FOR UPDATE", binds: Self.binding(id))
            guard var record = try await Self.documents(type, connection.query(select, logger: logger)).first else {
                throw NoProofError(.notFound, missing)
            }
            let changed = try body(&record)
            if changed { try await save(connection, record, logger) }
            return (record, changed)
        }
    }

    private static func binding(_ value: String) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 1)
        binds.append(value)
        return binds
    }

    // MARK: - Commitments

    package func insertCommitment(_ commitment: Commitment) async throws(NoProofError) -> (record: Commitment, created: Bool) {
        let c = commitment
        let document = try Self.encode(c)
        return try await insertOnce(
            c, Commitment.self,
            insert: """
                INSERT INTO commitment (id, unit, holder_id, case_reference, proof_type, recorded_at, check_due_at, check_outcome, checked_at, document)
                VALUES (\(c.id), \(c.unit), \(c.holderID), \(c.caseReference), \(c.proofType), \(c.recordedAt.timeIntervalSince1970),
                        \(c.checkDueAt.timeIntervalSince1970), \(c.checkOutcome?.rawValue), \(Self.time(c.checkedAt)), \(document))
                ON CONFLICT (unit, case_reference, proof_type, holder_id) DO NOTHING
                RETURNING id
                """,
            existing: """
                SELECT document FROM commitment
                WHERE unit = \(c.unit) AND case_reference = \(c.caseReference) AND proof_type = \(c.proofType) AND holder_id = \(c.holderID)
                """)
    }

    package func commitment(id: String) async throws(NoProofError) -> Commitment? {
        try await read { connection, logger in
            try await Self.documents(Commitment.self, connection.query("SELECT document FROM commitment WHERE id = \(id)", logger: logger)).first
        }
    }

    package func updateCommitment(id: String, _ body: @Sendable (inout Commitment) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Commitment, changed: Bool)
    {
        try await update(Commitment.self, table: "commitment", id: id, missing: "no commitment \(id)", body) { connection, c, logger in
            let document = try Self.encode(c)
            try await connection.query(
                """
                UPDATE commitment SET check_outcome = \(c.checkOutcome?.rawValue), checked_at = \(Self.time(c.checkedAt)), document = \(document)
                WHERE id = \(c.id)
                """, logger: logger)
        }
    }

    package func falseCommitments(holder: String, limit: Int) async throws(NoProofError) -> [Commitment] {
        let bound = Self.limit(limit)
        return try await read { connection, logger in
            try await Self.documents(
                Commitment.self,
                connection.query(
                    """
                    SELECT document FROM commitment WHERE holder_id = \(holder) AND check_outcome = 'found_false'
                    ORDER BY checked_at DESC, id LIMIT \(bound)
                    """, logger: logger))
        }
    }

    package func commitments(unit: String?, filter: CommitmentFilter, limit: Int) async throws(NoProofError) -> [Commitment] {
        var builder = PostgresQueryBuilder("SELECT document FROM commitment")
        var conditions: [String] = []
        if let unit { conditions.append("unit = \(builder.bind(unit))") }
        var order = "recorded_at DESC, id"
        switch filter {
        case .all: break
        case .unchecked:
            conditions.append("check_outcome IS NULL")
            order = "check_due_at, id"
        case .overdue(let asOf):
            conditions.append("check_outcome IS NULL AND check_due_at <= \(builder.bind(asOf.timeIntervalSince1970))")
            order = "check_due_at, id"
        case .foundFalse:
            conditions.append("check_outcome = 'found_false'")
            order = "checked_at DESC, id"
        }
        builder.appendWhere(conditions)
        let limitParameter = builder.bind(Self.limit(limit))
        builder.append(" ORDER BY \(order) LIMIT \(limitParameter)")
        let query = builder.query
        return try await read { connection, logger in try await Self.documents(Commitment.self, connection.query(query, logger: logger)) }
    }

    // MARK: - Ledger

    package func insertLedgerEntry(_ entry: LedgerEntry) async throws(NoProofError) -> (record: LedgerEntry, created: Bool) {
        let e = entry
        let document = try Self.encode(e)
        return try await insertOnce(
            e, LedgerEntry.self,
            insert: """
                INSERT INTO ledger_entry (id, unit, holder_id, case_reference, proof_type, item_code, recorded_at, not_to_ask, document)
                VALUES (\(e.id), \(e.unit), \(e.holderID), \(e.caseReference), \(e.proofType), \(e.itemCode), \(e.recordedAt.timeIntervalSince1970),
                        \(e.notToBeAskedFor), \(document))
                ON CONFLICT (unit, case_reference, proof_type, holder_id, item_code) DO NOTHING
                RETURNING id
                """,
            existing: """
                SELECT document FROM ledger_entry
                WHERE unit = \(e.unit) AND case_reference = \(e.caseReference) AND proof_type = \(e.proofType) AND holder_id = \(e.holderID)
                  AND item_code = \(e.itemCode)
                """)
    }

    package func ledgerEntries(unit: String?, from: Date?, to: Date?, limit: Int) async throws(NoProofError) -> [LedgerEntry] {
        var builder = PostgresQueryBuilder("SELECT document FROM ledger_entry")
        var conditions: [String] = []
        if let unit { conditions.append("unit = \(builder.bind(unit))") }
        if let from { conditions.append("recorded_at >= \(builder.bind(from.timeIntervalSince1970))") }
        if let to { conditions.append("recorded_at < \(builder.bind(to.timeIntervalSince1970))") }
        builder.appendWhere(conditions)
        let limitParameter = builder.bind(Self.limit(limit))
        builder.append(" ORDER BY recorded_at, id LIMIT \(limitParameter)")
        let query = builder.query
        return try await read { connection, logger in try await Self.documents(LedgerEntry.self, connection.query(query, logger: logger)) }
    }

    // MARK: - Mismatches

    package func insertMismatch(_ mismatch: MismatchCase) async throws(NoProofError) -> (record: MismatchCase, created: Bool) {
        let m = mismatch
        let document = try Self.encode(m)
        return try await insertOnce(
            m, MismatchCase.self,
            insert: """
                INSERT INTO mismatch_case (id, unit, issuing_unit, case_reference, proof_type, status, opened_at, resolved_at,
                                           appeal_filed_at, appeal_decided_at, document)
                VALUES (\(m.id), \(m.unit), \(m.issuingUnit), \(m.caseReference), \(m.proofType), \(m.status.rawValue),
                        \(m.openedAt.timeIntervalSince1970), \(Self.time(m.resolvedAt)), \(Self.time(m.appealFiledAt)),
                        \(Self.time(m.appealDecidedAt)), \(document))
                ON CONFLICT (unit, case_reference, proof_type) DO NOTHING
                RETURNING id
                """,
            existing: """
                SELECT document FROM mismatch_case WHERE unit = \(m.unit) AND case_reference = \(m.caseReference) AND proof_type = \(m.proofType)
                """)
    }

    package func mismatch(id: String) async throws(NoProofError) -> MismatchCase? {
        try await read { connection, logger in
            try await Self.documents(MismatchCase.self, connection.query("SELECT document FROM mismatch_case WHERE id = \(id)", logger: logger)).first
        }
    }

    package func updateMismatch(id: String, _ body: @Sendable (inout MismatchCase) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: MismatchCase, changed: Bool)
    {
        try await update(MismatchCase.self, table: "mismatch_case", id: id, missing: "no mismatch case \(id)", body) { connection, m, logger in
            let document = try Self.encode(m)
            try await connection.query(
                """
                UPDATE mismatch_case SET status = \(m.status.rawValue), resolved_at = \(Self.time(m.resolvedAt)),
                    appeal_filed_at = \(Self.time(m.appealFiledAt)), appeal_decided_at = \(Self.time(m.appealDecidedAt)), document = \(document)
                WHERE id = \(m.id)
                """, logger: logger)
        }
    }

    package func mismatches(unit: String?, limit: Int) async throws(NoProofError) -> [MismatchCase] {
        let bounded = Self.limit(limit)
        return try await read { connection, logger in
            if let unit {
                // The cases the unit opened and those it must re-verify, each index searched once.
                return try await Self.documents(
                    MismatchCase.self,
                    connection.query(
                        """
                        SELECT document FROM (
                            SELECT id, opened_at, document FROM mismatch_case WHERE unit = \(unit)
                            UNION SELECT id, opened_at, document FROM mismatch_case WHERE issuing_unit = \(unit)
                        ) AS visible ORDER BY opened_at DESC, id LIMIT \(bounded)
                        """, logger: logger))
            }
            return try await Self.documents(
                MismatchCase.self,
                connection.query(
                    "SELECT document FROM mismatch_case ORDER BY opened_at DESC, id LIMIT \(bounded)", logger: logger))
        }
    }

    // MARK: - Complaints

    package func insertComplaint(_ complaint: Complaint) async throws(NoProofError) -> (record: Complaint, created: Bool) {
        let c = complaint
        let document = try Self.encode(c)
        return try await insertOnce(
            c, Complaint.self,
            insert: """
                INSERT INTO complaint (id, channel, channel_reference, unit, breach_type, status, routed_to, registered_at, document)
                VALUES (\(c.id), \(c.channel.rawValue), \(c.channelReference), \(c.unit), \(c.breachType.rawValue), \(c.status.rawValue),
                        \(c.routedTo), \(c.registeredAt.timeIntervalSince1970), \(document))
                ON CONFLICT (channel, channel_reference) DO NOTHING
                RETURNING id
                """,
            existing: """
                SELECT document FROM complaint WHERE channel = \(c.channel.rawValue) AND channel_reference = \(c.channelReference)
                """)
    }

    package func complaint(id: String) async throws(NoProofError) -> Complaint? {
        try await read { connection, logger in
            try await Self.documents(Complaint.self, connection.query("SELECT document FROM complaint WHERE id = \(id)", logger: logger)).first
        }
    }

    package func updateComplaint(id: String, _ body: @Sendable (inout Complaint) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Complaint, changed: Bool)
    {
        try await update(Complaint.self, table: "complaint", id: id, missing: "no complaint \(id)", body) { connection, c, logger in
            let document = try Self.encode(c)
            try await connection.query(
                """
                UPDATE complaint SET status = \(c.status.rawValue), routed_to = \(c.routedTo), document = \(document) WHERE id = \(c.id)
                """, logger: logger)
        }
    }

    package func complaints(routedTo unit: String?, status: ComplaintStatus?, limit: Int) async throws(NoProofError) -> [Complaint] {
        var builder = PostgresQueryBuilder("SELECT document FROM complaint")
        var conditions: [String] = []
        if let unit { conditions.append("routed_to = \(builder.bind(unit))") }
        if let status { conditions.append("status = \(builder.bind(status.rawValue))") }
        builder.appendWhere(conditions)
        let limitParameter = builder.bind(Self.limit(limit))
        builder.append(" ORDER BY registered_at DESC, id LIMIT \(limitParameter)")
        let query = builder.query
        return try await read { connection, logger in try await Self.documents(Complaint.self, connection.query(query, logger: logger)) }
    }

    // MARK: - Correction notices (issue 16)

    package func insertCorrectionNotices(_ notices: [CorrectionNotice]) async throws(NoProofError) {
        var documents: [(CorrectionNotice, String)] = []
        for notice in notices { documents.append((notice, try Self.encode(notice))) }
        let prepared = documents
        try await write { connection, logger in
            for (notice, document) in prepared {
                try await connection.query(
                    """
                    INSERT INTO correction_notice (id, unit, mismatch_id, noticed_at, document)
                    VALUES (\(notice.id), \(notice.unit), \(notice.mismatchID), \(notice.noticedAt.timeIntervalSince1970), \(document))
                    ON CONFLICT (unit, mismatch_id) DO NOTHING
                    """, logger: logger)
            }
        }
    }

    package func correctionNotices(unit: String?, limit: Int) async throws(NoProofError) -> [CorrectionNotice] {
        var builder = PostgresQueryBuilder("SELECT document FROM correction_notice")
        if let unit {
            let unitParameter = builder.bind(unit)
            builder.appendWhere(["unit = \(unitParameter)"])
        }
        let limitParameter = builder.bind(Self.limit(limit))
        builder.append(" ORDER BY noticed_at DESC, id LIMIT \(limitParameter)")
        let query = builder.query
        return try await read { connection, logger in try await Self.documents(CorrectionNotice.self, connection.query(query, logger: logger)) }
    }

    // MARK: - Exemptions (Art. 17)

    package func insertExemption(_ exemption: FlagExemption) async throws(NoProofError) -> (record: FlagExemption, created: Bool) {
        let x = exemption
        let document = try Self.encode(x)
        let fromDay = Int64(x.from.daysSinceEpoch), throughDay = Int64(x.through.daysSinceEpoch)
        return try await insertOnce(
            x, FlagExemption.self,
            insert: """
                INSERT INTO flag_exemption (id, unit, flag, from_day, through_day, granted_at, document)
                VALUES (\(x.id), \(x.unit), \(x.flag), \(fromDay), \(throughDay), \(x.grantedAt.timeIntervalSince1970), \(document))
                ON CONFLICT (unit, flag, from_day, through_day) DO NOTHING
                RETURNING id
                """,
            existing: """
                SELECT document FROM flag_exemption WHERE unit = \(x.unit) AND flag = \(x.flag) AND from_day = \(fromDay) AND through_day = \(throughDay)
                """)
    }

    package func exemptions(unit: String?, from: CivilDate, through: CivilDate) async throws(NoProofError) -> [FlagExemption] {
        var builder = PostgresQueryBuilder("SELECT document FROM flag_exemption")
        var conditions = ["from_day <= \(builder.bind(Int64(through.daysSinceEpoch)))", "through_day >= \(builder.bind(Int64(from.daysSinceEpoch)))"]
        if let unit { conditions.append("unit = \(builder.bind(unit))") }
        builder.appendWhere(conditions)
        builder.append(" ORDER BY granted_at, id LIMIT 10000")
        let query = builder.query
        return try await read { connection, logger in try await Self.documents(FlagExemption.self, connection.query(query, logger: logger)) }
    }

    // MARK: - Counts

    /// The SQL of each figure of `counts`, in `OversightCounts` order: `$1` the unit, `$2`…`$3` the
    /// period `[from, to)`, `$4` the as-of time. Each filters on an index prefix (unit, time range).
    static let countQueries: [String] = [
        "SELECT count(*) FROM commitment WHERE unit = $1 AND recorded_at >= $2 AND recorded_at < $3",
        "SELECT count(*) FROM commitment WHERE unit = $1 AND check_outcome = 'confirmed' AND checked_at >= $2 AND checked_at < $3",
        "SELECT count(*) FROM commitment WHERE unit = $1 AND check_outcome = 'found_false' AND checked_at >= $2 AND checked_at < $3",
        """
        SELECT count(*) FROM commitment WHERE unit = $1 AND check_due_at >= $2 AND check_due_at < $3 AND check_due_at <= $4
          AND (checked_at IS NULL OR checked_at > check_due_at)
        """,
        "SELECT count(*) FROM ledger_entry WHERE unit = $1 AND recorded_at >= $2 AND recorded_at < $3",
        "SELECT count(*) FROM ledger_entry WHERE unit = $1 AND not_to_ask AND recorded_at >= $2 AND recorded_at < $3",
        "SELECT count(*) FROM mismatch_case WHERE unit = $1 AND opened_at >= $2 AND opened_at < $3",
        "SELECT count(*) FROM mismatch_case WHERE unit = $1 AND resolved_at >= $2 AND resolved_at < $3",
        "SELECT count(*) FROM mismatch_case WHERE unit = $1 AND appeal_filed_at >= $2 AND appeal_filed_at < $3",
        "SELECT count(*) FROM mismatch_case WHERE unit = $1 AND appeal_decided_at >= $2 AND appeal_decided_at < $3",
    ]

    /// The complaints of the unit in the period by breach type (the first three parameters).
    static let complaintCountQuery = """
        SELECT breach_type, count(*) FROM complaint WHERE unit = $1 AND registered_at >= $2 AND registered_at < $3 GROUP BY breach_type
        """

    /// The figures' queries as one statement: an array of the ten counts.
    static let figuresQuery = "SELECT ARRAY[" + countQueries.map { "(\($0))" }.joined(separator: ", ") + "]::int8[]"

    /// The parameters of the count queries: unit, from, to and, when given, as-of.
    private static func countBindings(unit: String, from: Double, to: Double, asOf: Double?) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 4)
        binds.append(unit)
        binds.append(from)
        binds.append(to)
        if let asOf { binds.append(asOf) }
        return binds
    }

    package func counts(unit: String, from: Date, to: Date, asOf: Date) async throws(NoProofError) -> OversightCounts {
        let binds = Self.countBindings(unit: unit, from: from.timeIntervalSince1970, to: to.timeIntervalSince1970, asOf: asOf.timeIntervalSince1970)
        let complaintBinds = Self.countBindings(unit: unit, from: from.timeIntervalSince1970, to: to.timeIntervalSince1970, asOf: nil)
        return try await write { connection, logger in
            // One snapshot for every figure, as SQLite's read transaction gives.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var figures: [Int] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: Self.figuresQuery, binds: binds), logger: logger) {
                figures = try row.decode([Int].self)
            }
            guard figures.count == 10 else { throw NoProofError(.unavailable, "the oversight counts came back incomplete; retry") }
            var counts = OversightCounts()
            counts.commitmentsRecorded = figures[0]
            counts.checksConfirmed = figures[1]
            counts.checksFoundFalse = figures[2]
            counts.checksOverdue = figures[3]
            counts.ledgerEntries = figures[4]
            counts.ledgerEntriesNotToBeAskedFor = figures[5]
            counts.mismatchesOpened = figures[6]
            counts.mismatchesResolved = figures[7]
            counts.appealsFiled = figures[8]
            counts.appealsDecided = figures[9]
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: Self.complaintCountQuery, binds: complaintBinds), logger: logger) {
                rows.append(row)
            }
            for row in rows {
                let (type, count) = try row.decode((String, Int).self)
                if let breach = BreachType(rawValue: type) { counts.complaintsByBreach[breach] = count }
            }
            return counts
        }
    }

    /// The query plans of the count queries with sequential scans disabled (tests check each searches
    /// an index: a query no index serves would still show a `Seq Scan`).
    package func countPlans() async throws(NoProofError) -> [String] {
        let queries =
            Self.countQueries.map { ($0, Self.countBindings(unit: "U", from: 0, to: 1, asOf: 1)) }
            + [(Self.complaintCountQuery, Self.countBindings(unit: "U", from: 0, to: 1, asOf: nil))]
        return try await write { connection, logger in
            try await connection.query("SET LOCAL enable_seqscan = off", logger: logger)
            var plans: [String] = []
            for (sql, binds) in queries {
                var lines: [String] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + sql, binds: binds), logger: logger) {
                    lines.append(try row.decode(String.self))
                }
                plans.append(lines.joined(separator: "; "))
            }
            return plans
        }
    }
}
