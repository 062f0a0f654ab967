package import Foundation
import Logging
package import NoProofDomain
package import NoProofUnits
import NoProofUnitStore
import PostgresNIO
import Synchronization

/// The unit store on PostgreSQL (issue 18): the same behaviour as `SQLiteUnitStore` — units and
/// their staff under the Art. 10 rule, credentials (hash only), item list versions and their life
/// cycle, the working-day calendar, the hash-chained denial log — with the same errors and
/// messages, in the tables of its `PostgresStoreDatabase`'s schema. Times are kept as milliseconds
/// since 1970 and list versions and calendar years as the same JSON documents as in SQLite
/// (`UnitStoreCoding`).
///
/// Schema (migration `units-1`): `unit` (a partial unique index allows one task force office),
/// `staff` keyed by `(unit_code, id)`, `credential`, `item_list_version` keyed by
/// `(unit_code, version)` (a partial unique index allows one unpublished version per unit),
/// `calendar_year` (every version of each year; a new schema starts with the shipped years),
/// `denial_log` with `denial_log_head` (the last sequence number and chain hash). Codes and ids sort
/// bytewise (`COLLATE "C"`), as in SQLite.
///
/// Concurrency — several noproofd instances on one database: each write is one transaction that
/// first locks what its rule depends on, so a rule is checked and the write made atomically:
/// - every write concerning one unit (its staff, its credentials, its list versions) locks the unit's
///   row (`SELECT … FOR UPDATE`): two staff changes cannot together break Art. 10, two drafts cannot
///   both be opened; a reviewer's membership of the task force office is read under a share lock of
///   the office's row;
/// - registering a unit (and making one the task force office) holds a transaction advisory lock on
///   the schema's unit registry; publishing a calendar year one on the schema's calendar;
/// - the denial log's appends lock its head row, so sequence numbers have no gaps and the chain is
///   one sequence across instances;
/// - `publishDue` locks the due versions, so two instances publish each one once.
/// A transaction PostgreSQL aborts as a deadlock victim (two bulk loads naming units in opposite
/// orders) is retried.
///
/// The calendar book: `calendarBook` is filled from the database when the store opens, after each
/// `publishCalendarYear` through this store, and by `refreshCalendar()` when the calendar's version
/// marker (the number of stored year versions and the latest publication time) changed — a year
/// published through another instance; noproofd runs the refresh every 30 s, so a year published on
/// one instance is in force on every other within 30 s.
package final class PostgresUnitStore: UnitStore, ItemListSteps {
    /// The database and schema the store lives in.
    package let database: PostgresStoreDatabase
    /// The list rules as configured (licence types, reporting window); the calendar is the book's.
    private let configuredMachine: ItemListStateMachine
    /// The working-day calendar in force: the published years of `calendar_year`.
    package let calendarBook: CalendarBook
    /// The version marker of the calendar last loaded into `calendarBook`, and how many loads so far.
    let calendarState = Mutex<(marker: CalendarMarker?, loads: Int)>((nil, 0))

    /// What a change of the published calendar changes: the number of stored year versions (rows
    /// are only ever added) and the latest publication time.
    struct CalendarMarker: Equatable, Sendable {
        var versions: Int64
        var latest: Int64
    }

    /// How many times the published years were loaded into `calendarBook` (at open, after a
    /// publication through this store, by a `refreshCalendar()` that found a change).
    package var calendarLoads: Int { calendarState.withLock { $0.loads } }

    /// The list life-cycle rules applied by this store, with the calendar in force.
    package var machine: ItemListStateMachine {
        var machine = configuredMachine
        machine.calendar = calendarBook.calendar
        return machine
    }

    var logger: Logger { database.logger }

    /// The schema migrations of this store.
    static let migrator = PostgresMigrator([
        .init(
            "units-1",
            [
                """
                CREATE TABLE unit (
                    code TEXT COLLATE "C" PRIMARY KEY,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('government', 'public_service')),
                    sector TEXT,
                    district TEXT NOT NULL,
                    task_force BOOLEAN NOT NULL,
                    active BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX unit_one_task_force ON unit (task_force) WHERE task_force",
                """
                CREATE TABLE staff (
                    unit_code TEXT COLLATE "C" NOT NULL REFERENCES unit(code),
                    id TEXT COLLATE "C" NOT NULL,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('supervisor', 'agent')),
                    active BOOLEAN NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (unit_code, id)
                )
                """,
                """
                CREATE TABLE credential (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    unit_code TEXT COLLATE "C" NOT NULL REFERENCES unit(code),
                    secret_hash TEXT NOT NULL,
                    label TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    issued_by TEXT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    revoked_by TEXT,
                    revocation_reason TEXT,
                    kind TEXT NOT NULL DEFAULT 'unit',
                    certificate_sha256 TEXT,
                    staff_id TEXT,
                    source TEXT NOT NULL DEFAULT ''
                )
                """,
                "CREATE INDEX credential_by_unit ON credential (unit_code, issued_at)",
                "CREATE UNIQUE INDEX credential_by_certificate ON credential (certificate_sha256) WHERE certificate_sha256 IS NOT NULL",
                """
                CREATE TABLE item_list_version (
                    unit_code TEXT COLLATE "C" NOT NULL REFERENCES unit(code),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'published')),
                    effective_at BIGINT,
                    document TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (unit_code, version)
                )
                """,
                "CREATE UNIQUE INDEX item_list_one_open ON item_list_version (unit_code) WHERE status <> 'published'",
                "CREATE INDEX item_list_in_force ON item_list_version (unit_code, effective_at) WHERE status = 'published'",
                "CREATE INDEX item_list_due ON item_list_version (effective_at) WHERE status = 'approved'",
                """
                CREATE TABLE calendar_year (
                    year INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    provisional BOOLEAN NOT NULL,
                    published_by TEXT NOT NULL,
                    published_at BIGINT NOT NULL,
                    PRIMARY KEY (year, version)
                )
                """,
                """
                CREATE TABLE denial_log (
                    sequence BIGINT PRIMARY KEY CHECK (sequence >= 1),
                    at_millis BIGINT NOT NULL,
                    unit_code TEXT NOT NULL,
                    staff_id TEXT NOT NULL,
                    item_code TEXT NOT NULL,
                    case_reference TEXT NOT NULL,
                    type_code TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('denial', 'breach')),
                    reason TEXT NOT NULL,
                    message TEXT NOT NULL,
                    chain_hash BYTEA NOT NULL
                )
                """,
                "CREATE INDEX denial_by_unit_time ON denial_log (unit_code, at_millis)",
                """
                CREATE TABLE denial_log_head (
                    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
                    sequence BIGINT NOT NULL,
                    chain_hash BYTEA NOT NULL
                )
                """,
                "INSERT INTO denial_log_head (sequence, chain_hash) VALUES (0, decode(repeat('00', 32), 'hex'))",
            ],
            seed: { connection, logger in
                // A new database starts with the shipped years (as SQLite's "calendar" migration).
                for year in HolidayCalendar.shippedYears {
                    try await PostgresUnitStore.insertCalendarYear(connection, year, version: 1, by: "shipped", at: 0, logger: logger)
                }
            })
    ])

    private init(database: PostgresStoreDatabase, machine: ItemListStateMachine, calendarBook: CalendarBook) {
        self.database = database
        self.configuredMachine = machine
        self.calendarBook = calendarBook
    }

    /// Opens the store in `database`'s schema, creating or migrating its tables first.
    /// - Parameters:
    ///   - machine: list rules (licence types, reporting window); its calendar is replaced by the
    ///     published years stored in the database (a new schema starts with the shipped years).
    ///   - calendarBook: filled with the stored calendar; share it with whatever else counts
    ///     working days (the verification service).
    /// - Throws: `.unavailable` when PostgreSQL cannot be reached or refuses the migration.
    package static func open(
        _ database: PostgresStoreDatabase, machine: ItemListStateMachine = ItemListStateMachine(),
        calendarBook: CalendarBook = CalendarBook()
    ) async throws(NoProofError) -> PostgresUnitStore {
        try await migrator.migrate(database)
        let store = PostgresUnitStore(database: database, machine: machine, calendarBook: calendarBook)
        let (marker, years) = try await store.read { connection in try await fetchCalendarState(connection, logger: database.logger) }
        store.install(calendar: years, marker: marker)
        return store
    }

    /// Puts `years` in force in `calendarBook`, unless a load newer than `marker` is already there
    /// (a refresh and a publication through this store finishing in the other order).
    /// - Returns: whether the book was replaced.
    @discardableResult
    func install(calendar years: [PublishedCalendarYear], marker: CalendarMarker) -> Bool {
        calendarState.withLock { state in
            if let known = state.marker, known.versions > marker.versions { return false }
            calendarBook.replace(calendar: HolidayCalendar(years: years.map(\.data)))
            state = (marker, state.loads + 1)
            return true
        }
    }

    // MARK: - Access helpers

    /// Runs `body` in one transaction, retried when PostgreSQL aborts it as a deadlock victim.
    /// Errors other than PostgreSQL's own become unit store errors (`NoProofError.unitStore`).
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(NoProofError) -> T {
        try await database.transaction(retryingDeadlocks: true) { connection in
            do {
                return try await body(connection)
            } catch let error as PSQLError {
                throw error
            } catch {
                throw NoProofError.unitStore(error)
            }
        }
    }

    /// Runs `body` on a pooled connection (one statement is one snapshot).
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(NoProofError) -> T {
        try await database.withConnection { connection in
            do {
                return try await body(connection)
            } catch let error as PSQLError {
                throw error
            } catch {
                throw NoProofError.unitStore(error)
            }
        }
    }

    /// The rows of `query`, collected (decoded afterwards, synchronously, by the small helpers).
    static func rows(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
        return rows
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    /// Takes the transaction advisory lock `name` of this schema (released at commit or rollback).
    static func lock(_ connection: PostgresConnection, _ name: String, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext(\(name) || ':' || current_setting('search_path')))", logger: logger)
    }

    static func millis(_ date: Date) -> Int64 { UnitStoreCoding.millis(date) }
    static func date(_ millis: Int64) -> Date { UnitStoreCoding.date(millis) }
    static func truncated(_ date: Date) -> Date { UnitStoreCoding.truncated(date) }

    // MARK: - Units

    static func decodeUnit(_ row: PostgresRow) throws -> ServiceUnit {
        let cells = row.makeRandomAccess()
        let codeText = (try? cells["code"].decode(String.self)) ?? "?"
        do {
            let code = try UnifiedSocialCreditCode.parse(codeText, field: "code")
            let kind = try UnitKind.parse(kind: try cells["kind"].decode(String.self), sector: try cells["sector"].decode(String?.self))
            return ServiceUnit(
                code: code, name: try cells["name"].decode(String.self), kind: kind,
                district: try cells["district"].decode(String.self),
                isTaskForceOffice: try cells["task_force"].decode(Bool.self), active: try cells["active"].decode(Bool.self))
        } catch {
            throw NoProofError.unitStorage("stored unit \(codeText) is unreadable: \(error)")
        }
    }

    /// The unit with `code`; its row locked until the end of the transaction when `lock`.
    static func fetchUnit(
        _ connection: PostgresConnection, _ code: UnifiedSocialCreditCode, lock: Bool = false,
        logger: Logger
    ) async throws -> ServiceUnit? {
        let query: PostgresQuery =
            lock
            ? "SELECT code, name, kind, sector, district, task_force, active FROM unit WHERE code = \(code.value) FOR UPDATE"
            : "SELECT code, name, kind, sector, district, task_force, active FROM unit WHERE code = \(code.value)"
        return try await rows(connection, query, logger: logger).first.map(decodeUnit)
    }

    static func requireUnit(
        _ connection: PostgresConnection, _ code: UnifiedSocialCreditCode, lock: Bool = false,
        logger: Logger
    ) async throws -> ServiceUnit {
        guard let unit = try await fetchUnit(connection, code, lock: lock, logger: logger) else { throw NoProofError.unitNotFound(code) }
        return unit
    }

    /// The task force office; its row share-locked until the end of the transaction when `lock`.
    static func fetchTaskForce(_ connection: PostgresConnection, lock: Bool = false, logger: Logger) async throws -> ServiceUnit? {
        let query: PostgresQuery =
            lock
            ? "SELECT code, name, kind, sector, district, task_force, active FROM unit WHERE task_force FOR SHARE"
            : "SELECT code, name, kind, sector, district, task_force, active FROM unit WHERE task_force"
        return try await rows(connection, query, logger: logger).first.map(decodeUnit)
    }

    static func validate(_ unit: ServiceUnit) throws(NoProofError) {
        do { try unit.validate() } catch { throw NoProofError.invalid(error) }
    }

    static func taskForceTaken(_ office: ServiceUnit) -> NoProofError {
        NoProofError(.alreadyExists, "the task force office is already registered as \(office.name) (\(office.code)); there is only one")
    }

    package func createUnit(_ unit: ServiceUnit, staff: [StaffMember], at time: Date) async throws(NoProofError) {
        try Self.validate(unit)
        if let violation = StaffRule.violation(in: staff, unitActive: unit.active) { throw NoProofError.staffRule(violation) }
        let now = Self.millis(time)
        let logger = self.logger
        try await write { connection in
            try await Self.lock(connection, "noproof-unit-registry", logger: logger)
            if try await Self.fetchUnit(connection, unit.code, logger: logger) != nil {
                throw NoProofError(.alreadyExists, "unit \(unit.code) is already registered; use update to change it")
            }
            if unit.isTaskForceOffice, let office = try await Self.fetchTaskForce(connection, logger: logger) {
                throw Self.taskForceTaken(office)
            }
            try await connection.query(
                """
                INSERT INTO unit (code, name, kind, sector, district, task_force, active, created_at, updated_at)
                VALUES (\(unit.code.value), \(unit.name), \(unit.kind.kindName), \(unit.kind.sector?.rawValue), \(unit.district),
                        \(unit.isTaskForceOffice), \(unit.active), \(now), \(now))
                """, logger: logger)
            for member in staff { try await Self.upsertStaff(connection, member, unit: unit.code, now: now, logger: logger) }
        }
    }

    package func updateUnit(_ unit: ServiceUnit, at time: Date) async throws(NoProofError) {
        try Self.validate(unit)
        let now = Self.millis(time)
        let logger = self.logger
        try await write { connection in
            // The registry lock first (as createUnit), then the unit's row.
            if unit.isTaskForceOffice { try await Self.lock(connection, "noproof-unit-registry", logger: logger) }
            let old = try await Self.requireUnit(connection, unit.code, lock: true, logger: logger)
            if unit.isTaskForceOffice, !old.isTaskForceOffice, let office = try await Self.fetchTaskForce(connection, logger: logger) {
                throw Self.taskForceTaken(office)
            }
            if unit.active {
                let staff = try await Self.fetchStaff(connection, unit.code, includeInactive: true, logger: logger)
                if let violation = StaffRule.violation(in: staff, unitActive: true) { throw NoProofError.staffRule(violation) }
            }
            try await connection.query(
                """
                UPDATE unit SET name = \(unit.name), kind = \(unit.kind.kindName), sector = \(unit.kind.sector?.rawValue),
                    district = \(unit.district), task_force = \(unit.isTaskForceOffice), active = \(unit.active), updated_at = \(now)
                WHERE code = \(unit.code.value)
                """, logger: logger)
        }
    }

    package func unit(code: UnifiedSocialCreditCode) async throws(NoProofError) -> ServiceUnit? {
        let logger = self.logger
        return try await read { connection in try await Self.fetchUnit(connection, code, logger: logger) }
    }

    package func units() async throws(NoProofError) -> [ServiceUnit] {
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection, "SELECT code, name, kind, sector, district, task_force, active FROM unit ORDER BY code",
                logger: logger
            ).map(Self.decodeUnit)
        }
    }

    package func taskForceOffice() async throws(NoProofError) -> ServiceUnit? {
        let logger = self.logger
        return try await read { connection in try await Self.fetchTaskForce(connection, logger: logger) }
    }

    // MARK: - Staff

    static func decodeStaff(_ row: PostgresRow) throws -> StaffMember {
        let cells = row.makeRandomAccess()
        let id = try cells["id"].decode(String.self)
        let roleText = try cells["role"].decode(String.self)
        guard let role = StaffRole(rawValue: roleText) else {
            throw NoProofError.unitStorage("stored staff member \(id) has unknown role \(roleText)")
        }
        return StaffMember(id: id, name: try cells["name"].decode(String.self), role: role, active: try cells["active"].decode(Bool.self))
    }

    static func fetchStaff(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode, includeInactive: Bool,
        logger: Logger
    ) async throws -> [StaffMember] {
        let query: PostgresQuery =
            includeInactive
            ? "SELECT id, name, role, active FROM staff WHERE unit_code = \(unit.value) ORDER BY id"
            : "SELECT id, name, role, active FROM staff WHERE unit_code = \(unit.value) AND active ORDER BY id"
        return try await rows(connection, query, logger: logger).map(decodeStaff)
    }

    static func fetchMember(
        _ connection: PostgresConnection, _ id: String, of unit: UnifiedSocialCreditCode,
        logger: Logger
    ) async throws -> StaffMember? {
        try await rows(
            connection, "SELECT id, name, role, active FROM staff WHERE unit_code = \(unit.value) AND id = \(id)",
            logger: logger
        ).first.map(decodeStaff)
    }

    static func upsertStaff(
        _ connection: PostgresConnection, _ member: StaffMember, unit: UnifiedSocialCreditCode, now: Int64,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO staff (unit_code, id, name, role, active, updated_at)
            VALUES (\(unit.value), \(member.id), \(member.name), \(member.role.rawValue), \(member.active), \(now))
            ON CONFLICT (unit_code, id) DO UPDATE SET name = excluded.name, role = excluded.role,
                active = excluded.active, updated_at = excluded.updated_at
            """, logger: logger)
    }

    package func staff(of unit: UnifiedSocialCreditCode, includeInactive: Bool) async throws(NoProofError) -> [StaffMember] {
        let logger = self.logger
        return try await read { connection in
            _ = try await Self.requireUnit(connection, unit, logger: logger)
            return try await Self.fetchStaff(connection, unit, includeInactive: includeInactive, logger: logger)
        }
    }

    package func staffMember(_ id: String, of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> StaffMember? {
        let logger = self.logger
        return try await read { connection in try await Self.fetchMember(connection, id, of: unit, logger: logger) }
    }

    package func replaceStaff(of unit: UnifiedSocialCreditCode, with staff: [StaffMember], at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        let logger = self.logger
        try await write { connection in
            let record = try await Self.requireUnit(connection, unit, lock: true, logger: logger)
            if let violation = StaffRule.violation(in: staff, unitActive: record.active) { throw NoProofError.staffRule(violation) }
            let proposedIDs = Set(staff.map(\.id))
            for old in try await Self.fetchStaff(connection, unit, includeInactive: false, logger: logger) where !proposedIDs.contains(old.id) {
                var retired = old
                retired.active = false
                try await Self.upsertStaff(connection, retired, unit: unit, now: now, logger: logger)
            }
            for member in staff { try await Self.upsertStaff(connection, member, unit: unit, now: now, logger: logger) }
        }
    }

    package func addStaff(_ member: StaffMember, to unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        let logger = self.logger
        try await write { connection in
            let record = try await Self.requireUnit(connection, unit, lock: true, logger: logger)
            let current = try await Self.fetchStaff(connection, unit, includeInactive: true, logger: logger)
            if current.contains(where: { $0.id == member.id }) {
                throw NoProofError(.alreadyExists, "unit \(unit) already has a staff member \(member.id) (active or not); choose another id")
            }
            do throws(StaffRuleViolation) {
                _ = try StaffRule.adding(member, to: current, unitActive: record.active)
            } catch {
                throw NoProofError.staffRule(error)
            }
            try await Self.upsertStaff(connection, member, unit: unit, now: now, logger: logger)
        }
    }

    package func deactivateStaff(_ id: String, of unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) {
        let now = Self.millis(time)
        let logger = self.logger
        try await write { connection in
            let record = try await Self.requireUnit(connection, unit, lock: true, logger: logger)
            let current = try await Self.fetchStaff(connection, unit, includeInactive: true, logger: logger)
            let proposed: [StaffMember]?
            do throws(StaffRuleViolation) {
                proposed = try StaffRule.deactivating(id, in: current, unitActive: record.active)
            } catch {
                throw NoProofError.staffRule(error)
            }
            guard let member = proposed?.first(where: { $0.id == id }) else {
                throw NoProofError(.notFound, "unit \(unit) has no staff member \(id)")
            }
            try await Self.upsertStaff(connection, member, unit: unit, now: now, logger: logger)
        }
    }

    /// Requires `staffID` to be an active member of `unit` (whose row the caller has locked).
    static func requireActiveMember(
        _ connection: PostgresConnection, _ staffID: String, of unit: ServiceUnit,
        logger: Logger
    ) async throws -> StaffMember {
        guard let member = try await fetchMember(connection, staffID, of: unit.code, logger: logger), member.active else {
            throw NoProofError(.forbidden, "\(staffID) is not an active staff member of \(unit.name) (\(unit.code))")
        }
        return member
    }
}
