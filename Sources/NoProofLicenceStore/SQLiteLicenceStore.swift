package import Foundation
package import GRDB
package import NoProofDomain
import NoProofSQLite
package import NoProofImport

/// The embedded licence store: SQLite through a GRDB `DatabasePool` in WAL mode, with
/// `PRAGMA synchronous=FULL` on every connection (set in `prepareDatabase`, and re-applied to the
/// writer after GRDB's WAL setup lowers it to NORMAL) so that a write acknowledged by any method has
/// been committed and synced — it survives a crash or power cut.
///
/// Schema (migration `v1`): `licence_type`; `licence` (current versions; unique `id`, index on
/// `(holder_key, type_code)` serving lookups by holder and by holder + type); `licence_version`
/// (superseded versions, keyed by `(id, version)`); `licence_status_change` (status history).
/// Migration `v2: who changed` adds `changed_by` (the writer, `LicenceWriteActor`) to the last two.
package final class SQLiteLicenceStore: LicenceStore {
    /// Name of the database file inside the store's directory.
    package static let fileName = "licences.sqlite"
    /// The underlying pool (exposed for diagnostics such as reading pragmas).
    package let dbPool: DatabasePool
    /// Path of the database file.
    package let path: String
    /// The miss path's own read-only connections and prepared statements.
    private let reader: SQLiteLicenceReader

    /// Opens (creating if needed) `directory/licences.sqlite` and migrates it to the latest schema.
    /// - Throws: `NoProofError` `.unavailable` when the directory or database cannot be opened.
    package init(directory: URL) throws(NoProofError) {
        let path = directory.appendingPathComponent(SQLiteLicenceStore.fileName).path
        do {
            let pool = try DurableDatabasePool.open(
                directory: directory, fileName: SQLiteLicenceStore.fileName, label: "NoProofStore",
                migrator: SQLiteLicenceStore.makeMigrator()
            ) { db in
                // Bulk imports touch index pages all over the file: a 64 MiB writer cache, and
                // checkpoints every 16384 pages (64 MiB of WAL) so that a page rewritten by several
                // consecutive import transactions is copied into the database once, not each time.
                try db.execute(sql: "PRAGMA cache_size = -65536")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
            }
            self.dbPool = pool
            self.path = path
        } catch {
            throw NoProofError(.unavailable, "cannot open licence database at \(path): \(error)")
        }
        do throws(NoProofError) {
            reader = try SQLiteLicenceReader(path: path)
        } catch {
            try? dbPool.close()
            throw error
        }
    }

    /// Closes all connections. The store must not be used afterwards.
    package func close() throws(NoProofError) {
        reader.close()
        do { try dbPool.close() } catch { throw NoProofError.licenceStore(error) }
    }

    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE licence_type (
                        code TEXT PRIMARY KEY NOT NULL,
                        name_zh TEXT NOT NULL,
                        name_en TEXT NOT NULL,
                        issuer_name TEXT NOT NULL,
                        issuer_code TEXT NOT NULL,
                        holder_kinds TEXT NOT NULL,
                        fields_json TEXT NOT NULL,
                        connected INTEGER NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE licence (
                        id TEXT PRIMARY KEY NOT NULL,
                        type_code TEXT NOT NULL REFERENCES licence_type(code),
                        holder_key TEXT NOT NULL,
                        holder_name TEXT NOT NULL,
                        issuer_name TEXT NOT NULL,
                        issuer_code TEXT NOT NULL,
                        issue_date TEXT NOT NULL,
                        valid_from TEXT NOT NULL,
                        valid_to TEXT,
                        status TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked', 'expired')),
                        version INTEGER NOT NULL CHECK (version >= 1),
                        fields_json TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX licence_by_holder_type ON licence(holder_key, type_code);
                    CREATE TABLE licence_version (
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        holder_key TEXT NOT NULL,
                        holder_name TEXT NOT NULL,
                        issuer_name TEXT NOT NULL,
                        issue_date TEXT NOT NULL,
                        valid_from TEXT NOT NULL,
                        valid_to TEXT,
                        status TEXT NOT NULL,
                        fields_json TEXT NOT NULL,
                        superseded_at TEXT NOT NULL,
                        change_reason TEXT NOT NULL,
                        PRIMARY KEY (id, version)
                    );
                    CREATE TABLE licence_status_change (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        licence_id TEXT NOT NULL,
                        from_status TEXT NOT NULL,
                        to_status TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        changed_at TEXT NOT NULL
                    );
                    CREATE INDEX licence_status_change_by_licence ON licence_status_change(licence_id);
                    """)
        }
        migrator.registerMigration("v2: who changed") { db in
            // The writer of each superseded version and status change (`LicenceWriteActor`):
            // `UNIT/CREDENTIAL/STAFF` for writes over RPC, empty for offline imports and rows written before v2.
            try db.execute(
                sql: """
                    ALTER TABLE licence_version ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
                    ALTER TABLE licence_status_change ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
                    """)
        }
        return migrator
    }

    // MARK: - Access helpers

    private func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.write(body) } catch { throw NoProofError.licenceStore(error) }
    }

    private func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.read(body) } catch { throw NoProofError.licenceStore(error) }
    }

    static let licenceColumns = "id, holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, version, fields_json"

    /// Decodes a row selected with `licenceColumns` (same order in `licence_version`).
    static func decodeLicence(_ row: Row) throws -> Licence {
        try decodeLicence(text: { row[$0] }, integer: { row[$0] })
    }

    /// Decodes a row selected with `licenceColumns`, read column by column through `text` (nil for
    /// NULL) and `integer`: shared by GRDB rows and the raw statements of `SQLiteLicenceReader`.
    /// Identifiers are rebuilt with `LicenceIdentifier.fromStore` (validated when written, not
    /// re-validated on every miss). The reader passes the rest from the column bytes: `fields`
    /// parses column 9, `date` columns 4–6 (nil for NULL), `holder` column 1 (the holder a query
    /// asked for, when the row's key is its key, without parsing the number again).
    static func decodeLicence(
        text: (Int) -> String?, integer: (Int) -> Int, fields parseFields: ((Int) -> [String: String]?)? = nil,
        date parseDate: ((Int, String) throws(ValidationError) -> CivilDate?)? = nil,
        holder parseHolder: ((Int) throws(ValidationError) -> Holder)? = nil
    ) throws(NoProofError) -> Licence {
        let idText = text(0) ?? ""
        func date(_ column: Int, _ field: String) throws(ValidationError) -> CivilDate? {
            if let parseDate { return try parseDate(column, field) }
            return try text(column).map { text throws(ValidationError) in try CivilDate.parse(text, field: field) }
        }
        func required(_ column: Int, _ field: String) throws(ValidationError) -> CivilDate {
            guard let day = try date(column, field) else { return try CivilDate.parse("", field: field) }
            return day
        }
        do {
            let id = try LicenceIdentifier.fromStore(idText)
            guard let fields = parseFields?(9) ?? CanonicalJSON.parseObject(text(9) ?? "") else {
                throw ValidationError(field: "fields_json", reason: "not a JSON object of strings")
            }
            return Licence(
                id: id,
                holder: try parseHolder?(1) ?? Holder.parse(text(1) ?? ""),
                holderName: text(2) ?? "",
                issuerName: text(3) ?? "",
                issueDate: try required(4, "issue_date"),
                validFrom: try required(5, "valid_from"),
                validTo: try date(6, "valid_to"),
                status: try LicenceStatus.parse(text(7) ?? ""),
                version: integer(8),
                fields: fields)
        } catch {
            throw NoProofError(.unavailable, "stored licence \(idText) is unreadable: \(error)")
        }
    }

    static func fetchCurrent(_ db: Database, _ id: LicenceIdentifier) throws -> Licence? {
        let statement = try db.cachedStatement(sql: "SELECT \(licenceColumns) FROM licence WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id.description]) else { return nil }
        return try decodeLicence(row)
    }

    static func insertCurrent(_ db: Database, _ licence: Licence, now: String) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO licence (id, type_code, holder_key, holder_name, issuer_name, issuer_code, issue_date,
                                     valid_from, valid_to, status, version, fields_json, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        statement.setUncheckedArguments([
            licence.id.description, licence.typeCode, licence.holder.key, licence.holderName, licence.issuerName,
            licence.issuerCode.value, licence.issueDate.description, licence.validFrom.description,
            licence.validTo?.description, licence.status.rawValue, licence.version, licence.canonicalFieldsJSON, now,
        ])
        try statement.execute()
    }

    /// Whether the stored current version has exactly `licence`'s content (compared column by
    /// column in stored form, without decoding the row).
    static func isUnchanged(_ db: Database, _ licence: Licence) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                SELECT holder_key, holder_name, issuer_name, issue_date, valid_from, valid_to, status, fields_json
                FROM licence WHERE id = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [licence.id.description]) else { return false }
        return row[0] == licence.holder.key
            && row[1] == licence.holderName
            && row[2] == licence.issuerName
            && row[3] == licence.issueDate.description
            && row[4] == licence.validFrom.description
            && row[5] == licence.validTo?.description
            && row[6] == licence.status.rawValue
            && row[7] == licence.canonicalFieldsJSON
    }

    /// Inserts `licence` unless its identifier exists; returns whether a row was inserted.
    static func insertCurrentIfAbsent(_ db: Database, _ licence: Licence, now: String) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO licence (id, type_code, holder_key, holder_name, issuer_name, issuer_code, issue_date,
                                     valid_from, valid_to, status, version, fields_json, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO NOTHING
                """)
        statement.setUncheckedArguments([
            licence.id.description, licence.typeCode, licence.holder.key, licence.holderName, licence.issuerName,
            licence.issuerCode.value, licence.issueDate.description, licence.validFrom.description,
            licence.validTo?.description, licence.status.rawValue, licence.version, licence.canonicalFieldsJSON, now,
        ])
        try statement.execute()
        return db.changesCount > 0
    }

    static func replaceCurrent(_ db: Database, _ licence: Licence, now: String) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE licence SET holder_key = ?, holder_name = ?, issuer_name = ?, issue_date = ?, valid_from = ?,
                                   valid_to = ?, status = ?, version = ?, fields_json = ?, updated_at = ?
                WHERE id = ?
                """)
        statement.setUncheckedArguments([
            licence.holder.key, licence.holderName, licence.issuerName, licence.issueDate.description,
            licence.validFrom.description, licence.validTo?.description, licence.status.rawValue, licence.version,
            licence.canonicalFieldsJSON, now, licence.id.description,
        ])
        try statement.execute()
    }

    static func archive(_ db: Database, _ licence: Licence, now: String, reason: String, actor: String) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO licence_version (id, version, holder_key, holder_name, issuer_name, issue_date, valid_from,
                                             valid_to, status, fields_json, superseded_at, change_reason, changed_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        statement.setUncheckedArguments([
            licence.id.description, licence.version, licence.holder.key, licence.holderName, licence.issuerName,
            licence.issueDate.description, licence.validFrom.description, licence.validTo?.description,
            licence.status.rawValue, licence.canonicalFieldsJSON, now, reason, actor,
        ])
        try statement.execute()
    }

    static func recordStatusChange(
        _ db: Database, _ id: LicenceIdentifier, from: LicenceStatus, to: LicenceStatus,
        reason: String, now: String, actor: String
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO licence_status_change (licence_id, from_status, to_status, reason, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?)
                """)
        statement.setUncheckedArguments([id.description, from.rawValue, to.rawValue, reason, now, actor])
        try statement.execute()
    }

    static func fetchTypes(_ db: Database) throws -> [String: LicenceType] {
        var result: [String: LicenceType] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected FROM licence_type
                """)
        {
            let type = try decodeType(row)
            result[type.code] = type
        }
        return result
    }

    static func decodeType(_ row: Row) throws -> LicenceType {
        let code: String = row[0]
        do {
            let kindsText: String = row[5]
            let kinds = try kindsText.split(separator: ",").map { part throws(ValidationError) -> HolderKind in
                guard let kind = HolderKind(rawValue: String(part)) else {
                    throw ValidationError(field: "holder_kinds", reason: "unknown holder kind \(part)")
                }
                return kind
            }
            let fieldsText: String = row[6]
            let fields = try JSONDecoder().decode([LicenceFieldDescriptor].self, from: Data(fieldsText.utf8))
            return LicenceType(
                code: code, nameZh: row[1], nameEn: row[2], issuerName: row[3],
                issuerCode: try UnifiedSocialCreditCode.parse(row[4], field: "issuer_code"),
                holderKinds: kinds, fields: fields, connected: row[7])
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
        let now = Timestamp.now()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rows: [(LicenceType, String)] = []
        for type in types {
            do {
                rows.append((type, String(decoding: try encoder.encode(type.fields), as: UTF8.self)))
            } catch { throw NoProofError.licenceStore(error) }
        }
        let prepared = rows
        try await write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO licence_type (code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
                        issuer_name = excluded.issuer_name, issuer_code = excluded.issuer_code, holder_kinds = excluded.holder_kinds,
                        fields_json = excluded.fields_json, connected = excluded.connected, updated_at = excluded.updated_at
                    """)
            for (type, fieldsJSON) in prepared {
                try statement.execute(arguments: [
                    type.code, type.nameZh, type.nameEn, type.issuerName, type.issuerCode.value,
                    type.holderKinds.map(\.rawValue).joined(separator: ","), fieldsJSON,
                    type.connected, now,
                ])
            }
        }
    }

    package func licenceTypes() async throws(NoProofError) -> [LicenceType] {
        try await read { db in try SQLiteLicenceStore.fetchTypes(db).values.sorted { $0.code < $1.code } }
    }

    package func licenceType(code: String) async throws(NoProofError) -> LicenceType? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT code, name_zh, name_en, issuer_name, issuer_code, holder_kinds, fields_json, connected
                        FROM licence_type WHERE code = ?
                        """, arguments: [code])
            else { return nil }
            return try SQLiteLicenceStore.decodeType(row)
        }
    }

    // MARK: - Writes

    @discardableResult
    package func issue(_ licence: Licence) async throws(NoProofError) -> Licence {
        var stored = licence
        stored.version = 1
        let now = Timestamp.now()
        let record = stored
        return try await write { db in
            do {
                try SQLiteLicenceStore.validate(record, types: try SQLiteLicenceStore.fetchTypes(db))
            } catch let error as ValidationError {
                throw NoProofError.invalid(error)
            }
            if try SQLiteLicenceStore.fetchCurrent(db, record.id) != nil { throw NoProofError.alreadyExists(record.id) }
            try SQLiteLicenceStore.insertCurrent(db, record, now: now)
            return record
        }
    }

    @discardableResult
    package func amend(_ id: LicenceIdentifier, changes: LicenceAmendment, reason: String) async throws(NoProofError) -> Licence {
        let now = Timestamp.now()
        let actor = LicenceWriteActor.current
        return try await write { db in
            guard let current = try SQLiteLicenceStore.fetchCurrent(db, id) else { throw NoProofError.notFound(id) }
            guard current.status != .revoked else {
                throw NoProofError(.conflict, "licence \(id) is revoked and can no longer be amended")
            }
            var next = changes.applied(to: current)
            guard next != current else {
                throw NoProofError.invalid(ValidationError(field: "changes", reason: "the amendment changes nothing"))
            }
            next.version = current.version + 1
            do {
                try SQLiteLicenceStore.validate(next, types: try SQLiteLicenceStore.fetchTypes(db))
            } catch let error as ValidationError {
                throw NoProofError.invalid(error)
            }
            try SQLiteLicenceStore.archive(db, current, now: now, reason: reason, actor: actor)
            try SQLiteLicenceStore.replaceCurrent(db, next, now: now)
            return next
        }
    }

    /// Moves a licence to `target` when `allowed(current status)`; otherwise a conflict.
    private func changeStatus(_ id: LicenceIdentifier, _ transition: LicenceStatusTransition, reason: String) async throws(NoProofError) -> Licence {
        let target = transition.target
        let now = Timestamp.now()
        let actor = LicenceWriteActor.current
        return try await write { db in
            guard var licence = try SQLiteLicenceStore.fetchCurrent(db, id) else { throw NoProofError.notFound(id) }
            guard transition.isAllowed(from: licence.status) else {
                throw transition.refusal(id, from: licence.status)
            }
            let previous = licence.status
            licence.status = target
            let statement = try db.cachedStatement(sql: "UPDATE licence SET status = ?, updated_at = ? WHERE id = ?")
            try statement.execute(arguments: [target.rawValue, now, id.description])
            try SQLiteLicenceStore.recordStatusChange(db, id, from: previous, to: target, reason: reason, now: now, actor: actor)
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

    /// Imports `licences` in **one** transaction: after a crash either every row of the call is
    /// written or none (ImportLicences is atomic per call, as `licences.proto` says). Callers bound
    /// a call's size (the RPC by its frame size, the offline importer by its batch size).
    package func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome {
        if licences.isEmpty { return ImportOutcome() }
        let actor = LicenceWriteActor.current
        return try await write { db in try SQLiteLicenceStore.importRows(db, licences, actor: actor) }
    }

    /// Imports rows inside the caller's transaction (see `importBatch`).
    static func importRows(_ db: Database, _ rows: [Licence], actor: String = "") throws -> ImportOutcome {
        let types = try fetchTypes(db)
        let now = Timestamp.now()
        var outcome = ImportOutcome()
        for (index, row) in rows.enumerated() {
            var licence = row
            do {
                try validate(licence, types: types)
            } catch {
                outcome.rejected.append(.init(index: index, error: error))
                continue
            }
            licence.version = 1
            if try insertCurrentIfAbsent(db, licence, now: now) {
                outcome.inserted += 1
                continue
            }
            if try isUnchanged(db, licence) {
                outcome.unchanged += 1
                continue
            }
            guard let current = try fetchCurrent(db, licence.id) else {
                throw NoProofError(.unavailable, "licence \(licence.id) vanished during import")
            }
            if current.status == .revoked {
                outcome.rejected.append(
                    .init(
                        index: index,
                        error: ValidationError(
                            field: "status", reason: "licence \(licence.id) is revoked in the library and cannot be changed by import")))
                continue
            }
            licence.version = current.version + 1
            try archive(db, current, now: now, reason: "import", actor: actor)
            try replaceCurrent(db, licence, now: now)
            if licence.status != current.status {
                try recordStatusChange(db, licence.id, from: current.status, to: licence.status, reason: "import", now: now, actor: actor)
            }
            outcome.updated += 1
        }
        return outcome
    }

    // MARK: - Reads

    package func licence(byID id: LicenceIdentifier) async throws(NoProofError) -> Licence? {
        try reader.licence(id: id.description)
    }

    /// Read on the calling thread through the fast reader (the cache-miss path; `SQLiteLicenceReader`).
    package func licences(holder: Holder, typeCode: String?) async throws(NoProofError) -> [Licence] {
        try reader.licences(holder: holder, typeCode: typeCode)
    }

    /// The same query through GRDB's asynchronous pool read — the miss path before
    /// `SQLiteLicenceReader`, kept so that `lookup-bench` times both in one run.
    package func licencesThroughPool(holder: Holder, typeCode: String?) async throws(NoProofError) -> [Licence] {
        try await read { db in
            let rows: [Row]
            if let typeCode {
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(SQLiteLicenceStore.licenceColumns) FROM licence WHERE holder_key = ? AND type_code = ? ORDER BY id
                            """), arguments: [holder.key, typeCode])
            } else {
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT \(SQLiteLicenceStore.licenceColumns) FROM licence WHERE holder_key = ? ORDER BY type_code, id
                            """), arguments: [holder.key])
            }
            return try rows.map(SQLiteLicenceStore.decodeLicence)
        }
    }

    package func versions(of id: LicenceIdentifier) async throws(NoProofError) -> [Licence] {
        try await read { db in
            guard let current = try SQLiteLicenceStore.fetchCurrent(db, id) else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(SQLiteLicenceStore.licenceColumns) FROM licence_version WHERE id = ? ORDER BY version
                    """, arguments: [id.description])
            return try rows.map(SQLiteLicenceStore.decodeLicence) + [current]
        }
    }

    /// Who superseded each archived version of `id` (`licence_version.changed_by`), by version.
    package func versionWriters(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: String] {
        try await read { db in
            var writers: [Int: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT version, changed_by FROM licence_version WHERE id = ?", arguments: [id.description]) {
                writers[row[0]] = row[1]
            }
            return writers
        }
    }

    /// When each archived version of `id` was superseded and why (`licence_version.superseded_at`,
    /// `change_reason`), by version.
    package func supersessions(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: (at: String, reason: String)] {
        try await read { db in
            var found: [Int: (at: String, reason: String)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT version, superseded_at, change_reason FROM licence_version WHERE id = ?",
                arguments: [id.description])
            {
                found[row[0]] = (row[1], row[2])
            }
            return found
        }
    }

    package func statusChanges(of id: LicenceIdentifier) async throws(NoProofError) -> [LicenceStatusChange] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT from_status, to_status, reason, changed_at, changed_by FROM licence_status_change WHERE licence_id = ? ORDER BY seq
                    """, arguments: [id.description]
            ).map { row in
                guard let from = LicenceStatus(rawValue: row[0]), let to = LicenceStatus(rawValue: row[1]) else {
                    throw NoProofError(.unavailable, "stored status change of \(id) has an unknown status")
                }
                return LicenceStatusChange(licenceID: id, from: from, to: to, reason: row[2], changedAt: row[3], changedBy: row[4])
            }
        }
    }

    package func count() async throws(NoProofError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM licence") ?? 0 }
    }

    package func licences(after: LicenceIdentifier?, limit: Int) async throws(NoProofError) -> [Licence] {
        guard limit > 0 else { return [] }
        return try await read { db in
            let rows: [Row]
            if let after {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(SQLiteLicenceStore.licenceColumns) FROM licence WHERE id > ? ORDER BY id LIMIT ?
                        """, arguments: [after.description, limit])
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(SQLiteLicenceStore.licenceColumns) FROM licence ORDER BY id LIMIT ?
                        """, arguments: [limit])
            }
            return try rows.map(SQLiteLicenceStore.decodeLicence)
        }
    }
}
