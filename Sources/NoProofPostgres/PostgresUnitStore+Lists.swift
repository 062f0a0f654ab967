package import Foundation
import Logging
package import NoProofDomain
package import NoProofUnits
package import NoProofUnitStore
import PostgresNIO

/// Item list versions and their life cycle.
extension PostgresUnitStore {
    static func decodeVersion(_ row: PostgresRow) throws -> ItemListVersion {
        do {
            let document = try row.decode(String.self)
            return try UnitStoreCoding.decoder.decode(ItemListVersion.self, from: Data(document.utf8))
        } catch {
            throw NoProofError.unitStorage("stored list version is unreadable: \(error)")
        }
    }

    /// One version; its row locked until the end of the transaction when `lock`.
    static func fetchVersion(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode, _ version: Int, lock: Bool = false,
        logger: Logger
    ) async throws -> ItemListVersion? {
        let query: PostgresQuery =
            lock
            ? "SELECT document FROM item_list_version WHERE unit_code = \(unit.value) AND version = \(version) FOR UPDATE"
            : "SELECT document FROM item_list_version WHERE unit_code = \(unit.value) AND version = \(version)"
        return try await rows(connection, query, logger: logger).first.map(decodeVersion)
    }

    static func requireVersion(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode, _ version: Int, lock: Bool = false,
        logger: Logger
    ) async throws -> ItemListVersion {
        guard let list = try await fetchVersion(connection, unit, version, lock: lock, logger: logger) else {
            throw NoProofError(.notFound, "unit \(unit) has no list version \(version)")
        }
        return list
    }

    static func saveVersion(_ connection: PostgresConnection, _ list: ItemListVersion, insert: Bool, logger: Logger) async throws {
        let document = String(decoding: try UnitStoreCoding.encoder.encode(list), as: UTF8.self)
        let effective = list.effectiveAt.map(millis), updated = millis(list.updatedAt)
        if insert {
            try await connection.query(
                """
                INSERT INTO item_list_version (unit_code, version, status, effective_at, document, updated_at)
                VALUES (\(list.unitCode.value), \(list.version), \(list.status.rawValue), \(effective), \(document), \(updated))
                """, logger: logger)
        } else {
            try await connection.query(
                """
                UPDATE item_list_version SET status = \(list.status.rawValue), effective_at = \(effective), document = \(document),
                    updated_at = \(updated)
                WHERE unit_code = \(list.unitCode.value) AND version = \(list.version)
                """, logger: logger)
        }
    }

    static func fetchInForce(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode, at millis: Int64,
        logger: Logger
    ) async throws -> ItemListVersion? {
        try await rows(
            connection,
            """
            SELECT document FROM item_list_version
            WHERE unit_code = \(unit.value) AND status = 'published' AND effective_at <= \(millis)
            ORDER BY effective_at DESC, version DESC LIMIT 1
            """, logger: logger
        ).first.map(decodeVersion)
    }

    static func fetchLatestPublished(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode,
        logger: Logger
    ) async throws -> ItemListVersion? {
        try await rows(
            connection,
            """
            SELECT document FROM item_list_version WHERE unit_code = \(unit.value) AND status = 'published'
            ORDER BY version DESC LIMIT 1
            """, logger: logger
        ).first.map(decodeVersion)
    }

    static func fetchOpenVersion(
        _ connection: PostgresConnection, _ unit: UnifiedSocialCreditCode,
        logger: Logger
    ) async throws -> ItemListVersion? {
        try await rows(
            connection,
            """
            SELECT document FROM item_list_version WHERE unit_code = \(unit.value) AND status <> 'published' ORDER BY version DESC LIMIT 1
            """, logger: logger
        ).first.map(decodeVersion)
    }

    /// Creates the next draft inside a transaction that holds `unit`'s row lock.
    func makeDraft(
        _ connection: PostgresConnection, unit: ServiceUnit, by staffID: String, at time: Date,
        logger: Logger
    ) async throws -> ItemListVersion {
        if let open = try await Self.fetchOpenVersion(connection, unit.code, logger: logger) {
            throw NoProofError(.conflict, "\(unit.name) already has version \(open.version) open (\(open.status.rawValue)); finish it before starting another")
        }
        let latest =
            try await Self.rows(
                connection, "SELECT max(version) FROM item_list_version WHERE unit_code = \(unit.code.value)",
                logger: logger
            ).first.map { try $0.decode(Int?.self) } ?? nil
        let base = try await Self.fetchLatestPublished(connection, unit.code, logger: logger)
        let draft = machine.newDraft(unitCode: unit.code, version: (latest ?? 0) + 1, basedOn: base, by: staffID, at: time)
        do {
            try await Self.saveVersion(connection, draft, insert: true, logger: logger)
        } catch let error where Self.isUniqueViolation(error) {
            // Not reached while every writer locks the unit's row first; the key and the unique index say the same.
            throw NoProofError(.conflict, "\(unit.name) already has a version open; finish it before starting another")
        }
        return draft
    }

    package func createDraft(unit: UnifiedSocialCreditCode, by staffID: String, at time: Date) async throws(NoProofError) -> ItemListVersion {
        let at = Self.truncated(time)
        let logger = self.logger
        return try await write { connection in
            let record = try await Self.requireUnit(connection, unit, lock: true, logger: logger)
            _ = try await Self.requireActiveMember(connection, staffID, of: record, logger: logger)
            return try await self.makeDraft(connection, unit: record, by: staffID, at: at, logger: logger)
        }
    }

