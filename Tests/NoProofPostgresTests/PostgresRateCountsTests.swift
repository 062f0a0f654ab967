import Foundation
import Logging
import NoProofDomain
import NoProofTestSupport
import NoProofUnits
import PostgresNIO
import Testing
@testable import NoProofPostgres

/// Rate and volume limits counted across two instances (two pools) on one schema (issue 18):
/// each admits half a unit's allowance, and after one exchange each refuses at the limit.
/// Skipped, with the reason shown, without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresRateCountsTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let limits = RateLimits(
        maxLookupsPerCase: 1_000, maxLookupsPerStaffPerMinute: 1_000, maxLookupsPerStaffPerDay: 1_000, maxNewCasesPerStaffPerDay: 1_000,
        maxLookupsPerCredentialPerMinute: 1_000, maxLookupsPerCredentialPerDay: 1_000, maxLookupsPerUnitPerMinute: 10,
        maxLookupsPerUnitPerDay: 1_000)

    static func rowCount(_ database: PostgresStoreDatabase) async throws -> Int64 {
        try await database.withConnection { connection in
            var count: Int64 = 0
            for try await value in try await connection.query("SELECT count(*) FROM rate_count", logger: database.logger).decode(Int64.self) {
                count = value
            }
            return count
        }
    }

    @Test func twoInstancesTogetherRefuseAtTheUnitsLimit() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            let countsA = try await PostgresRateCounts.open(databases[0], instance: "a")
            let countsB = try await PostgresRateCounts.open(databases[1], instance: "b")
            var a = RateLimiter(limits: Self.limits, shared: countsA)
            var b = RateLimiter(limits: Self.limits, shared: countsB)
            let unitMinute = RateLimiter.WindowKey(scope: .unitMinute("U"), window: RateLimiter.minute(Self.now))
            // Alone, each instance would admit the unit's whole allowance of 10; A takes half.
            for i in 0..<5 {
                #expect(a.admit(unit: "U", staffID: "agent-0001", caseReference: "A\(i)", credentialID: "K", at: Self.now) == nil)
            }
            try await countsA.sync(at: Self.now)
            try await countsB.sync(at: Self.now)
            #expect(countsB.othersCount(unitMinute) == 5)
            // B admits the other half, then refuses: 5 here and 5 on A reach the limit.
            for i in 0..<5 {
                #expect(b.admit(unit: "U", staffID: "agent-0002", caseReference: "B\(i)", credentialID: "K", at: Self.now) == nil)
            }
            #expect(
                b.admit(unit: "U", staffID: "agent-0002", caseReference: "B5", credentialID: "K", at: Self.now)
                    == RateLimitBreach(limit: .perUnitPerMinute, currentCount: 10, maximum: 10))
            // A has not heard of B's five yet: what it may still admit is the stated bound (B's
            // lookups since A's last read); after the next exchange it refuses too.
            try await countsB.sync(at: Self.now)
            try await countsA.sync(at: Self.now)
            #expect(countsA.othersCount(unitMinute) == 5)
            #expect(a.admit(unit: "U", staffID: "agent-0001", caseReference: "A5", credentialID: "K", at: Self.now)?.limit == .perUnitPerMinute)
            // Another unit is untouched; the credential's and the staff members' days were counted on both.
            #expect(a.admit(unit: "V", staffID: "agent-0001", caseReference: "V0", at: Self.now) == nil)
            let credentialDay = RateLimiter.WindowKey(scope: .credentialDay("K"), window: RateLimiter.day(Self.now))
            #expect(countsA.othersCount(credentialDay) == 5 && countsB.othersCount(credentialDay) == 5)
            #expect(countsA.othersCount(RateLimiter.WindowKey(scope: .staffDay(unit: "U", staff: "agent-0002"), window: RateLimiter.day(Self.now))) == 5)
        }
    }

    @Test func aRepeatedWriteCountsNothingTwiceAndEndedWindowsArePruned() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            let countsA = try await PostgresRateCounts.open(databases[0], instance: "a")
            let countsB = try await PostgresRateCounts.open(databases[1], instance: "b")
            var a = RateLimiter(limits: Self.limits, shared: countsA)
            #expect(a.admit(unit: "U", staffID: "s", caseReference: "C0", at: Self.now) == nil)
            #expect(a.admit(unit: "U", staffID: "s", caseReference: "C1", at: Self.now) == nil)
            try await countsA.sync(at: Self.now)
            try await countsA.sync(at: Self.now)  // nothing new: nothing written, nothing added
            try await countsB.sync(at: Self.now)
            let unitMinute = RateLimiter.WindowKey(scope: .unitMinute("U"), window: RateLimiter.minute(Self.now))
            #expect(countsB.othersCount(unitMinute) == 2)
            // unit minute, unit day, staff day, new cases day: four windows written by A.
            #expect(try await Self.rowCount(databases[0]) == 4)
            // Two days later every window has ended: the minute's row is gone from what B reads at
            // once, and the rows themselves once a prune comes round.
            let later = Self.now.addingTimeInterval(2 * 86_400)
            try await countsB.sync(at: later)
            #expect(countsB.othersCount(unitMinute) == 0)
            for _ in 0..<PostgresRateCounts.pruneEvery { try await countsB.sync(at: later) }
            #expect(try await Self.rowCount(databases[0]) == 0)
        }
    }
}
