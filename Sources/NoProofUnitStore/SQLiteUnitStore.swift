package import Foundation
package import GRDB
package import NoProofDomain
package import NoProofUnits
import NoProofSQLite

/// The embedded unit store: SQLite through a GRDB `DatabasePool` in WAL mode with
/// `PRAGMA synchronous=FULL` on every connection (set in `prepareDatabase`, and re-applied to the
/// writer after GRDB's WAL setup lowers it to NORMAL), so every write acknowledged by a method
/// has been committed and synced.
///
/// Schema (migration `v1`): `unit` (at most one task force office), `staff` keyed by
/// `(unit_code, id)`, `credential` (hash only), `item_list_version` keyed by
/// `(unit_code, version)` with the whole version as a JSON document plus the columns queries use,
/// `denial_log`.
package final class SQLiteUnitStore: UnitStore, ItemListSteps {
    /// Name of the database file inside the store's directory.
    package static let fileName = "units.sqlite"

    /// The underlying pool (exposed for diagnostics such as reading pragmas).
    package let dbPool: DatabasePool
    /// Path of the database file.
    package let path: String
    /// The list rules as configured (licence types, reporting window); the calendar is the book's.
    private let configuredMachine: ItemListStateMachine
    /// The working-day calendar in force: the published years of `calendar_year`.
    package let calendarBook: CalendarBook

    /// The list life-cycle rules applied by this store, with the calendar in force.
    package var machine: ItemListStateMachine {
        var machine = configuredMachine
        machine.calendar = calendarBook.calendar
        return machine
    }

    /// Opens (creating if needed) `directory/units.sqlite` and migrates it.
    /// - Parameters:
    ///   - machine: list rules (licence types, reporting window); its calendar is replaced by the
    ///     published years stored in the database (a new database starts with the shipped years).
    ///   - calendarBook: filled with the stored calendar; share it with whatever else counts
    ///     working days (the verification service).
    /// - Throws: `NoProofError` `.unavailable` when the database cannot be opened.
    package init(
        directory: URL, machine: ItemListStateMachine = ItemListStateMachine(),
        calendarBook: CalendarBook = CalendarBook()
    ) throws(NoProofError) {
        let path = directory.appendingPathComponent(SQLiteUnitStore.fileName).path
        do {
            let pool = try DurableDatabasePool.open(
                directory: directory, fileName: SQLiteUnitStore.fileName,
                label: "NoProofUnitStore", migrator: SQLiteUnitStore.makeMigrator())
            self.dbPool = pool
            self.path = path
            self.configuredMachine = machine
            self.calendarBook = calendarBook
            let years = try pool.read { db in try Self.fetchCalendarYears(db) }
            calendarBook.replace(calendar: HolidayCalendar(years: years.map(\.data)))
        } catch {
            throw NoProofError(.unavailable, "cannot open unit database at \(path): \(error)")
        }
    }

    /// Closes all connections. The store must not be used afterwards.
    package func close() throws(NoProofError) {
        do { try dbPool.close() } catch { throw NoProofError.unitStore(error) }
    }

    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE unit (
                        code TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('government', 'public_service')),
                        sector TEXT,
                        district TEXT NOT NULL,
                        task_force INTEGER NOT NULL CHECK (task_force IN (0, 1)),
                        active INTEGER NOT NULL CHECK (active IN (0, 1)),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE UNIQUE INDEX unit_one_task_force ON unit(task_force) WHERE task_force = 1;
                    CREATE TABLE staff (
                        unit_code TEXT NOT NULL REFERENCES unit(code),
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('supervisor', 'agent')),
                        active INTEGER NOT NULL CHECK (active IN (0, 1)),
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (unit_code, id)
                    );
                    CREATE TABLE credential (
                        id TEXT PRIMARY KEY NOT NULL,
                        unit_code TEXT NOT NULL REFERENCES unit(code),
                        secret_hash TEXT NOT NULL,
                        label TEXT NOT NULL,
                        issued_at INTEGER NOT NULL,
                        issued_by TEXT NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked_at INTEGER,
                        revoked_by TEXT,
                        revocation_reason TEXT
                    );
                    CREATE INDEX credential_by_unit ON credential(unit_code, issued_at);
                    CREATE TABLE item_list_version (
                        unit_code TEXT NOT NULL REFERENCES unit(code),
                        version INTEGER NOT NULL CHECK (version >= 1),
                        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'published')),
                        effective_at INTEGER,
                        document TEXT NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (unit_code, version)
                    );
                    CREATE INDEX item_list_in_force ON item_list_version(unit_code, effective_at) WHERE status = 'published';
                    CREATE INDEX item_list_due ON item_list_version(effective_at) WHERE status = 'approved';
                    CREATE TABLE denial_log (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        at_millis INTEGER NOT NULL,
                        unit_code TEXT NOT NULL,
                        staff_id TEXT NOT NULL,
                        item_code TEXT NOT NULL,
                        case_reference TEXT NOT NULL,
                        type_code TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('denial', 'breach')),
                        reason TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX denial_by_unit_time ON denial_log(unit_code, at_millis);
                    """)
        }
        migrator.registerMigration("v2: credential kind") { db in
            // "unit" (a departmental system) or "citizen-portal" (the app showing citizens who obtained their data).
            try db.execute(sql: "ALTER TABLE credential ADD COLUMN kind TEXT NOT NULL DEFAULT 'unit'")
        }
        // Mutual TLS: a client certificate registered on a credential (one credential per certificate).
        migrator.registerMigration("credential-certificate") { db in
            try db.execute(
                sql: """
                    ALTER TABLE credential ADD COLUMN certificate_sha256 TEXT;
                    CREATE UNIQUE INDEX credential_by_certificate ON credential(certificate_sha256) WHERE certificate_sha256 IS NOT NULL;
                    """)
        }
        // Staff credentials (a staff member signing in as themselves) and where a credential came
        // from ("" issued over RPC, "config" from noproofd's config file, "demo").
        migrator.registerMigration("credential-staff") { db in
            try db.execute(
                sql: """
                    ALTER TABLE credential ADD COLUMN staff_id TEXT;
                    ALTER TABLE credential ADD COLUMN source TEXT NOT NULL DEFAULT '';
                    """)
        }
        migrator.registerMigration("denial-chain") { db in try DenialChain.migrate(db) }
        // The working-day calendar as data (every published version of each year); a new
        // database starts with the shipped years (2026 published, 2027 provisional).
        migrator.registerMigration("calendar") { db in
            try db.execute(
                sql: """
                    CREATE TABLE calendar_year (
                        year INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        document TEXT NOT NULL,
                        provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),
                        published_by TEXT NOT NULL,
                        published_at INTEGER NOT NULL,
                        PRIMARY KEY (year, version)
                    );
                    """)
            for year in HolidayCalendar.shippedYears {
                try Self.insertCalendarYear(db, year, version: 1, by: "shipped", at: 0)
            }
        }
        return migrator
    }

    // MARK: - Working-day calendar

    static func insertCalendarYear(_ db: Database, _ year: CalendarYear, version: Int, by actor: String, at millis: Int64) throws {
        let document = String(decoding: try encoder.encode(year), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO calendar_year (year, version, document, provisional, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [year.year, version, document, year.provisional, actor, millis])
    }

    static func decodeCalendarYear(_ row: Row) throws -> PublishedCalendarYear {
        let document: String = row["document"]
        let data: CalendarYear
        do {
            data = try decoder.decode(CalendarYear.self, from: Data(document.utf8))
        } catch {
            throw NoProofError.unitStorage("stored calendar year \(row["year"] as Int) v\(row["version"] as Int) is unreadable: \(error)")
        }
        return PublishedCalendarYear(data: data, version: row["version"], publishedBy: row["published_by"], publishedAt: date(row["published_at"]))
    }

    /// The latest version of each published year, by year.
    static func fetchCalendarYears(_ db: Database) throws -> [PublishedCalendarYear] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.* FROM calendar_year c
                WHERE c.version = (SELECT MAX(version) FROM calendar_year WHERE year = c.year)
                ORDER BY c.year
                """
        ).map(decodeCalendarYear)
    }

    package func calendarYears() async throws(NoProofError) -> [PublishedCalendarYear] {
        try await read { db in try Self.fetchCalendarYears(db) }
    }

    package func calendarHistory(year: Int) async throws(NoProofError) -> [PublishedCalendarYear] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM calendar_year WHERE year = ? ORDER BY version", arguments: [year]).map(Self.decodeCalendarYear)
        }
    }

    package func publishCalendarYear(_ year: CalendarYear, by actor: String, at time: Date) async throws(NoProofError) -> PublishedCalendarYear {
        do { try year.validate() } catch { throw NoProofError.invalid(error) }
        let now = Self.millis(time)
        let published = try await write { db in
            let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM calendar_year WHERE year = ?", arguments: [year.year]) ?? 0) + 1
            try Self.insertCalendarYear(db, year, version: version, by: actor, at: now)
            return (
                PublishedCalendarYear(data: year, version: version, publishedBy: actor, publishedAt: Self.date(now)),
                try Self.fetchCalendarYears(db)
            )
        }
        calendarBook.replace(calendar: HolidayCalendar(years: published.1.map(\.data)))
        return published.0
    }

    // MARK: - Access helpers

    private func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.write(body) } catch { throw NoProofError.unitStore(error) }
    }

    private func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws(NoProofError) -> T {
        do { return try await dbPool.read(body) } catch { throw NoProofError.unitStore(error) }
    }

    /// Milliseconds since 1970 (times are kept to the millisecond).
    static func millis(_ date: Date) -> Int64 { UnitStoreCoding.millis(date) }
    /// The instant `millis` milliseconds after 1970.
    static func date(_ millis: Int64) -> Date { UnitStoreCoding.date(millis) }
    /// `date` truncated to the millisecond.
    static func truncated(_ date: Date) -> Date { UnitStoreCoding.truncated(date) }

    static var encoder: JSONEncoder { UnitStoreCoding.encoder }
    static var decoder: JSONDecoder { UnitStoreCoding.decoder }

    // MARK: - Units

    static func decodeUnit(_ row: Row) throws -> ServiceUnit {
        let codeText: String = row["code"]
        do {
            let code = try UnifiedSocialCreditCode.parse(codeText, field: "code")
            let kind = try UnitKind.parse(kind: row["kind"], sector: row["sector"])
            return ServiceUnit(
                code: code, name: row["name"], kind: kind, district: row["district"],
                isTaskForceOffice: row["task_force"], active: row["active"])
        } catch {
            throw NoProofError.unitStorage("stored unit \(codeText) is unreadable: \(error)")
        }
    }

    static func fetchUnit(_ db: Database, _ code: UnifiedSocialCreditCode) throws -> ServiceUnit? {
        try Row.fetchOne(db, sql: "SELECT * FROM unit WHERE code = ?", arguments: [code.value]).map(decodeUnit)
    }

    static func requireUnit(_ db: Database, _ code: UnifiedSocialCreditCode) throws -> ServiceUnit {
        guard let unit = try fetchUnit(db, code) else { throw NoProofError.unitNotFound(code) }
        return unit
    }

    static func validate(_ unit: ServiceUnit) throws(NoProofError) {
        do { try unit.validate() } catch { throw NoProofError.invalid(error) }
    }

    package func createUnit(_ unit: ServiceUnit, staff: [StaffMember], at time: Date) async throws(NoProofError) {
        try Self.validate(unit)
        if let violation = StaffRule.violation(in: staff, unitActive: unit.active) { throw NoProofError.staffRule(violation) }
        let now = Self.millis(time)
        try await write { db in
            if try Self.fetchUnit(db, unit.code) != nil {
                throw NoProofError(.alreadyExists, "unit \(unit.code) is already registered; use update to change it")
            }
            if unit.isTaskForceOffice, let office = try Self.fetchTaskForce(db) {
                throw NoProofError(.alreadyExists, "the task force office is already registered as \(office.name) (\(office.code)); there is only one")
            }
            try db.execute(
                sql: """
                    INSERT INTO unit (code, name, kind, sector, district, task_force, active, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    unit.code.value, unit.name, unit.kind.kindName, unit.kind.sector?.rawValue, unit.district,
                    unit.isTaskForceOffice, unit.active, now, now,
                ])
            for member in staff { try Self.upsertStaff(db, member, unit: unit.code, now: now) }
        }
    }

    package func updateUnit(_ unit: ServiceUnit, at time: Date) async throws(NoProofError) {
        try Self.validate(unit)
        let now = Self.millis(time)
        try await write { db in
            let old = try Self.requireUnit(db, unit.code)
            if unit.isTaskForceOffice, !old.isTaskForceOffice, let office = try Self.fetchTaskForce(db) {
                throw NoProofError(.alreadyExists, "the task force office is already registered as \(office.name) (\(office.code)); there is only one")
            }
            if unit.active {
                let staff = try Self.fetchStaff(db, unit.code, includeInactive: true)
                if let violation = StaffRule.violation(in: staff, unitActive: true) { throw NoProofError.staffRule(violation) }
            }
            try db.execute(
                sql: """
                    UPDATE unit SET name = ?, kind = ?, sector = ?, district = ?, task_force = ?, active = ?, updated_at = ?
                    WHERE code = ?
                    """,
                arguments: [
                    unit.name, unit.kind.kindName, unit.kind.sector?.rawValue, unit.district, unit.isTaskForceOffice,
                    unit.active, now, unit.code.value,
                ])
        }
    }

    package func unit(code: UnifiedSocialCreditCode) async throws(NoProofError) -> ServiceUnit? {
        try await read { db in try Self.fetchUnit(db, code) }
    }

    package func units() async throws(NoProofError) -> [ServiceUnit] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM unit ORDER BY code").map(Self.decodeUnit) }
    }

    static func fetchTaskForce(_ db: Database) throws -> ServiceUnit? {
        try Row.fetchOne(db, sql: "SELECT * FROM unit WHERE task_force = 1").map(decodeUnit)
    }

    package func taskForceOffice() async throws(NoProofError) -> ServiceUnit? {
        try await read { db in try Self.fetchTaskForce(db) }
    }

    // MARK: - Staff

    static func decodeStaff(_ row: Row) throws -> StaffMember {
        let roleText: String = row["role"]
        guard let role = StaffRole(rawValue: roleText) else {
            throw NoProofError.unitStorage("stored staff member \(row["id"] as String) has unknown role \(roleText)")
        }
        return StaffMember(id: row["id"], name: row["name"], role: role, active: row["active"])
    }

    static func fetchStaff(_ db: Database, _ unit: UnifiedSocialCreditCode, includeInactive: Bool) throws -> [StaffMember] {
        let sql =
            includeInactive
            ? "SELECT * FROM staff WHERE unit_code = ? ORDER BY id"
            : "SELECT * FROM staff WHERE unit_code = ? AND active = 1 ORDER BY id"
        return try Row.fetchAll(db, sql: sql, arguments: [unit.value]).map(decodeStaff)
    }

    static func upsertStaff(_ db: Database, _ member: StaffMember, unit: UnifiedSocialCreditCode, now: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO staff (unit_code, id, name, role, active, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (unit_code, id) DO UPDATE SET name = excluded.name, role = excluded.role,
                    active = excluded.active, updated_at = excluded.updated_at
                """, arguments: [unit.value, member.id, member.name, member.role.rawValue, member.active, now])
    }

    package func staff(of unit: UnifiedSocialCreditCode, includeInactive: Bool) async throws(NoProofError) -> [StaffMember] {
        try await read { db in
            _ = try Self.requireUnit(db, unit)
            return try Self.fetchStaff(db, unit, includeInactive: includeInactive)
        }
    }

    package func staffMember(_ id: String, of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> StaffMember? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM staff WHERE unit_code = ? AND id = ?", arguments: [unit.value, id]).map(Self.decodeStaff)
        }
    }

    package func replaceStaff(of unit: UnifiedSocialCreditCode, with staff: [StaffMember], at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        try await write { db in
            let record = try Self.requireUnit(db, unit)
            if let violation = StaffRule.violation(in: staff, unitActive: record.active) { throw NoProofError.staffRule(violation) }
            let proposedIDs = Set(staff.map(\.id))
            for old in try Self.fetchStaff(db, unit, includeInactive: false) where !proposedIDs.contains(old.id) {
                var retired = old
                retired.active = false
                try Self.upsertStaff(db, retired, unit: unit, now: now)
            }
            for member in staff { try Self.upsertStaff(db, member, unit: unit, now: now) }
        }
    }

    package func addStaff(_ member: StaffMember, to unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        try await write { db in
            let record = try Self.requireUnit(db, unit)
            let current = try Self.fetchStaff(db, unit, includeInactive: true)
            if current.contains(where: { $0.id == member.id }) {
                throw NoProofError(.alreadyExists, "unit \(unit) already has a staff member \(member.id) (active or not); choose another id")
            }
            do throws(StaffRuleViolation) {
                _ = try StaffRule.adding(member, to: current, unitActive: record.active)
            } catch {
                throw NoProofError.staffRule(error)
            }
            try Self.upsertStaff(db, member, unit: unit, now: now)
        }
    }

    package func deactivateStaff(_ id: String, of unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        try await write { db in
            let record = try Self.requireUnit(db, unit)
            let current = try Self.fetchStaff(db, unit, includeInactive: true)
            let proposed: [StaffMember]?
            do throws(StaffRuleViolation) {
                proposed = try StaffRule.deactivating(id, in: current, unitActive: record.active)
            } catch {
                throw NoProofError.staffRule(error)
            }
            guard let member = proposed?.first(where: { $0.id == id }) else {
                throw NoProofError(.notFound, "unit \(unit) has no staff member \(id)")
            }
            try Self.upsertStaff(db, member, unit: unit, now: now)
        }
    }

    /// Requires `staffID` to be an active member of `unit`.
    static func requireActiveMember(_ db: Database, _ staffID: String, of unit: ServiceUnit) throws -> StaffMember {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM staff WHERE unit_code = ? AND id = ?", arguments: [unit.code.value, staffID]),
            case let member = try decodeStaff(row), member.active
        else {
            throw NoProofError(.forbidden, "\(staffID) is not an active staff member of \(unit.name) (\(unit.code))")
        }
        return member
    }

    // MARK: - Credentials

    static func decodeCredential(_ row: Row) throws -> Credential {
        let id: String = row["id"]
        do {
            let revokedAt: Int64? = row["revoked_at"]
            return Credential(
                id: id, unitCode: try UnifiedSocialCreditCode.parse(row["unit_code"], field: "unit_code"),
                secretHash: try CredentialHash.parse(row["secret_hash"]), label: row["label"],
                issuedAt: date(row["issued_at"]), issuedBy: row["issued_by"], expiresAt: date(row["expires_at"]),
                revokedAt: revokedAt.map(date), revokedBy: row["revoked_by"], revocationReason: row["revocation_reason"],
                kind: try CredentialKind.parse(row["kind"] ?? "", field: "kind"),
                certificateSHA256: row["certificate_sha256"], staffID: row["staff_id"], source: row["source"] ?? "")
        } catch {
            throw NoProofError.unitStorage("stored credential \(id) is unreadable: \(error)")
        }
    }

    package func insertCredential(_ credential: Credential) async throws(NoProofError) {
        try await write { db in
            _ = try Self.requireUnit(db, credential.unitCode)
            if let staff = credential.staffID,
                try Row.fetchOne(
                    db, sql: "SELECT 1 FROM staff WHERE unit_code = ? AND id = ? AND active = 1",
                    arguments: [credential.unitCode.value, staff]) == nil
            {
                throw NoProofError.invalid(
                    ValidationError(
                        field: "staff_id",
                        reason: "\(staff) is not an active staff member of \(credential.unitCode); 'noproof staff list \(credential.unitCode)' shows who is"))
            }
            if try Row.fetchOne(db, sql: "SELECT 1 FROM credential WHERE id = ?", arguments: [credential.id]) != nil {
                throw NoProofError(.alreadyExists, "credential \(credential.id) already exists")
            }
            if let fingerprint = credential.certificateSHA256,
                let holder = try String.fetchOne(db, sql: "SELECT id FROM credential WHERE certificate_sha256 = ?", arguments: [fingerprint])
            {
                throw NoProofError(
                    .alreadyExists,
                    "the certificate \(fingerprint) is already registered on credential \(holder); a certificate identifies one credential (issue a new certificate)"
                )
            }
            try db.execute(
                sql: """
                    INSERT INTO credential (id, unit_code, secret_hash, label, issued_at, issued_by, expires_at, revoked_at, revoked_by,
                                            revocation_reason, kind, certificate_sha256, staff_id, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    credential.id, credential.unitCode.value, credential.secretHash.encoded, credential.label,
                    Self.millis(credential.issuedAt), credential.issuedBy, Self.millis(credential.expiresAt),
                    credential.revokedAt.map(Self.millis), credential.revokedBy, credential.revocationReason,
                    credential.kind.rawValue, credential.certificateSHA256, credential.staffID, credential.source,
                ])
        }
    }

    package func credential(id: String) async throws(NoProofError) -> Credential? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE id = ?", arguments: [id]).map(Self.decodeCredential) }
    }

    package func credential(certificateSHA256: String) async throws(NoProofError) -> Credential? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE certificate_sha256 = ?", arguments: [certificateSHA256])
                .map(Self.decodeCredential)
        }
    }

    @discardableResult
    package func revokeCredential(id: String, by actor: String, reason: String, at time: Date) async throws(NoProofError) -> Credential {
        let at = Self.truncated(time)
        return try await write { db in
            guard let current = try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE id = ?", arguments: [id]).map(Self.decodeCredential) else {
                throw NoProofError(.notFound, "credential \(id) not found")
            }
            let revoked: Credential
            do throws(ValidationError) {
                revoked = try current.revoked(at: at, by: actor, reason: reason)
            } catch {
                if error.field == "credential_id" { throw NoProofError(.conflict, error.reason) }
                throw NoProofError.invalid(error)
            }
            try db.execute(
                sql: "UPDATE credential SET revoked_at = ?, revoked_by = ?, revocation_reason = ? WHERE id = ?",
                arguments: [Self.millis(at), actor, revoked.revocationReason, id])
            return revoked
        }
    }

    package func credentials(of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [Credential] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM credential WHERE unit_code = ? ORDER BY issued_at DESC, id", arguments: [unit.value])
                .map(Self.decodeCredential)
        }
    }

    // MARK: - Item lists

    static func decodeVersion(_ document: String) throws -> ItemListVersion {
        do {
            return try decoder.decode(ItemListVersion.self, from: Data(document.utf8))
        } catch {
            throw NoProofError.unitStorage("stored list version is unreadable: \(error)")
        }
    }

    static func fetchVersion(_ db: Database, _ unit: UnifiedSocialCreditCode, _ version: Int) throws -> ItemListVersion? {
        try String.fetchOne(
            db, sql: "SELECT document FROM item_list_version WHERE unit_code = ? AND version = ?",
            arguments: [unit.value, version]
        ).map(decodeVersion)
    }

    static func requireVersion(_ db: Database, _ unit: UnifiedSocialCreditCode, _ version: Int) throws -> ItemListVersion {
        guard let list = try fetchVersion(db, unit, version) else {
            throw NoProofError(.notFound, "unit \(unit) has no list version \(version)")
        }
        return list
    }

    static func saveVersion(_ db: Database, _ list: ItemListVersion, insert: Bool) throws {
        let document = String(decoding: try encoder.encode(list), as: UTF8.self)
        let arguments: StatementArguments = [
            list.status.rawValue, list.effectiveAt.map(millis), document, millis(list.updatedAt),
            list.unitCode.value, list.version,
        ]
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO item_list_version (status, effective_at, document, updated_at, unit_code, version) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: arguments)
        } else {
            try db.execute(
                sql: "UPDATE item_list_version SET status = ?, effective_at = ?, document = ?, updated_at = ? WHERE unit_code = ? AND version = ?",
                arguments: arguments)
        }
    }

    static func fetchInForce(_ db: Database, _ unit: UnifiedSocialCreditCode, at millis: Int64) throws -> ItemListVersion? {
        try String.fetchOne(
            db,
            sql: """
                SELECT document FROM item_list_version
                WHERE unit_code = ? AND status = 'published' AND effective_at <= ?
                ORDER BY effective_at DESC, version DESC LIMIT 1
                """, arguments: [unit.value, millis]
        ).map(decodeVersion)
    }

    static func fetchLatestPublished(_ db: Database, _ unit: UnifiedSocialCreditCode) throws -> ItemListVersion? {
        try String.fetchOne(
            db,
            sql: """
                SELECT document FROM item_list_version WHERE unit_code = ? AND status = 'published'
                ORDER BY version DESC LIMIT 1
                """, arguments: [unit.value]
        ).map(decodeVersion)
    }

    static func fetchOpenVersion(_ db: Database, _ unit: UnifiedSocialCreditCode) throws -> ItemListVersion? {
        try String.fetchOne(
            db, sql: "SELECT document FROM item_list_version WHERE unit_code = ? AND status != 'published' ORDER BY version DESC LIMIT 1",
            arguments: [unit.value]
        ).map(decodeVersion)
    }

    /// Creates the next draft inside a transaction.
    func makeDraft(_ db: Database, unit: ServiceUnit, by staffID: String, at time: Date) throws -> ItemListVersion {
        if let open = try Self.fetchOpenVersion(db, unit.code) {
            throw NoProofError(.conflict, "\(unit.name) already has version \(open.version) open (\(open.status.rawValue)); finish it before starting another")
        }
        let next = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM item_list_version WHERE unit_code = ?", arguments: [unit.code.value]) ?? 0) + 1
        let base = try Self.fetchLatestPublished(db, unit.code)
        let draft = machine.newDraft(unitCode: unit.code, version: next, basedOn: base, by: staffID, at: time)
        try Self.saveVersion(db, draft, insert: true)
        return draft
    }

    package func createDraft(unit: UnifiedSocialCreditCode, by staffID: String, at time: Date) async throws(NoProofError) -> ItemListVersion {
        let at = Self.truncated(time)
        return try await write { db in
            let record = try Self.requireUnit(db, unit)
            _ = try Self.requireActiveMember(db, staffID, of: record)
            return try self.makeDraft(db, unit: record, by: staffID, at: at)
        }
    }

    /// Applies `event` to version `version` of `unit` in one transaction. `actor` is checked as an
    /// active member of `actorUnit` (the list's unit when `nil`); no check when `actor` is `nil`.
    package func applyListEvent(
        unit: UnifiedSocialCreditCode, version: Int, actor: String?, reviewer: Bool,
        _ makeEvent: @Sendable @escaping (ServiceUnit?) -> ItemListEvent
    ) async throws(NoProofError) -> ItemListVersion {
        try await write { db in
            let record = try Self.requireUnit(db, unit)
            var reviewingUnit: ServiceUnit?
            if let actor {
                if reviewer {
                    guard let office = try Self.fetchTaskForce(db) else {
                        throw NoProofError(.conflict, "no task force office is registered; register it before reviewing lists")
                    }
                    _ = try Self.requireActiveMember(db, actor, of: office)
                    reviewingUnit = office
                } else {
                    _ = try Self.requireActiveMember(db, actor, of: record)
                }
            }
            let list = try Self.requireVersion(db, unit, version)
            let base = try list.basedOn.flatMap { try Self.fetchVersion(db, unit, $0) }
            let next: ItemListVersion
            next = try self.machine.apply(makeEvent(reviewingUnit), to: list, base: base)
            try Self.saveVersion(db, next, insert: false)
            return next
        }
    }

    package func publishDue(at time: Date) async throws(NoProofError) -> [ItemListVersion] {
        let at = Self.truncated(time)
        return try await write { db in
            let due = try String.fetchAll(
                db, sql: "SELECT document FROM item_list_version WHERE status = 'approved' AND effective_at <= ? ORDER BY unit_code, version",
                arguments: [Self.millis(at)]
            ).map(Self.decodeVersion)
            var published: [ItemListVersion] = []
            for list in due {
                let next: ItemListVersion
                next = try self.machine.apply(.publish(by: "system", at: at), to: list)
                try Self.saveVersion(db, next, insert: false)
                published.append(next)
            }
            return published
        }
    }

    package func listVersion(unit: UnifiedSocialCreditCode, version: Int) async throws(NoProofError) -> ItemListVersion? {
        try await read { db in try Self.fetchVersion(db, unit, version) }
    }

    package func listHistory(unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [ItemListVersion] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT document FROM item_list_version WHERE unit_code = ? ORDER BY version", arguments: [unit.value])
                .map(Self.decodeVersion)
        }
    }

    package func versionInForce(unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) -> ItemListVersion? {
        let at = Self.millis(time)
        return try await read { db in try Self.fetchInForce(db, unit, at: at) }
    }

    package func listsInForce(at time: Date) async throws(NoProofError) -> [ItemListVersion] {
        let at = Self.millis(time)
        return try await read { db in
            let codes = try String.fetchAll(db, sql: "SELECT DISTINCT unit_code FROM item_list_version WHERE status = 'published' ORDER BY unit_code")
            var result: [ItemListVersion] = []
            for code in codes {
                let unit = try UnifiedSocialCreditCode.parse(code, field: "unit_code")
                if let list = try Self.fetchInForce(db, unit, at: at) { result.append(list) }
            }
            return result
        }
    }

    package func loadLists(_ file: ItemListBulkFile, by staffID: String, at time: Date) async throws(NoProofError) -> BulkLoadReport {
        let at = Self.truncated(time)
        do { try StaffMember.validateID(staffID, field: "staff_id") } catch { throw NoProofError.invalid(error) }
        return try await write { db in
            var report = BulkLoadReport(loaded: [], problems: file.problems)
            for entry in file.entries {
                func problem(_ field: String, _ message: String) {
                    report.problems.append(BulkLoadProblem(location: entry.location, unit: entry.unitCode.value, field: field, message: message))
                }
                guard let unit = try Self.fetchUnit(db, entry.unitCode) else {
                    problem("unit", "unit \(entry.unitCode) is not registered; create it before loading its list")
                    continue
                }
                var draft: ItemListVersion
                if let open = try Self.fetchOpenVersion(db, unit.code) {
                    guard open.status == .draft else {
                        problem("unit", "\(unit.name) has version \(open.version) \(open.status.rawValue); a list under review or approved is not overwritten")
                        continue
                    }
                    draft = open
                } else {
                    draft = try self.makeDraft(db, unit: unit, by: staffID, at: at)
                }
                do throws(NoProofError) {
                    draft = try self.machine.apply(.edit(items: entry.items, changes: entry.basedOnChanges(draft), by: staffID, at: at), to: draft)
                } catch {
                    problem(error.field ?? "items", error.message)
                    continue
                }
                try Self.saveVersion(db, draft, insert: false)
                report.loaded.append(BulkLoadReport.Loaded(unitCode: unit.code.value, version: draft.version, itemCount: draft.items.count))
            }
            return report
        }
    }

    // MARK: - Denial log

    @discardableResult
    package func appendDenial(_ record: DenialRecord) async throws(NoProofError) -> Int64 {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO denial_log (at_millis, unit_code, staff_id, item_code, case_reference, type_code, kind, reason, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Self.millis(record.at), record.unitCode, record.staffID, record.itemCode, record.caseReference,
                    record.typeCode, record.kind.rawValue, record.reason, record.message,
                ])
            let sequence = db.lastInsertedRowID
            _ = try DenialChain.chain(db, sequence: sequence, previous: try DenialChain.lastHash(db, before: sequence))
            return sequence
        }
    }

    @discardableResult
    package func appendDenials(_ records: [DenialRecord]) async throws(NoProofError) -> [Int64] {
        if records.isEmpty { return [] }
        return try await write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO denial_log (at_millis, unit_code, staff_id, item_code, case_reference, type_code, kind, reason, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var sequences: [Int64] = []
            var previous = try DenialChain.lastHash(db)
            for record in records {
                try statement.execute(arguments: [
                    Self.millis(record.at), record.unitCode, record.staffID, record.itemCode, record.caseReference,
                    record.typeCode, record.kind.rawValue, record.reason, record.message,
                ])
                sequences.append(db.lastInsertedRowID)
                previous = try DenialChain.chain(db, sequence: db.lastInsertedRowID, previous: previous)
            }
            return sequences
        }
    }

    package func denials(unit: UnifiedSocialCreditCode?, limit: Int) async throws(NoProofError) -> [DenialRecord] {
        try await read { db in
            let rows: [Row]
            if let unit {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM denial_log WHERE unit_code = ? ORDER BY sequence DESC LIMIT ?", arguments: [unit.value, max(0, limit)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM denial_log ORDER BY sequence DESC LIMIT ?", arguments: [max(0, limit)])
            }
            return rows.map { row in
                DenialRecord(
                    sequence: row["sequence"], at: Self.date(row["at_millis"]), unitCode: row["unit_code"], staffID: row["staff_id"],
                    itemCode: row["item_code"], caseReference: row["case_reference"], typeCode: row["type_code"],
                    kind: DenialRecord.Kind(rawValue: row["kind"]) ?? .denial, reason: row["reason"], message: row["message"])
            }
        }
    }
}

extension ItemListBulkEntry {
    /// The entry's declared changes, dropped for a first list (which revises nothing).
    package func basedOnChanges(_ draft: ItemListVersion) -> [ListChange] {
        draft.basedOn == nil ? [] : changes
    }
}
