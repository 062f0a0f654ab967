import Foundation
import Synchronization
import Testing
@testable import NoProofUnits

/// The limiter on one instance of several (issue 18): the other instances' counts of the fixed
/// windows, as a `SharedRateCounts` reports them, count against the limits too.
@Suite("Rate limiter with shared counts")
struct RateLimiterSharedCountsTests {
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Other instances' counts as given by the test, and what this instance reported.
    final class FixedCounts: SharedRateCounts {
        let others: [RateLimiter.WindowKey: Int]
        let reported = Mutex<[RateLimiter.WindowKey: Int]>([:])

        init(_ others: [RateLimiter.WindowKey: Int]) { self.others = others }

        func othersCount(_ key: RateLimiter.WindowKey) -> Int { others[key] ?? 0 }
        func counted(_ keys: [RateLimiter.WindowKey]) { reported.withLock { for key in keys { $0[key, default: 0] += 1 } } }
    }

    static let roomy = RateLimits(
        maxLookupsPerCase: 1_000, maxLookupsPerStaffPerMinute: 1_000, maxLookupsPerStaffPerDay: 1_000, maxNewCasesPerStaffPerDay: 1_000,
        maxLookupsPerCredentialPerMinute: 1_000, maxLookupsPerCredentialPerDay: 1_000, maxLookupsPerUnitPerMinute: 10,
        maxLookupsPerUnitPerDay: 1_000)

    @Test func otherInstancesCountsCountAgainstTheUnitsMinute() {
        let minute = RateLimiter.minute(start)
        let shared = FixedCounts([RateLimiter.WindowKey(scope: .unitMinute("U"), window: minute): 7])
        var limiter = RateLimiter(limits: Self.roomy, shared: shared)
        for i in 0..<3 {
            #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C\(i)", at: start) == nil)
        }
        let breach = limiter.admit(unit: "U", staffID: "a", caseReference: "C3", at: start)
        #expect(breach == RateLimitBreach(limit: .perUnitPerMinute, currentCount: 10, maximum: 10))
        // Another unit is not affected by U's counts elsewhere.
        #expect(limiter.admit(unit: "V", staffID: "a", caseReference: "C0", at: start) == nil)
        // What this instance admitted was reported, window by window; the refusal was not counted.
        let reported = shared.reported.withLock { $0 }
        #expect(reported[RateLimiter.WindowKey(scope: .unitMinute("U"), window: minute)] == 3)
        #expect(reported[RateLimiter.WindowKey(scope: .unitDay("U"), window: RateLimiter.day(start))] == 3)
        #expect(reported[RateLimiter.WindowKey(scope: .staffDay(unit: "U", staff: "a"), window: RateLimiter.day(start))] == 3)
        #expect(reported[RateLimiter.WindowKey(scope: .unitMinute("V"), window: minute)] == 1)
    }

    @Test func otherInstancesCountsOfAnEarlierWindowDoNotCount() {
        let minute = RateLimiter.minute(start)
        let shared = FixedCounts([RateLimiter.WindowKey(scope: .unitMinute("U"), window: minute - 1): 10])
        var limiter = RateLimiter(limits: Self.roomy, shared: shared)
        for i in 0..<10 {
            #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C\(i)", at: start) == nil)
        }
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C10", at: start)?.limit == .perUnitPerMinute)
    }

    @Test func otherInstancesCountsCountAgainstCredentialAndStaffDays() {
        let day = RateLimiter.day(start)
        var limits = Self.roomy
        limits.maxLookupsPerUnitPerMinute = 1_000
        limits.maxLookupsPerCredentialPerDay = 5
        limits.maxNewCasesPerStaffPerDay = 2
        let shared = FixedCounts([
            RateLimiter.WindowKey(scope: .credentialDay("K1"), window: day): 4,
            RateLimiter.WindowKey(scope: .newCasesDay(unit: "U", staff: "b"), window: day): 2,
        ])
        var limiter = RateLimiter(limits: limits, shared: shared)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C0", credentialID: "K1", at: start) == nil)
        #expect(
            limiter.admit(unit: "U", staffID: "a", caseReference: "C1", credentialID: "K1", at: start)
                == RateLimitBreach(limit: .perCredentialPerDay(credentialID: "K1"), currentCount: 5, maximum: 5))
        // Staff member b opened their two new cases elsewhere today: a third is refused here.
        #expect(
            limiter.admit(unit: "U", staffID: "b", caseReference: "C9", at: start)
                == RateLimitBreach(limit: .newCasesPerStaffPerDay(staffID: "b"), currentCount: 2, maximum: 2))
    }

    @Test func scopesSurviveTheirStoredForm() {
        let scopes: [RateLimiter.WindowKey.Scope] = [
            .staffDay(unit: "U1", staff: "agent/x"), .newCasesDay(unit: "U1", staff: "a"), .credentialMinute("K"), .credentialDay("K"),
            .unitMinute("U1"), .unitDay("U1"),
        ]
        for scope in scopes {
            let (kind, subject) = scope.stored
            #expect(RateLimiter.WindowKey.Scope(kind: kind, subject: subject) == scope)
            #expect(RateLimiter.WindowKey.Scope.minuteKinds.contains(kind) == scope.isMinute)
            #expect(RateLimiter.WindowKey.Scope.dayKinds.contains(kind) == !scope.isMinute)
        }
        #expect(RateLimiter.WindowKey.Scope(kind: "staff_day", subject: "no-slash") == nil)
        #expect(RateLimiter.WindowKey.Scope(kind: "weekly", subject: "U") == nil)
    }
}
