package import Foundation
package import GRDB
package import NoProofDomain
package import NoProofOversight
import NoProofSQLite

/// The embedded oversight store: `oversight.sqlite` through a GRDB `DatabasePool` opened with
/// `DurableDatabasePool.open` (WAL, `synchronous=FULL` on the writer), so every acknowledged
/// record and transition is committed and synced.
///
/// Schema (migration `v1`): one table per record kind, each holding the whole record as a JSON
/// document plus the columns that listings and counts use. Every figure of `counts` is a
/// `COUNT(*)` whose predicate is a prefix of an index (unit, then a time range), so counting a
/// period reads only that period's index entries.
package final class SQLiteOversightStore: OversightStore {
    package static let fileName = "oversight.sqlite"

    package let dbPool: DatabasePool
    package let path: String

    package init(directory: URL) throws(NoProofError) {
        let path = directory.appendingPathComponent(Self.fileName).path
        do {
            dbPool = try DurableDatabasePool.open(
                directory: directory, fileName: Self.fileName, label: "NoProofOversightStore",
                migrator: Self.migrator())
            self.path = path
        } catch {
            throw NoProofError(.unavailable, "cannot open the oversight database at \(path): \(error)")
        }
    }

    package func close() throws(NoProofError) {
        do { try dbPool.close() } catch { throw Self.wrap(error) }
    }

    /// `PRAGMA synchronous` of the writer: 2 (FULL).
    package func synchronousLevel() throws -> Int {
        try dbPool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE commitment (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        holder_id TEXT NOT NULL,
                        case_reference TEXT NOT NULL,
                        proof_type TEXT NOT NULL,
                        recorded_at REAL NOT NULL,
                        check_due_at REAL NOT NULL,
                        check_outcome TEXT CHECK (check_outcome IN ('confirmed', 'found_false')),
                        checked_at REAL,
                        document TEXT NOT NULL,
                        UNIQUE (unit, case_reference, proof_type, holder_id)
                    );
                    CREATE INDEX commitment_recorded ON commitment(unit, recorded_at);
                    CREATE INDEX commitment_due ON commitment(unit, check_due_at);
                    CREATE INDEX commitment_checked ON commitment(unit, check_outcome, checked_at);
                    CREATE INDEX commitment_all_recorded ON commitment(recorded_at);
                    CREATE INDEX commitment_open_due ON commitment(check_due_at) WHERE check_outcome IS NULL;
                    CREATE INDEX commitment_false ON commitment(checked_at) WHERE check_outcome = 'found_false';

                    CREATE TABLE ledger_entry (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        holder_id TEXT NOT NULL,
                        case_reference TEXT NOT NULL,
                        proof_type TEXT NOT NULL,
                        item_code TEXT NOT NULL,
                        recorded_at REAL NOT NULL,
                        not_to_ask INTEGER NOT NULL,
                        document TEXT NOT NULL,
                        UNIQUE (unit, case_reference, proof_type, holder_id, item_code)
                    );
                    CREATE INDEX ledger_recorded ON ledger_entry(unit, recorded_at);
                    CREATE INDEX ledger_not_to_ask ON ledger_entry(unit, not_to_ask, recorded_at);
                    CREATE INDEX ledger_all_recorded ON ledger_entry(recorded_at);

                    CREATE TABLE mismatch_case (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        issuing_unit TEXT NOT NULL,
                        case_reference TEXT NOT NULL,
                        proof_type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        opened_at REAL NOT NULL,
                        resolved_at REAL,
                        appeal_filed_at REAL,
                        appeal_decided_at REAL,
                        document TEXT NOT NULL,
                        UNIQUE (unit, case_reference, proof_type)
                    );
                    CREATE INDEX mismatch_opened ON mismatch_case(unit, opened_at);
                    CREATE INDEX mismatch_issuing ON mismatch_case(issuing_unit, opened_at);
                    CREATE INDEX mismatch_resolved ON mismatch_case(unit, resolved_at);
                    CREATE INDEX mismatch_appealed ON mismatch_case(unit, appeal_filed_at);
                    CREATE INDEX mismatch_appeal_decided ON mismatch_case(unit, appeal_decided_at);
                    CREATE INDEX mismatch_all_opened ON mismatch_case(opened_at);

                    CREATE TABLE complaint (
                        id TEXT PRIMARY KEY NOT NULL,
                        channel TEXT NOT NULL,
                        channel_reference TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        breach_type TEXT NOT NULL,
                        status TEXT NOT NULL,
                        routed_to TEXT,
                        registered_at REAL NOT NULL,
                        document TEXT NOT NULL,
                        UNIQUE (channel, channel_reference)
                    );
                    CREATE INDEX complaint_unit ON complaint(unit, registered_at, breach_type);
                    CREATE INDEX complaint_routed ON complaint(routed_to, registered_at);
                    CREATE INDEX complaint_status ON complaint(status, registered_at);
                    CREATE INDEX complaint_all ON complaint(registered_at);
                    """)
        }
        migrator.registerMigration("v2: flag exemptions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE flag_exemption (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        flag TEXT NOT NULL,
                        from_day INTEGER NOT NULL,
                        through_day INTEGER NOT NULL,
                        granted_at REAL NOT NULL,
                        document TEXT NOT NULL,
                        UNIQUE (unit, flag, from_day, through_day)
                    );
                    CREATE INDEX flag_exemption_unit ON flag_exemption(unit, from_day);
                    """)
        }
        // A proof the item does not list at all is not one "the list says not to ask for" (the
        // list says nothing about it): entries recorded before this rule are corrected.
        migrator.registerMigration("v3: unlisted ledger proofs") { db in
            try db.execute(
                sql: """
                    UPDATE ledger_entry SET not_to_ask = 0, document = json_set(document, '$.notToBeAskedFor', json('false'))
                    WHERE not_to_ask = 1 AND json_extract(document, '$.listedMethod') = 'not_listed'
                    """)
        }
        // Commitments with memory and correction notices (issue 16).
        migrator.registerMigration("v4: false commitments by holder, correction notices") { db in
            try db.execute(
                sql: """
                    CREATE INDEX commitment_holder_false ON commitment(holder_id, checked_at) WHERE check_outcome = 'found_false';
                    CREATE TABLE correction_notice (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit TEXT NOT NULL,
                        mismatch_id TEXT NOT NULL,
                        noticed_at REAL NOT NULL,
                        document TEXT NOT NULL,
                        UNIQUE (unit, mismatch_id)
                    );
                    CREATE INDEX correction_notice_unit ON correction_notice(unit, noticed_at);
                    CREATE INDEX correction_notice_all ON correction_notice(noticed_at);
                    """)
        }
        return migrator
    }

    // MARK: Documents

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    private static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func time(_ date: Date?) -> Double? { date?.timeIntervalSince1970 }

    static func wrap(_ error: any Error) -> NoProofError {
        if let error = error as? NoProofError { return error }
        return NoProofError(.unavailable, "the oversight store could not be read or written; retry (oversight store failure: \(error))", cause: error)
    }

    private func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.write(body) } catch { throw Self.wrap(error) }
    }

    private func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.read(body) } catch { throw Self.wrap(error) }
    }

    private static func limit(_ limit: Int) -> Int { max(1, min(limit, 10_000)) }

    // MARK: Commitments

    private static func save(_ c: Commitment, _ db: Database, insert: Bool) throws {
        let document = try encode(c)
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO commitment (id, unit, holder_id, case_reference, proof_type, recorded_at, check_due_at, check_outcome, checked_at, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.id, c.unit, c.holderID, c.caseReference, c.proofType, time(c.recordedAt), time(c.checkDueAt),
                    c.checkOutcome?.rawValue, time(c.checkedAt), document,
                ])
        } else {
            try db.execute(
                sql: "UPDATE commitment SET check_outcome = ?, checked_at = ?, document = ? WHERE id = ?",
                arguments: [c.checkOutcome?.rawValue, time(c.checkedAt), document, c.id])
        }
    }

    package func insertCommitment(_ commitment: Commitment) async throws(NoProofError) -> (record: Commitment, created: Bool) {
        try await write { db in
            if let existing = try String.fetchOne(
                db,
                sql: """
                    SELECT document FROM commitment WHERE unit = ? AND case_reference = ? AND proof_type = ? AND holder_id = ?
                    """, arguments: [commitment.unit, commitment.caseReference, commitment.proofType, commitment.holderID])
            {
                return (try Self.decode(Commitment.self, existing), false)
            }
            try Self.save(commitment, db, insert: true)
            return (commitment, true)
        }
    }

    package func commitment(id: String) async throws(NoProofError) -> Commitment? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT document FROM commitment WHERE id = ?", arguments: [id]).map { try Self.decode(Commitment.self, $0) }
        }
    }

    package func updateCommitment(id: String, _ body: @Sendable (inout Commitment) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Commitment, changed: Bool)
    {
        do {
            return try await dbPool.write { db in
                guard let text = try String.fetchOne(db, sql: "SELECT document FROM commitment WHERE id = ?", arguments: [id]) else {
                    throw NoProofError(.notFound, "no commitment \(id)")
                }
                var record = try Self.decode(Commitment.self, text)
                let changed = try body(&record)
                if changed { try Self.save(record, db, insert: false) }
                return (record, changed)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func falseCommitments(holder: String, limit: Int) async throws(NoProofError) -> [Commitment] {
        let bound = Self.limit(limit)
        return try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT document FROM commitment WHERE holder_id = ? AND check_outcome = 'found_false' ORDER BY checked_at DESC, id LIMIT ?
                    """, arguments: [holder, bound]
            ).map { try Self.decode(Commitment.self, $0) }
        }
    }

    package func commitments(unit: String?, filter: CommitmentFilter, limit: Int) async throws(NoProofError) -> [Commitment] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let unit {
            conditions.append("unit = ?")
            arguments.append(unit)
        }
        var order = "recorded_at DESC, id"
        switch filter {
        case .all: break
        case .unchecked:
            conditions.append("check_outcome IS NULL")
            order = "check_due_at, id"
        case .overdue(let asOf):
            conditions.append("check_outcome IS NULL AND check_due_at <= ?")
            arguments.append(asOf.timeIntervalSince1970)
            order = "check_due_at, id"
        case .foundFalse:
            conditions.append("check_outcome = 'found_false'")
            order = "checked_at DESC, id"
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(Self.limit(limit))
        let sql = "SELECT document FROM commitment \(whereClause) ORDER BY \(order) LIMIT ?"
        let bound = StatementArguments(arguments)
        return try await read { db in try String.fetchAll(db, sql: sql, arguments: bound).map { try Self.decode(Commitment.self, $0) } }
    }

    // MARK: Ledger

    package func insertLedgerEntry(_ entry: LedgerEntry) async throws(NoProofError) -> (record: LedgerEntry, created: Bool) {
        try await write { db in
            if let existing = try String.fetchOne(
                db,
                sql: """
                    SELECT document FROM ledger_entry WHERE unit = ? AND case_reference = ? AND proof_type = ? AND holder_id = ? AND item_code = ?
                    """, arguments: [entry.unit, entry.caseReference, entry.proofType, entry.holderID, entry.itemCode])
            {
                return (try Self.decode(LedgerEntry.self, existing), false)
            }
            try db.execute(
                sql: """
                    INSERT INTO ledger_entry (id, unit, holder_id, case_reference, proof_type, item_code, recorded_at, not_to_ask, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.id, entry.unit, entry.holderID, entry.caseReference, entry.proofType, entry.itemCode,
                    entry.recordedAt.timeIntervalSince1970, entry.notToBeAskedFor ? 1 : 0, try Self.encode(entry),
                ])
            return (entry, true)
        }
    }

    package func ledgerEntries(unit: String?, from: Date?, to: Date?, limit: Int) async throws(NoProofError) -> [LedgerEntry] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let unit {
            conditions.append("unit = ?")
            arguments.append(unit)
        }
        if let from {
            conditions.append("recorded_at >= ?")
            arguments.append(from.timeIntervalSince1970)
        }
        if let to {
            conditions.append("recorded_at < ?")
            arguments.append(to.timeIntervalSince1970)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(Self.limit(limit))
        let sql = "SELECT document FROM ledger_entry \(whereClause) ORDER BY recorded_at, id LIMIT ?"
        let bound = StatementArguments(arguments)
        return try await read { db in try String.fetchAll(db, sql: sql, arguments: bound).map { try Self.decode(LedgerEntry.self, $0) } }
    }

    // MARK: Mismatches

    private static func save(_ m: MismatchCase, _ db: Database, insert: Bool) throws {
        let document = try encode(m)
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO mismatch_case (id, unit, issuing_unit, case_reference, proof_type, status, opened_at, resolved_at,
                                               appeal_filed_at, appeal_decided_at, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    m.id, m.unit, m.issuingUnit, m.caseReference, m.proofType, m.status.rawValue, time(m.openedAt),
                    time(m.resolvedAt), time(m.appealFiledAt), time(m.appealDecidedAt), document,
                ])
        } else {
            try db.execute(
                sql: """
                    UPDATE mismatch_case SET status = ?, resolved_at = ?, appeal_filed_at = ?, appeal_decided_at = ?, document = ? WHERE id = ?
                    """, arguments: [m.status.rawValue, time(m.resolvedAt), time(m.appealFiledAt), time(m.appealDecidedAt), document, m.id])
        }
    }

    package func insertMismatch(_ mismatch: MismatchCase) async throws(NoProofError) -> (record: MismatchCase, created: Bool) {
        try await write { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT document FROM mismatch_case WHERE unit = ? AND case_reference = ? AND proof_type = ?",
                arguments: [mismatch.unit, mismatch.caseReference, mismatch.proofType])
            {
                return (try Self.decode(MismatchCase.self, existing), false)
            }
            try Self.save(mismatch, db, insert: true)
            return (mismatch, true)
        }
    }

    package func mismatch(id: String) async throws(NoProofError) -> MismatchCase? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT document FROM mismatch_case WHERE id = ?", arguments: [id]).map { try Self.decode(MismatchCase.self, $0) }
        }
    }

    package func updateMismatch(id: String, _ body: @Sendable (inout MismatchCase) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: MismatchCase, changed: Bool)
    {
        do {
            return try await dbPool.write { db in
                guard let text = try String.fetchOne(db, sql: "SELECT document FROM mismatch_case WHERE id = ?", arguments: [id]) else {
                    throw NoProofError(.notFound, "no mismatch case \(id)")
                }
                var record = try Self.decode(MismatchCase.self, text)
                let changed = try body(&record)
                if changed { try Self.save(record, db, insert: false) }
                return (record, changed)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func mismatches(unit: String?, limit: Int) async throws(NoProofError) -> [MismatchCase] {
        let bounded = Self.limit(limit)
        return try await read { db in
            let texts: [String]
            if let unit {
                texts = try String.fetchAll(
                    db,
                    sql: """
                        SELECT document FROM (
                            SELECT id, opened_at, document FROM mismatch_case WHERE unit = ?
                            UNION SELECT id, opened_at, document FROM mismatch_case WHERE issuing_unit = ?
                        ) ORDER BY opened_at DESC, id LIMIT ?
                        """, arguments: [unit, unit, bounded])
            } else {
                texts = try String.fetchAll(db, sql: "SELECT document FROM mismatch_case ORDER BY opened_at DESC, id LIMIT ?", arguments: [bounded])
            }
            return try texts.map { try Self.decode(MismatchCase.self, $0) }
        }
    }

    // MARK: Complaints

    private static func save(_ c: Complaint, _ db: Database, insert: Bool) throws {
        let document = try encode(c)
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO complaint (id, channel, channel_reference, unit, breach_type, status, routed_to, registered_at, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.id, c.channel.rawValue, c.channelReference, c.unit, c.breachType.rawValue, c.status.rawValue, c.routedTo,
                    time(c.registeredAt), document,
                ])
        } else {
            try db.execute(
                sql: "UPDATE complaint SET status = ?, routed_to = ?, document = ? WHERE id = ?",
                arguments: [c.status.rawValue, c.routedTo, document, c.id])
        }
    }

    package func insertComplaint(_ complaint: Complaint) async throws(NoProofError) -> (record: Complaint, created: Bool) {
        try await write { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT document FROM complaint WHERE channel = ? AND channel_reference = ?",
                arguments: [complaint.channel.rawValue, complaint.channelReference])
            {
                return (try Self.decode(Complaint.self, existing), false)
            }
            try Self.save(complaint, db, insert: true)
            return (complaint, true)
        }
    }

    package func complaint(id: String) async throws(NoProofError) -> Complaint? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT document FROM complaint WHERE id = ?", arguments: [id]).map { try Self.decode(Complaint.self, $0) }
        }
    }

    package func updateComplaint(id: String, _ body: @Sendable (inout Complaint) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (record: Complaint, changed: Bool)
    {
        do {
            return try await dbPool.write { db in
                guard let text = try String.fetchOne(db, sql: "SELECT document FROM complaint WHERE id = ?", arguments: [id]) else {
                    throw NoProofError(.notFound, "no complaint \(id)")
                }
                var record = try Self.decode(Complaint.self, text)
                let changed = try body(&record)
                if changed { try Self.save(record, db, insert: false) }
                return (record, changed)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func complaints(routedTo unit: String?, status: ComplaintStatus?, limit: Int) async throws(NoProofError) -> [Complaint] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let unit {
            conditions.append("routed_to = ?")
            arguments.append(unit)
        }
        if let status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(Self.limit(limit))
        let sql = "SELECT document FROM complaint \(whereClause) ORDER BY registered_at DESC, id LIMIT ?"
        let bound = StatementArguments(arguments)
        return try await read { db in try String.fetchAll(db, sql: sql, arguments: bound).map { try Self.decode(Complaint.self, $0) } }
    }

    // MARK: Correction notices (issue 16)

    package func insertCorrectionNotices(_ notices: [CorrectionNotice]) async throws(NoProofError) {
        let documents = try Self.run { try notices.map { ($0, try Self.encode($0)) } }
        try await write { db in
            for (notice, document) in documents {
                try db.execute(
                    sql: """
                        INSERT INTO correction_notice (id, unit, mismatch_id, noticed_at, document) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (unit, mismatch_id) DO NOTHING
                        """, arguments: [notice.id, notice.unit, notice.mismatchID, notice.noticedAt.timeIntervalSince1970, document])
            }
        }
    }

    package func correctionNotices(unit: String?, limit: Int) async throws(NoProofError) -> [CorrectionNotice] {
        var sql = "SELECT document FROM correction_notice"
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let unit {
            sql += " WHERE unit = ?"
            arguments.append(unit)
        }
        sql += " ORDER BY noticed_at DESC, id LIMIT ?"
        arguments.append(Self.limit(limit))
        let (query, bound) = (sql, StatementArguments(arguments))
        return try await read { db in try String.fetchAll(db, sql: query, arguments: bound).map { try Self.decode(CorrectionNotice.self, $0) } }
    }

    private static func run<T>(_ body: () throws -> T) throws(NoProofError) -> T {
        do { return try body() } catch { throw wrap(error) }
    }

    // MARK: Exemptions (Art. 17)

    package func insertExemption(_ exemption: FlagExemption) async throws(NoProofError) -> (record: FlagExemption, created: Bool) {
        try await write { db in
            if let existing = try String.fetchOne(
                db,
                sql: """
                    SELECT document FROM flag_exemption WHERE unit = ? AND flag = ? AND from_day = ? AND through_day = ?
                    """, arguments: [exemption.unit, exemption.flag, exemption.from.daysSinceEpoch, exemption.through.daysSinceEpoch])
            {
                return (try Self.decode(FlagExemption.self, existing), false)
            }
            try db.execute(
                sql: """
                    INSERT INTO flag_exemption (id, unit, flag, from_day, through_day, granted_at, document) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    exemption.id, exemption.unit, exemption.flag, exemption.from.daysSinceEpoch, exemption.through.daysSinceEpoch,
                    exemption.grantedAt.timeIntervalSince1970, try Self.encode(exemption),
                ])
            return (exemption, true)
        }
    }

    package func exemptions(unit: String?, from: CivilDate, through: CivilDate) async throws(NoProofError) -> [FlagExemption] {
        var sql = "SELECT document FROM flag_exemption WHERE from_day <= ? AND through_day >= ?"
        var arguments: [(any DatabaseValueConvertible)?] = [through.daysSinceEpoch, from.daysSinceEpoch]
        if let unit {
            sql += " AND unit = ?"
            arguments.append(unit)
        }
        let query = sql + " ORDER BY granted_at, id LIMIT 10000"
        let bound = StatementArguments(arguments)
        return try await read { db in try String.fetchAll(db, sql: query, arguments: bound).map { try Self.decode(FlagExemption.self, $0) } }
    }

    // MARK: Counts

    /// The SQL of each figure of `counts`; each filters on an index prefix (unit, time range).
    static let countQueries: [(name: String, sql: String)] = [
        ("commitmentsRecorded", "SELECT COUNT(*) FROM commitment WHERE unit = :unit AND recorded_at >= :from AND recorded_at < :to"),
        ("checksConfirmed", "SELECT COUNT(*) FROM commitment WHERE unit = :unit AND check_outcome = 'confirmed' AND checked_at >= :from AND checked_at < :to"),
        (
            "checksFoundFalse",
            "SELECT COUNT(*) FROM commitment WHERE unit = :unit AND check_outcome = 'found_false' AND checked_at >= :from AND checked_at < :to"
        ),
        (
            "checksOverdue",
            """
            SELECT COUNT(*) FROM commitment WHERE unit = :unit AND check_due_at >= :from AND check_due_at < :to AND check_due_at <= :asOf
              AND (checked_at IS NULL OR checked_at > check_due_at)
            """
        ),
        ("ledgerEntries", "SELECT COUNT(*) FROM ledger_entry WHERE unit = :unit AND recorded_at >= :from AND recorded_at < :to"),
        (
            "ledgerEntriesNotToBeAskedFor",
            "SELECT COUNT(*) FROM ledger_entry WHERE unit = :unit AND not_to_ask = 1 AND recorded_at >= :from AND recorded_at < :to"
        ),
        ("mismatchesOpened", "SELECT COUNT(*) FROM mismatch_case WHERE unit = :unit AND opened_at >= :from AND opened_at < :to"),
        ("mismatchesResolved", "SELECT COUNT(*) FROM mismatch_case WHERE unit = :unit AND resolved_at >= :from AND resolved_at < :to"),
        ("appealsFiled", "SELECT COUNT(*) FROM mismatch_case WHERE unit = :unit AND appeal_filed_at >= :from AND appeal_filed_at < :to"),
        ("appealsDecided", "SELECT COUNT(*) FROM mismatch_case WHERE unit = :unit AND appeal_decided_at >= :from AND appeal_decided_at < :to"),
    ]

    static let complaintCountQuery = """
        SELECT breach_type, COUNT(*) FROM complaint WHERE unit = :unit AND registered_at >= :from AND registered_at < :to GROUP BY breach_type
        """

    package func counts(unit: String, from: Date, to: Date, asOf: Date) async throws(NoProofError) -> OversightCounts {
        let arguments: StatementArguments = [
            "unit": unit, "from": from.timeIntervalSince1970, "to": to.timeIntervalSince1970,
            "asOf": asOf.timeIntervalSince1970,
        ]
        return try await read { db in
            var counts = OversightCounts()
            for (name, sql) in Self.countQueries {
                let value = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
                switch name {
                case "commitmentsRecorded": counts.commitmentsRecorded = value
                case "checksConfirmed": counts.checksConfirmed = value
                case "checksFoundFalse": counts.checksFoundFalse = value
                case "checksOverdue": counts.checksOverdue = value
                case "ledgerEntries": counts.ledgerEntries = value
                case "ledgerEntriesNotToBeAskedFor": counts.ledgerEntriesNotToBeAskedFor = value
                case "mismatchesOpened": counts.mismatchesOpened = value
                case "mismatchesResolved": counts.mismatchesResolved = value
                case "appealsFiled": counts.appealsFiled = value
                default: counts.appealsDecided = value
                }
            }
            for row in try Row.fetchAll(db, sql: Self.complaintCountQuery, arguments: arguments) {
                let type: String = row[0]
                if let breach = BreachType(rawValue: type) { counts.complaintsByBreach[breach] = row[1] }
            }
            return counts
        }
    }

    /// The query plans of the count queries (tests check they search an index, never scan a table).
    package func countPlans() throws -> [String] {
        let arguments: StatementArguments = ["unit": "U", "from": 0.0, "to": 1.0, "asOf": 1.0]
        return try dbPool.read { db in
            try (Self.countQueries.map(\.sql) + [Self.complaintCountQuery]).map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
    }
}
