import Foundation
import Testing
@testable import NoProofUnits

@Suite("Rate limiter")
struct RateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func perCaseLimitCountsAdmittedLookupsOnly() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerCase: 3, maxLookupsPerStaffPerMinute: 100))
        for i in 0..<3 {
            #expect(limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "CASE-1", at: start.addingTimeInterval(Double(i))) == nil)
        }
        let breach = limiter.admit(unit: "U", staffID: "agent-0002", caseReference: "CASE-1", at: start.addingTimeInterval(10))
        #expect(breach == RateLimitBreach(limit: .perCase(caseReference: "CASE-1"), currentCount: 3, maximum: 3))
        #expect(breach?.code == "per_case")
        #expect(breach?.message.contains("CASE-1") == true)
        // Refused lookups are not counted; other cases and other units are separate.
        #expect(limiter.caseCount(unit: "U", caseReference: "CASE-1", at: start.addingTimeInterval(10)) == 3)
        #expect(limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "CASE-2", at: start.addingTimeInterval(11)) == nil)
        #expect(limiter.admit(unit: "V", staffID: "agent-0001", caseReference: "CASE-1", at: start.addingTimeInterval(11)) == nil)
    }

    @Test func perCaseCountResetsAfterItsWindow() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerCase: 1, caseWindowSeconds: 3600, maxLookupsPerStaffPerMinute: 100))
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: start) == nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: start.addingTimeInterval(3599)) != nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: start.addingTimeInterval(3600)) == nil)
    }

    @Test func perStaffPerMinuteIsASlidingWindow() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerCase: 1000, maxLookupsPerStaffPerMinute: 60))
        for i in 0..<60 {
            #expect(limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "C\(i)", at: start.addingTimeInterval(Double(i) * 0.5)) == nil)
        }
        let breach = limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "C-next", at: start.addingTimeInterval(40))
        #expect(breach == RateLimitBreach(limit: .perStaffPerMinute(staffID: "agent-0001"), currentCount: 60, maximum: 60))
        #expect(breach?.code == "per_staff_per_minute")
        // Another staff member is unaffected.
        #expect(limiter.admit(unit: "U", staffID: "agent-0002", caseReference: "C-other", at: start.addingTimeInterval(40)) == nil)
        // At +60 s the first lookup (at +0 s) has left the window.
        #expect(limiter.staffCount(unit: "U", staffID: "agent-0001", at: start.addingTimeInterval(60)) == 59)
        #expect(limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "C-next", at: start.addingTimeInterval(60)) == nil)
        #expect(limiter.admit(unit: "U", staffID: "agent-0001", caseReference: "C-next2", at: start.addingTimeInterval(60)) != nil)
    }

    @Test func pruningForgetsOnlyExpiredCounters() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerCase: 2, caseWindowSeconds: 100, maxLookupsPerStaffPerMinute: 5))
        _ = limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: start)
        limiter.prune(now: start.addingTimeInterval(50))
        #expect(limiter.caseCount(unit: "U", caseReference: "C", at: start.addingTimeInterval(50)) == 1)
        #expect(limiter.staffCount(unit: "U", staffID: "a", at: start.addingTimeInterval(50)) == 1)
        limiter.prune(now: start.addingTimeInterval(200))
        #expect(limiter.cases.isEmpty && limiter.staffWindows.isEmpty)
    }
}
