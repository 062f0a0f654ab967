import Foundation
import GRDB
import NoProofTestSupport
import Testing
@testable import NoProofAudit
import NoProofAuditChain

@Suite("Supervision tallies in the audit trail")
struct SupervisionTallyTests {
    /// 2026-11-01 00:00 China Standard Time, in Unix milliseconds.
    static let november1 = Int64(1_793_462_400_000)
    static let hour = Int64(3_600_000)
    static let day = 24 * hour

    static func record(
        _ unit: String, _ action: AuditAction, _ result: AuditResult, at millis: Int64, counterpart: String = "",
        holder: String = "370402199001011234"
    ) -> AuditRecord {
        AuditRecord(
            atMillis: millis, unitCode: unit, credentialID: "c", staff: "s", action: action, itemCode: "ITEM",
            caseReference: "CASE", holderID: holder, typeCode: "JMSFZ", result: result, counterpartUnit: counterpart)
    }

    @Test func daysAreCivilDaysInChinaStandardTime() {
        #expect(SupervisionTally.day(ofMillis: Self.november1) == 20_758)  // 2026-11-01 is day 20758 since 1970-01-01
        #expect(SupervisionTally.day(ofMillis: Self.november1 - 1) == 20_757)  // 23:59:59.999 on 31 October (CST)
        #expect(SupervisionTally.day(ofMillis: Self.november1 + 24 * Self.hour - 1) == 20_758)  // 2026-11-01 15:59:59.999 UTC: still 1 November in CST
        #expect(SupervisionTally.day(ofMillis: 0) == 0)
        #expect(SupervisionTally.day(ofMillis: -8 * Self.hour - 1) == -1)
    }