    /// Applies `event` to version `version` of `unit` in one transaction holding the unit's row lock
    /// and the version's. `actor` is checked as an active member of the unit, or of the task force
    /// office (share-locked) when `reviewer`; no check when `actor` is `nil`.
    package func applyListEvent(
        unit: UnifiedSocialCreditCode, version: Int, actor: String?, reviewer: Bool,
        _ makeEvent: @Sendable @escaping (ServiceUnit?) -> ItemListEvent
    ) async throws(NoProofError) -> ItemListVersion {
        let logger = self.logger
        return try await write { connection in
            let record = try await Self.requireUnit(connection, unit, lock: true, logger: logger)
            var reviewingUnit: ServiceUnit?
            if let actor {
                if reviewer {
                    guard let office = try await Self.fetchTaskForce(connection, lock: true, logger: logger) else {
                        throw NoProofError(.conflict, "no task force office is registered; register it before reviewing lists")
                    }
                    _ = try await Self.requireActiveMember(connection, actor, of: office, logger: logger)
                    reviewingUnit = office
                } else {
                    _ = try await Self.requireActiveMember(connection, actor, of: record, logger: logger)
                }
            }
            let list = try await Self.requireVersion(connection, unit, version, lock: true, logger: logger)
            var base: ItemListVersion?
            if let basedOn = list.basedOn { base = try await Self.fetchVersion(connection, unit, basedOn, logger: logger) }
            let next = try self.machine.apply(makeEvent(reviewingUnit), to: list, base: base)
            try await Self.saveVersion(connection, next, insert: false, logger: logger)
            return next
        }
    }

    /// Publishes the due versions, locked in (unit, version) order: of two instances calling it at
    /// once, the second waits and then finds them published.
    package func publishDue(at time: Date) async throws(NoProofError) -> [ItemListVersion] {
        let at = Self.truncated(time)
        let logger = self.logger
        return try await write { connection in
            let due = try await Self.rows(
                connection,
                """
                SELECT document FROM item_list_version WHERE status = 'approved' AND effective_at <= \(Self.millis(at))
                ORDER BY unit_code, version FOR UPDATE
                """, logger: logger
            ).map(Self.decodeVersion)
            var published: [ItemListVersion] = []
            for list in due {
                let next = try self.machine.apply(.publish(by: "system", at: at), to: list)
                try await Self.saveVersion(connection, next, insert: false, logger: logger)
                published.append(next)
            }
            return published
        }
    }

    package func listVersion(unit: UnifiedSocialCreditCode, version: Int) async throws(NoProofError) -> ItemListVersion? {
        let logger = self.logger
        return try await read { connection in try await Self.fetchVersion(connection, unit, version, logger: logger) }
    }

    package func listHistory(unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [ItemListVersion] {
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection, "SELECT document FROM item_list_version WHERE unit_code = \(unit.value) ORDER BY version",
                logger: logger
            ).map(Self.decodeVersion)
        }
    }

    package func versionInForce(unit: UnifiedSocialCreditCode, at time: Date) async throws(NoProofError) -> ItemListVersion? {
        let at = Self.millis(time)
        let logger = self.logger
        return try await read { connection in try await Self.fetchInForce(connection, unit, at: at, logger: logger) }
    }

    /// Every unit's version in force at `time`, in one statement (one snapshot), ordered by unit code.
    package func listsInForce(at time: Date) async throws(NoProofError) -> [ItemListVersion] {
        let at = Self.millis(time)
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection,
                """
                SELECT DISTINCT ON (unit_code) document FROM item_list_version
                WHERE status = 'published' AND effective_at <= \(at)
                ORDER BY unit_code, effective_at DESC, version DESC
                """, logger: logger
            ).map(Self.decodeVersion)
        }
    }

    package func loadLists(_ file: ItemListBulkFile, by staffID: String, at time: Date) async throws(NoProofError) -> BulkLoadReport {
        let at = Self.truncated(time)
        do { try StaffMember.validateID(staffID, field: "staff_id") } catch { throw NoProofError.invalid(error) }
        let logger = self.logger
        return try await write { connection in
            var report = BulkLoadReport(loaded: [], problems: file.problems)
            for entry in file.entries {
                func problem(_ field: String, _ message: String) {
                    report.problems.append(BulkLoadProblem(location: entry.location, unit: entry.unitCode.value, field: field, message: message))
                }
                guard let unit = try await Self.fetchUnit(connection, entry.unitCode, lock: true, logger: logger) else {
                    problem("unit", "unit \(entry.unitCode) is not registered; create it before loading its list")
                    continue
                }
                var draft: ItemListVersion
                if let open = try await Self.fetchOpenVersion(connection, unit.code, logger: logger) {
                    guard open.status == .draft else {
                        problem("unit", "\(unit.name) has version \(open.version) \(open.status.rawValue); a list under review or approved is not overwritten")
                        continue
                    }
                    draft = open
                } else {
                    draft = try await self.makeDraft(connection, unit: unit, by: staffID, at: at, logger: logger)
                }
                do throws(NoProofError) {
                    draft = try self.machine.apply(.edit(items: entry.items, changes: entry.basedOnChanges(draft), by: staffID, at: at), to: draft)
                } catch {
                    problem(error.field ?? "items", error.message)
                    continue
                }
                try await Self.saveVersion(connection, draft, insert: false, logger: logger)
                report.loaded.append(BulkLoadReport.Loaded(unitCode: unit.code.value, version: draft.version, itemCount: draft.items.count))
            }
            return report
        }
    }
}
