import Foundation
import Logging
package import NoProofDomain
package import NoProofImport
package import NoProofLicenceStore
import PostgresNIO

/// The licence store on PostgreSQL (issue 18): the same semantics as `SQLiteLicenceStore` — versions
/// kept, status changes recorded, idempotent `importBatch`, keyset paging, the same errors and
/// messages — in the tables of its `PostgresStoreDatabase`'s schema.
///
/// Schema (migration `licences v1`): `licence_type`; `licence` (current versions, primary key `id`,
/// index on `(holder_key, type_code)`); `licence_version` (superseded versions, primary key
/// `(id, version)`: two writers can never both archive the same version); `licence_status_change`.
/// Identifiers and type codes sort bytewise (`COLLATE "C"`), as in SQLite, whatever the database's
/// collation. Timestamps are the database's transaction time, read back as
/// `2025-06-30T08:15:00.123Z`.
///
/// Concurrency: each write is one transaction; a write to an existing licence first locks its row
/// (`SELECT … FOR UPDATE`), so concurrent amendments, status changes and imports of one licence from
/// any number of clients are serialised and each sees the other's result. `importBatch` takes its
/// rows' locks in identifier order, so two batches cannot deadlock on each other.
package final class PostgresLicenceStore: LicenceStore {
    /// The database and schema the store lives in.
    package let database: PostgresStoreDatabase

    /// The schema migrations of this store.
    static let migrator = PostgresMigrator([
        .init(
            "licences v1",
            [
                """
                CREATE TABLE licence_type (
                    code TEXT COLLATE "C" PRIMARY KEY,
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    issuer_name TEXT NOT NULL,
                    issuer_code TEXT NOT NULL,
                    holder_kinds TEXT NOT NULL,
                    fields_json TEXT NOT NULL,
                    connected BOOLEAN NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE licence (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    type_code TEXT COLLATE "C" NOT NULL REFERENCES licence_type(code),
                    holder_key TEXT NOT NULL,
                    holder_name TEXT NOT NULL,
                    issuer_name TEXT NOT NULL,
                    issuer_code TEXT NOT NULL,
                    issue_date TEXT NOT NULL,
                    valid_from TEXT NOT NULL,
                    valid_to TEXT,
                    status TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked', 'expired')),
                    version BIGINT NOT NULL CHECK (version >= 1),
                    fields_json TEXT NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX licence_by_holder_type ON licence (holder_key, type_code)",
                """
                CREATE TABLE licence_version (
                    id TEXT COLLATE "C" NOT NULL,
                    version BIGINT NOT NULL,
                    holder_key TEXT NOT NULL,
                    holder_name TEXT NOT NULL,
                    issuer_name TEXT NOT NULL,
                    issue_date TEXT NOT NULL,
                    valid_from TEXT NOT NULL,
                    valid_to TEXT,
                    status TEXT NOT NULL,
                    fields_json TEXT NOT NULL,
                    superseded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    change_reason TEXT NOT NULL,
                    changed_by TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (id, version)
                )
                """,
                """
                CREATE TABLE licence_status_change (
                    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    licence_id TEXT COLLATE "C" NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    changed_by TEXT NOT NULL DEFAULT ''
                )
                """,
                "CREATE INDEX licence_status_change_by_licence ON licence_status_change (licence_id)",
            ]),
        changeFeedMigration,
    ])

    private init(database: PostgresStoreDatabase) {
        self.database = database
    }

    /// Opens the store in `database`'s schema, creating or migrating its tables first.
    /// - Throws: `.unavailable` when PostgreSQL cannot be reached or refuses the migration.
    package static func open(_ database: PostgresStoreDatabase) async throws(NoProofError) -> PostgresLicenceStore {
        try await migrator.migrate(database)
        return PostgresLicenceStore(database: database)
    }

    var logger: Logger { database.logger }

    // MARK: - Rows

    /// The columns of a licence row, in `licenceColumns` order.
    typealias LicenceRow = (String, String, String, String, String, String, String?, String, Int, String)

    static let licenceColumns = "id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json"

    /// Decodes a row selected with `licenceColumns` (same order in `licence_version`).
    static func decodeLicence(_ row: LicenceRow) throws(NoProofError) -> Licence {
        let idText = row.0
        do {
            // Validated when written; not re-validated on every read (see `LicenceIdentifier.fromStore`).
            let id = try LicenceIdentifier.fromStore(idText)
            guard let fields = CanonicalJSON.parseObject(row.9) else {
                throw ValidationError(field: "fields_json", reason: "not a JSON object of strings")
            }
            return Licence(
                id: id,
                holder: try Holder.parse(row.1),
                holderName: row.2,
                issuerName: row.3,
                issueDate: try CivilDate.parse(row.4, field: "issue_date"),
                validFrom: try CivilDate.parse(row.5, field: "valid_from"),
                validTo: try row.6.map { text throws(ValidationError) in try CivilDate.parse(text, field: "valid_to") },
                status: try LicenceStatus.parse(row.7),
                version: row.8,
                fields: fields)
        } catch {
            throw NoProofError(.unavailable, "stored licence \(idText) is unreadable: \(error)")
        }
    }

    /// Whether the stored row has exactly `licence`'s content (compared in stored form, as SQLite does).
    static func isUnchanged(_ row: LicenceRow, _ licence: Licence) -> Bool {
        row.1 == licence.holder.key && row.2 == licence.holderName && row.3 == licence.issuerName
            && row.4 == licence.issueDate.description && row.5 == licence.validFrom.description
            && row.6 == licence.validTo?.description && row.7 == licence.status.rawValue
            && row.9 == licence.canonicalFieldsJSON
    }

    /// The current row of `id`, locked until the end of the transaction when `forUpdate`.
    static func fetchCurrentRow(
        _ connection: PostgresConnection, _ id: LicenceIdentifier, forUpdate: Bool,
        logger: Logger
    ) async throws -> LicenceRow? {
        let query: PostgresQuery =
            forUpdate
            ? "SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json FROM licence WHERE id = \(id.description) FOR UPDATE"
            : "SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json FROM licence WHERE id = \(id.description)"
        for try await row in try await connection.query(query, logger: logger) {
            return try licenceRow(row)
        }
        return nil
    }

    static func fetchCurrent(
        _ connection: PostgresConnection, _ id: LicenceIdentifier, forUpdate: Bool,
        logger: Logger
    ) async throws -> Licence? {
        guard let row = try await fetchCurrentRow(connection, id, forUpdate: forUpdate, logger: logger) else { return nil }
        return try decodeLicence(row)
    }

    static func decodeLicences(_ rows: PostgresRowSequence) async throws -> [Licence] {
        var result: [Licence] = []
        for try await row in rows {
            result.append(try licence(row))
        }
        return result
    }

    /// Inserts `licence` unless its identifier exists; returns whether a row was inserted.
    static func insertCurrentIfAbsent(_ connection: PostgresConnection, _ licence: Licence, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO licence (id, type_code, holder_key, holder_name, issuer_name, issuer_code, issue_date,
                                 valid_from, valid_to, status, version, fields_json)
            VALUES (\(licence.id.description), \(licence.typeCode), \(licence.holder.key), \(licence.holderName),
                    \(licence.issuerName), \(licence.issuerCode.value), \(licence.issueDate.description),
                    \(licence.validFrom.description), \(licence.validTo?.description), \(licence.status.rawValue),
                    \(licence.version), \(licence.canonicalFieldsJSON))
            ON CONFLICT (id) DO NOTHING
            RETURNING version
            """, logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        return inserted
    }

    static func replaceCurrent(_ connection: PostgresConnection, _ licence: Licence, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE licence SET holder_key = \(licence.holder.key), holder_name = \(licence.holderName),
                issuer_name = \(licence.issuerName), issue_date = \(licence.issueDate.description),
                valid_from = \(licence.validFrom.description), valid_to = \(licence.validTo?.description),
                status = \(licence.status.rawValue), version = \(licence.version),
                fields_json = \(licence.canonicalFieldsJSON), updated_at = now()
            WHERE id = \(licence.id.description)
            """, logger: logger)
    }

    static func archive(
        _ connection: PostgresConnection, _ licence: Licence, reason: String, actor: String,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO licence_version (id, version, holder_key, holder_name, issuer_name, issue_date, valid_from,
                                         valid_to, status, fields_json, change_reason, changed_by)
            VALUES (\(licence.id.description), \(licence.version), \(licence.holder.key), \(licence.holderName),
                    \(licence.issuerName), \(licence.issueDate.description), \(licence.validFrom.description),
                    \(licence.validTo?.description), \(licence.status.rawValue), \(licence.canonicalFieldsJSON),
                    \(reason), \(actor))
            """, logger: logger)
    }

    static func recordStatusChange(
        _ connection: PostgresConnection, _ id: LicenceIdentifier, from: LicenceStatus,
        to: LicenceStatus, reason: String, actor: String, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO licence_status_change (licence_id, from_status, to_status, reason, changed_by)
            VALUES (\(id.description), \(from.rawValue), \(to.rawValue), \(reason), \(actor))
            """, logger: logger)
    }

    /// A row selected with `licenceColumns` (synchronous: decoding stays out of the async loops).
    static func licenceRow(_ row: PostgresRow) throws -> LicenceRow { try row.decode(LicenceRow.self) }

    /// A licence from a row selected with `licenceColumns`.
    static func licence(_ row: PostgresRow) throws -> Licence { try decodeLicence(licenceRow(row)) }

    /// A licence type row.
    static func typeRow(_ row: PostgresRow) throws -> TypeRow { try row.decode(TypeRow.self) }

    /// `licence` in stored form (a `LicenceRow`).
    static func row(of licence: Licence) -> LicenceRow {
        (
            licence.id.description, licence.holder.key, licence.holderName, licence.issuerName, licence.issueDate.description,
            licence.validFrom.description, licence.validTo?.description, licence.status.rawValue, licence.version,
            licence.canonicalFieldsJSON
        )
    }

    /// The current rows of `ids` (sorted), locked in that order until the end of the transaction.
    static func lockCurrentRows(_ connection: PostgresConnection, _ ids: [String], logger: Logger) async throws -> [LicenceRow] {
        var rows: [LicenceRow] = []
        for try await row in try await connection.query(
            """
            SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
            FROM licence WHERE id = ANY(\(ids)::text[]) ORDER BY id FOR UPDATE
            """, logger: logger)
        {
            rows.append(try licenceRow(row))
        }
        return rows
    }

    /// Inserts the licences (distinct identifiers, version 1) whose identifiers are absent, in
    /// identifier order; returns the identifiers inserted.
    static func insertIfAbsent(_ connection: PostgresConnection, _ licences: [Licence], logger: Logger) async throws -> Set<String> {
        if licences.isEmpty { return [] }
        var inserted = Set<String>()
        for try await id in try await connection.query(
            """
            INSERT INTO licence (id, type_code, holder_key, holder_name, issuer_name, issuer_code, issue_date,
                                 valid_from, valid_to, status, version, fields_json)
            SELECT u.id, u.type_code, u.holder_key, u.holder_name, u.issuer_name, u.issuer_code, u.issue_date,
                   u.valid_from, NULLIF(u.valid_to, ''), u.status, 1, u.fields_json
            FROM unnest(\(licences.map(\.id.description))::text[], \(licences.map(\.typeCode))::text[],
                        \(licences.map(\.holder.key))::text[], \(licences.map(\.holderName))::text[],
                        \(licences.map(\.issuerName))::text[], \(licences.map(\.issuerCode.value))::text[],
                        \(licences.map(\.issueDate.description))::text[], \(licences.map(\.validFrom.description))::text[],
                        \(licences.map { $0.validTo?.description ?? "" })::text[], \(licences.map(\.status.rawValue))::text[],
                        \(licences.map(\.canonicalFieldsJSON))::text[])
                 AS u(id, type_code, holder_key, holder_name, issuer_name, issuer_code, issue_date, valid_from, valid_to, status, fields_json)
            ORDER BY u.id
            ON CONFLICT (id) DO NOTHING
            RETURNING id
            """, logger: logger
        ).decode(String.self) {
            inserted.insert(id)
        }
        return inserted
    }

    /// Archives the versions (superseded now, for `reason`), in one statement.
    static func archive(
        _ connection: PostgresConnection, _ licences: [Licence], reason: String, actor: String,
        logger: Logger
    ) async throws {
        if licences.isEmpty { return }
        try await connection.query(
            """
            INSERT INTO licence_version (id, version, holder_key, holder_name, issuer_name, issue_date, valid_from,
                                         valid_to, status, fields_json, change_reason, changed_by)
            SELECT u.id, u.version, u.holder_key, u.holder_name, u.issuer_name, u.issue_date, u.valid_from,
                   NULLIF(u.valid_to, ''), u.status, u.fields_json, \(reason), \(actor)
            FROM unnest(\(licences.map(\.id.description))::text[], \(licences.map(\.version))::int8[],
                        \(licences.map(\.holder.key))::text[], \(licences.map(\.holderName))::text[],
                        \(licences.map(\.issuerName))::text[], \(licences.map(\.issueDate.description))::text[],
                        \(licences.map(\.validFrom.description))::text[], \(licences.map { $0.validTo?.description ?? "" })::text[],
                        \(licences.map(\.status.rawValue))::text[], \(licences.map(\.canonicalFieldsJSON))::text[])
                 AS u(id, version, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, fields_json)
            """, logger: logger)
    }

    /// Replaces the current rows of the licences (distinct identifiers, rows already locked), in one statement.
    static func replaceCurrent(_ connection: PostgresConnection, _ licences: [Licence], logger: Logger) async throws {
        if licences.isEmpty { return }
        try await connection.query(
            """
            UPDATE licence SET holder_key = u.holder_key, holder_name = u.holder_name, issuer_name = u.issuer_name,
                issue_date = u.issue_date, valid_from = u.valid_from, valid_to = NULLIF(u.valid_to, ''),
                status = u.status, version = u.version, fields_json = u.fields_json, updated_at = now()
            FROM unnest(\(licences.map(\.id.description))::text[], \(licences.map(\.holder.key))::text[],
                        \(licences.map(\.holderName))::text[], \(licences.map(\.issuerName))::text[],
                        \(licences.map(\.issueDate.description))::text[], \(licences.map(\.validFrom.description))::text[],
                        \(licences.map { $0.validTo?.description ?? "" })::text[], \(licences.map(\.status.rawValue))::text[],
                        \(licences.map(\.version))::int8[], \(licences.map(\.canonicalFieldsJSON))::text[])
                 AS u(id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json)
            WHERE licence.id = u.id
            """, logger: logger)
    }

    /// Records the status changes, in their order, in one statement.
    static func recordStatusChanges(
        _ connection: PostgresConnection, _ changes: [(id: String, from: LicenceStatus, to: LicenceStatus)],
        reason: String, actor: String, logger: Logger
    ) async throws {
        if changes.isEmpty { return }
        try await connection.query(
            """
            INSERT INTO licence_status_change (licence_id, from_status, to_status, reason, changed_by)
            SELECT u.id, u.from_status, u.to_status, \(reason), \(actor)
            FROM unnest(\(changes.map(\.id))::text[], \(changes.map(\.from.rawValue))::text[], \(changes.map(\.to.rawValue))::text[])
                 WITH ORDINALITY AS u(id, from_status, to_status, n)
            ORDER BY u.n
            """, logger: logger)
    }

    typealias TypeRow = (String, String, String, String, String, String, String, Bool)

    static func fetchTypes(_ connection: PostgresConnection, logger: Logger) async throws -> [String: LicenceType] {
        var result: [String: LicenceType] = [:]
        let rows = try await connection.query(
            "SELECT code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected FROM licence_type",
            logger: logger)
        for try await row in rows {
            let type = try decodeType(typeRow(row))
            result[type.code] = type
        }
        return result
    }

    static func decodeType(_ row: TypeRow) throws(NoProofError) -> LicenceType {
        let code = row.0
        do {
            let kinds = try row.5.split(separator: ",").map { part throws(ValidationError) -> HolderKind in
                guard let kind = HolderKind(rawValue: String(part)) else {
                    throw ValidationError(field: "holder_kinds", reason: "unknown holder kind \(part)")
                }
                return kind
            }
            let fields = try JSONDecoder().decode([LicenceFieldDescriptor].self, from: Data(row.6.utf8))
            return LicenceType(
                code: code, nameZh: row.1, nameEn: row.2, issuerName: row.3,
                issuerCode: try UnifiedSocialCreditCode.parse(row.4, field: "issuer_code"),
                holderKinds: kinds, fields: fields, connected: row.7)
        } catch {
            throw NoProofError(.unavailable, "stored licence type \(code) is unreadable: \(error)")
        }
    }

    /// Validates a licence against itself and its (stored) type.
    static func validate(_ licence: Licence, types: [String: LicenceType]) throws(ValidationError) {
        try licence.validate()
        guard let type = types[licence.typeCode] else {
            throw ValidationError(field: "type_code", reason: "unknown licence type \(licence.typeCode)")
        }
        try licence.validate(against: type)
    }

    // MARK: - Licence types

    package func upsertLicenceTypes(_ types: [LicenceType]) async throws(NoProofError) {
        for type in types {
            do { try type.validate() } catch { throw NoProofError.invalid(error) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rows: [(LicenceType, String)] = []
        for type in types {
            do {
                rows.append((type, String(decoding: try encoder.encode(type.fields), as: UTF8.self)))
            } catch { throw NoProofError.licenceStore(error) }
        }
        let prepared = rows
        let logger = self.logger
        try await database.transaction { connection in
            for (type, fieldsJSON) in prepared {
                try await connection.query(
                    """
                    INSERT INTO licence_type (code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected)
                    VALUES (\(type.code), \(type.nameZh), \(type.nameEn), \(type.issuerName), \(type.issuerCode.value),
                            \(type.holderKinds.map(\.rawValue).joined(separator: ",")), \(fieldsJSON), \(type.connected))
                    ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
                        issuer_name = excluded.issuer_name, issuer_code = excluded.issuer_code,
                        holder_kinds = excluded.holder_kinds, fields_json = excluded.fields_json,
                        connected = excluded.connected, updated_at = now()
                    """, logger: logger)
            }
        }
    }

    package func licenceTypes() async throws(NoProofError) -> [LicenceType] {
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.fetchTypes(connection, logger: logger).values.sorted { $0.code < $1.code }
        }
    }

    package func licenceType(code: String) async throws(NoProofError) -> LicenceType? {
        let logger = self.logger
        return try await database.withConnection { connection -> LicenceType? in
            let rows = try await connection.query(
                """
                SELECT code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected
                FROM licence_type WHERE code = \(code)
                """, logger: logger)
            for try await row in rows { return try Self.decodeType(Self.typeRow(row)) }
            return nil
        }
    }

    // MARK: - Writes

    @discardableResult
    package func issue(_ licence: Licence) async throws(NoProofError) -> Licence {
        var stored = licence
        stored.version = 1
        let record = stored
        let logger = self.logger
        return try await database.transaction { connection in
            do {
                try Self.validate(record, types: try await Self.fetchTypes(connection, logger: logger))
            } catch let error as ValidationError {
                throw NoProofError.invalid(error)
            }
            guard try await Self.insertCurrentIfAbsent(connection, record, logger: logger) else {
                throw NoProofError.alreadyExists(record.id)
            }
            try await Self.recordChange(connection, holders: [record.holder.key], logger: logger)
            return record
        }
    }

    @discardableResult
    package func amend(_ id: LicenceIdentifier, changes: LicenceAmendment, reason: String) async throws(NoProofError) -> Licence {
        let actor = LicenceWriteActor.current
        let logger = self.logger
        return try await database.transaction { connection in
            guard let current = try await Self.fetchCurrent(connection, id, forUpdate: true, logger: logger) else {
                throw NoProofError.notFound(id)
            }
            guard current.status != .revoked else {
                throw NoProofError(.conflict, "licence \(id) is revoked and can no longer be amended")
            }
            var next = changes.applied(to: current)
            guard next != current else {
                throw NoProofError.invalid(ValidationError(field: "changes", reason: "the amendment changes nothing"))
            }
            next.version = current.version + 1
            do {
                try Self.validate(next, types: try await Self.fetchTypes(connection, logger: logger))
            } catch let error as ValidationError {
                throw NoProofError.invalid(error)
            }
            try await Self.archive(connection, current, reason: reason, actor: actor, logger: logger)
            try await Self.replaceCurrent(connection, next, logger: logger)
            try await Self.recordChange(connection, holders: [current.holder.key, next.holder.key], logger: logger)
            return next
        }
    }

    /// Moves a licence to `target` when `allowed(current status)`; otherwise a conflict.
    private func changeStatus(_ id: LicenceIdentifier, _ transition: LicenceStatusTransition, reason: String) async throws(NoProofError) -> Licence {
        let target = transition.target
        let actor = LicenceWriteActor.current
        let logger = self.logger
        return try await database.transaction { connection in
            guard var licence = try await Self.fetchCurrent(connection, id, forUpdate: true, logger: logger) else {
                throw NoProofError.notFound(id)
            }
            guard transition.isAllowed(from: licence.status) else {
                throw transition.refusal(id, from: licence.status)
            }
            let previous = licence.status
            licence.status = target
            try await connection.query(
                "UPDATE licence SET status = \(target.rawValue), updated_at = now() WHERE id = \(id.description)", logger: logger)
            try await Self.recordStatusChange(connection, id, from: previous, to: target, reason: reason, actor: actor, logger: logger)
            try await Self.recordChange(connection, holders: [licence.holder.key], logger: logger)
            return licence
        }
    }

    @discardableResult
    package func suspend(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence {
        try await changeStatus(id, .suspend, reason: reason)
    }

    @discardableResult
    package func reinstate(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence {
        try await changeStatus(id, .reinstate, reason: reason)
    }

    @discardableResult
    package func revoke(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence {
        try await changeStatus(id, .revoke, reason: reason)
    }

    /// Imports `licences` in **one** transaction (all of the call or nothing, as in SQLite), in a
    /// handful of statements whatever the batch size: lock the batch's existing rows
    /// (`SELECT … FOR UPDATE`, in identifier order), insert the new identifiers in one statement
    /// (`ON CONFLICT DO NOTHING`: an identifier another batch inserted meanwhile is then locked and
    /// compared like an existing one), decide each row in input order as SQLite does, then write the
    /// archived versions, the new current rows and the status changes, one statement each.
    /// Concurrent batches of the same rows therefore serialise on the row locks: the later one finds
    /// the earlier one's rows and reports them unchanged. A deadlock between two batches (PostgreSQL
    /// detects it and aborts one) is retried.
    package func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome {
        if licences.isEmpty { return ImportOutcome() }
        let actor = LicenceWriteActor.current
        let logger = self.logger
        return try await database.transaction(retryingDeadlocks: true) { connection in
            try await Self.importRows(connection, licences, actor: actor, logger: logger)
        }
    }

    /// The validation error of `licence` against `types`, or nil when it is valid.
    static func validationError(_ licence: Licence, types: [String: LicenceType]) -> ValidationError? {
        do { try validate(licence, types: types) } catch { return error }
        return nil
    }

    /// `importBatch`'s work inside its transaction: the queries; the decisions are `ImportPlan`'s.
    static func importRows(
        _ connection: PostgresConnection, _ licences: [Licence], actor: String,
        logger: Logger
    ) async throws -> ImportOutcome {
        let types = try await fetchTypes(connection, logger: logger)
        var plan = ImportPlan(licences, types: types)
        if plan.ids.isEmpty { return plan.outcome }
        // The rows that exist, locked; then the new identifiers' first rows inserted.
        plan.found(try await lockCurrentRows(connection, plan.ids, logger: logger))
        let candidates = plan.insertionCandidates()
        let inserted = try await insertIfAbsent(connection, candidates, logger: logger)
        let raced = plan.inserted(inserted, of: candidates)
        if !raced.isEmpty {
            plan.found(try await lockCurrentRows(connection, raced, logger: logger))
        }
        try plan.decide()
        try await archive(connection, plan.archived, reason: "import", actor: actor, logger: logger)
        try await replaceCurrent(connection, plan.replacements, logger: logger)
        try await recordStatusChanges(connection, plan.statusChanges, reason: "import", actor: actor, logger: logger)
        // Every holder whose licences the batch inserted or changed (an amendment may move a licence between holders).
        var holders = Set(candidates.lazy.filter { inserted.contains($0.id.description) }.map(\.holder.key))
        holders.formUnion(plan.archived.lazy.map(\.holder.key))
        holders.formUnion(plan.replacements.lazy.map(\.holder.key))
        try await recordChange(connection, holders: holders, logger: logger)
        return plan.outcome
    }

    // MARK: - Reads

    package func licence(byID id: LicenceIdentifier) async throws(NoProofError) -> Licence? {
        let row: LicenceRow?
        do {
            row = try await database.client.execute(CurrentLicenceStatement(id: id.description), logger: logger)
                .first { _ in true }
        } catch {
            throw PostgresStoreDatabase.storeError(error)
        }
        return try row.map(Self.decodeLicence)
    }

    package func licences(holder: Holder, typeCode: String?) async throws(NoProofError) -> [Licence] {
        let logger = self.logger
        return try await database.withConnection { connection in
            if let typeCode {
                return try await Self.decodeLicences(
                    connection.query(
                        """
                        SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                        FROM licence WHERE holder_key = \(holder.key) AND type_code = \(typeCode) ORDER BY id
                        """, logger: logger))
            }
            return try await Self.decodeLicences(
                connection.query(
                    """
                    SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                    FROM licence WHERE holder_key = \(holder.key) ORDER BY type_code, id
                    """, logger: logger))
        }
    }

    package func versions(of id: LicenceIdentifier) async throws(NoProofError) -> [Licence] {
        let logger = self.logger
        // One statement, one snapshot: the archived versions and the current one.
        return try await database.withConnection { connection in
            try await Self.decodeLicences(
                connection.query(
                    """
                    SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                    FROM licence_version WHERE id = \(id.description) AND EXISTS (SELECT 1 FROM licence WHERE id = \(id.description))
                    UNION ALL
                    SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                    FROM licence WHERE id = \(id.description)
                    ORDER BY version
                    """, logger: logger))
        }
    }

    /// Who superseded each archived version of `id` (`licence_version.changed_by`), by version.
    package func versionWriters(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: String] {
        let logger = self.logger
        return try await database.withConnection { connection in
            var writers: [Int: String] = [:]
            for try await (version, writer) in try await connection.query(
                "SELECT version, changed_by FROM licence_version WHERE id = \(id.description)", logger: logger
            ).decode((Int, String).self) {
                writers[version] = writer
            }
            return writers
        }
    }

    /// The format of every timestamp the store returns (`2025-06-30T08:15:00.123Z`).
    static let timestampFormat = #"YYYY-MM-DD"T"HH24:MI:SS.MS"Z""#

    package func supersessions(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: (at: String, reason: String)] {
        let logger = self.logger
        return try await database.withConnection { connection in
            var found: [Int: (at: String, reason: String)] = [:]
            for try await (version, at, reason) in try await connection.query(
                """
                SELECT version, to_char(superseded_at AT TIME ZONE 'UTC', \(Self.timestampFormat)), change_reason
                FROM licence_version WHERE id = \(id.description)
                """, logger: logger
            ).decode((Int, String, String).self) {
                found[version] = (at, reason)
            }
            return found
        }
    }

    package func statusChanges(of id: LicenceIdentifier) async throws(NoProofError) -> [LicenceStatusChange] {
        let logger = self.logger
        return try await database.withConnection { connection in
            var changes: [LicenceStatusChange] = []
            for try await (fromText, toText, reason, at, writer) in try await connection.query(
                """
                SELECT from_status, to_status, reason, to_char(changed_at AT TIME ZONE 'UTC', \(Self.timestampFormat)), changed_by
                FROM licence_status_change WHERE licence_id = \(id.description) ORDER BY seq
                """, logger: logger
            ).decode((String, String, String, String, String).self) {
                guard let from = LicenceStatus(rawValue: fromText), let to = LicenceStatus(rawValue: toText) else {
                    throw NoProofError(.unavailable, "stored status change of \(id) has an unknown status")
                }
                changes.append(LicenceStatusChange(licenceID: id, from: from, to: to, reason: reason, changedAt: at, changedBy: writer))
            }
            return changes
        }
    }

    package func count() async throws(NoProofError) -> Int {
        let logger = self.logger
        return try await database.withConnection { connection in
            for try await count in try await connection.query("SELECT count(*) FROM licence", logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    package func licences(after: LicenceIdentifier?, limit: Int) async throws(NoProofError) -> [Licence] {
        guard limit > 0 else { return [] }
        let logger = self.logger
        return try await database.withConnection { connection in
            if let after {
                return try await Self.decodeLicences(
                    connection.query(
                        """
                        SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                        FROM licence WHERE id > \(after.description) ORDER BY id LIMIT \(limit)
                        """, logger: logger))
            }
            return try await Self.decodeLicences(
                connection.query(
                    """
                    SELECT id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json
                    FROM licence ORDER BY id LIMIT \(limit)
                    """, logger: logger))
        }
    }
}