    /// A history written record by record, whose counts are known by hand: the range read returns
    /// exactly those, split at the CST midnight boundaries of the period.
    @Test func aSeededHistoryIsCountedPerUnitAndDay() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        let start = Self.november1, end = Self.november1 + 30 * Self.day  // 1 December 00:00 CST
        let history: [AuditRecord] = [
            Self.record("W", .lookup, .found, at: start - 1),  // 31 October: outside
            Self.record("W", .lookup, .found, at: start),  // first instant: inside
            Self.record("W", .lookup, .found, at: start + 5 * Self.day),
            Self.record("W", .lookup, .denied, at: start + 5 * Self.day + Self.hour),
            Self.record("W", .getLicence, .found, at: start + 6 * Self.day),
            Self.record("W", .lookup, .found, at: end - 1),  // last instant: inside
            Self.record("W", .lookup, .found, at: end),  // 1 December: outside
            Self.record("B", .lookup, .rateLimited, at: start + Self.day),
            Self.record("C", .verificationFile, .filed, at: start + 2 * Self.day, counterpart: "U"),
            Self.record("C", .verificationFile, .filed, at: start + 3 * Self.day, counterpart: "U"),
            Self.record("U", .verificationEscalate, .escalated, at: start + 3 * Self.day + Self.hour, counterpart: "C"),
        ]
        // Some as one batch, some through the group-committing append.
        _ = try log.appendBatch(Array(history.prefix(6)))
        for record in history.dropFirst(6) { _ = try log.appendBatch([record]) }
        let (from, through) = (SupervisionTally.day(ofMillis: start), SupervisionTally.day(ofMillis: end - 1))
        let all = try log.tallies(fromDay: from, throughDay: through)
        #expect(all["W"] == ["Lookup|found": 3, "Lookup|denied": 1, "GetLicence|found": 1])
        #expect(all["B"] == ["Lookup|rate_limited": 1])
        #expect(all["C"] == ["Verification.File|filed": 2, "Verification.Escalate|escalated|counterpart": 1])
        #expect(all["U"] == ["Verification.File|filed|counterpart": 2, "Verification.Escalate|escalated": 1])
        #expect(try log.tallies(fromDay: from, throughDay: through, unitCode: "W") == ["W": all["W"]!])
        // One day only: 6 November holds W's denied lookup and the found one an hour before it.
        #expect(try log.tallies(fromDay: from + 5, throughDay: from + 5, unitCode: "W") == ["W": ["Lookup|found": 1, "Lookup|denied": 1]])
        #expect(try log.tallies(fromDay: from - 1, throughDay: from - 1)["W"] == ["Lookup|found": 1])
        log.close()
    }

    /// The counters agree with the records: recomputed independently with SQL over the audit rows
    /// (own-unit metrics), after concurrent appends of many records over several days and units.
    @Test func theCountersAgreeWithTheRecords() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url, maxBatch: 13)
        let units = ["U1", "U2", "U3"], actions: [AuditAction] = [.lookup, .checkLicence, .listSubmit],
            results: [AuditResult] = [.found, .denied, .notFound, .match]
        let counterpartCount = (0..<600).filter { $0 % 10 == 0 }.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<600 {
                let record = Self.record(
                    units[index % 3], actions[index % 3 == 0 ? index % 2 : 2 - index % 2], results[index % 4],
                    at: Self.november1 + Int64(index) * 37 * 60_000, counterpart: index % 10 == 0 ? "U9" : "")
                group.addTask { _ = try await log.append(record) }
            }
            try await group.waitForAll()
        }
        log.close()
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent("audit.sqlite").path)
        defer { try? queue.close() }
        try await queue.read { db in
            let fromRecords = try Row.fetchAll(
                db,
                sql: """
                    SELECT (at_millis + 28800000) / 86400000 AS day, unit_code, action || '|' || result AS metric, COUNT(*) AS n
                    FROM audit GROUP BY day, unit_code, metric ORDER BY day, unit_code, metric
                    """
            ).map { "\($0["day"] as Int) \($0["unit_code"] as String) \($0["metric"] as String) \($0["n"] as Int)" }
            let counters = try Row.fetchAll(
                db,
                sql: """
                    SELECT day, unit_code, metric, count FROM supervision_tally WHERE metric NOT LIKE '%|counterpart'
                    ORDER BY day, unit_code, metric
                    """
            ).map { "\($0["day"] as Int) \($0["unit_code"] as String) \($0["metric"] as String) \($0["count"] as Int)" }
            #expect(!fromRecords.isEmpty)
            #expect(counters == fromRecords)
            #expect(try Int.fetchOne(db, sql: "SELECT SUM(count) FROM supervision_tally WHERE unit_code = 'U9'") == counterpartCount)
            #expect(try Int.fetchOne(db, sql: "SELECT SUM(count) FROM supervision_tally WHERE unit_code != 'U9'") == 600)
        }
    }

    /// A trail written before the tallies existed (here one from before the hash chain, schema v1)
    /// gets them from its records when it is next opened for writing, and keeps counting.
    @Test func aTrailWithoutTalliesIsBackfilled() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("audit.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try AuditLog.migrator.migrate(queue, upTo: "v1: audit records")
            try queue.write { db in
                for index in 0..<(AuditChain.pageSize + 10) {
                    let r = Self.record(
                        index % 2 == 0 ? "A" : "B", .lookup, index % 3 == 0 ? .denied : .found,
                        at: Self.november1 + Int64(index % 4) * Self.day)
                    try db.execute(
                        sql: """
                            INSERT INTO audit (at_millis, unit_code, credential_id, staff, action, item_code, case_reference,
                                               holder_id, type_code, licence_id, result, proof_serial)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            r.atMillis, r.unitCode, r.credentialID, r.staff, r.action.rawValue, r.itemCode, r.caseReference,
                            r.holderID, r.typeCode, r.licenceID, r.result.rawValue, r.proofSerial,
                        ])
                }
            }
            try queue.close()
        }
        let log = try AuditLog(directory: directory.url)
        let first = SupervisionTally.day(ofMillis: Self.november1)
        var expected: [String: [String: Int64]] = [:]
        for index in 0..<(AuditChain.pageSize + 10) {
            expected[index % 2 == 0 ? "A" : "B", default: [:]][index % 3 == 0 ? "Lookup|denied" : "Lookup|found", default: 0] += 1
        }
        #expect(try log.tallies(fromDay: first, throughDay: first + 3) == expected)
        _ = try log.appendBatch([Self.record("A", .lookup, .found, at: Self.november1)])
        #expect(try log.tallies(fromDay: first, throughDay: first + 3)["A"]?["Lookup|found"] == (expected["A"]?["Lookup|found"] ?? 0) + 1)
        #expect(try log.verifyChain().isIntact)
        log.close()
    }

    /// "Who looked at my data" reads one holder's records through the holder index, newest first, in pages.
    @Test func recordsAboutAHolderComeNewestFirstInPages() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = try AuditLog(directory: directory.url)
        let holder = "370402199001011234", other = "110101199003076532"
        var mine: [Int64] = []
        for index in 0..<25 {
            let about = index % 3 == 0 ? other : holder
            let action: AuditAction = index % 5 == 0 ? .supervisionWhoLooked : .lookup
            let sequence = try log.appendBatch([Self.record("U", action, .found, at: Self.november1 + Int64(index), holder: about)])[0]
            if about == holder && action == .lookup { mine.append(sequence) }
        }
        let first = try log.records(aboutHolder: holder, actions: [.lookup], limit: 10)
        #expect(first.map(\.sequence) == Array(mine.reversed().prefix(10)))
        let second = try log.records(aboutHolder: holder, actions: [.lookup], before: first.last!.sequence, limit: 10)
        #expect(second.map(\.sequence) == Array(mine.reversed().dropFirst(10).prefix(10)))
        #expect(try log.records(aboutHolder: holder, actions: [.lookup], limit: 100).count == mine.count)
        #expect(try log.records(aboutHolder: holder, actions: [], limit: 100).isEmpty)
        log.close()
    }
}
