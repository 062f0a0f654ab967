import Foundation
import Testing
@testable import NoProofUnits

/// The limits a caller cannot rotate away (per staff member a day, new cases, per credential, per
/// unit) and the harvesting signals, driven with an explicit clock.
@Suite("Volume limits and harvesting signals")
struct VolumeLimitTests {
    /// 2026-06-01 00:00 China Standard Time.
    let midnight = Date(timeIntervalSince1970: 1_780_243_200)

    @Test func theUnitsAllowanceIsSharedByAllItsStaffAndCredentials() {
        var limiter = RateLimiter(
            limits: RateLimits(
                maxLookupsPerStaffPerMinute: 1000, maxNewCasesPerStaffPerDay: 1000,
                maxLookupsPerUnitPerMinute: 4))
        let at = midnight.addingTimeInterval(3600)
        for (i, staff) in ["a", "b", "c", "d"].enumerated() {
            #expect(limiter.admit(unit: "U", staffID: staff, caseReference: "C-\(i)", credentialID: "cred-\(i)", at: at) == nil)
        }
        let breach = limiter.admit(unit: "U", staffID: "e", caseReference: "C-9", credentialID: "cred-9", at: at)
        #expect(breach?.code == "per_unit_per_minute")
        #expect(limiter.admit(unit: "V", staffID: "e", caseReference: "C-9", credentialID: "cred-9", at: at) == nil)
        // The next clock minute starts a new count.
        #expect(limiter.admit(unit: "U", staffID: "e", caseReference: "C-9", credentialID: "cred-9", at: at.addingTimeInterval(60)) == nil)
    }

    @Test func aCredentialsAllowanceCoversEveryStaffNameItSends() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerStaffPerMinute: 1000, maxLookupsPerCredentialPerMinute: 3))
        let at = midnight.addingTimeInterval(100)
        for i in 0..<3 {
            #expect(limiter.admit(unit: "U", staffID: "s-\(i)", caseReference: "C", credentialID: "sys", at: at) == nil)
        }
        #expect(limiter.admit(unit: "U", staffID: "s-9", caseReference: "C", credentialID: "sys", at: at)?.code == "per_credential_per_minute")
        #expect(limiter.admit(unit: "U", staffID: "s-9", caseReference: "C", credentialID: "other", at: at) == nil)
    }

    @Test func freshCaseReferencesCountAsNewCasesAndTheDayEndsAtMidnightChinaTime() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerStaffPerMinute: 1000, maxNewCasesPerStaffPerDay: 2))
        let evening = midnight.addingTimeInterval(86_400 - 120)  // 23:58 CST
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C-1", at: evening) == nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C-2", at: evening) == nil)
        // Citing an opened case again is not a new case.
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C-1", at: evening) == nil)
        let breach = limiter.admit(unit: "U", staffID: "a", caseReference: "C-3", at: evening)
        #expect(breach?.code == "new_cases_per_staff_per_day")
        #expect(breach?.message.contains("cite a case already opened") == true)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C-3", at: midnight.addingTimeInterval(86_400)) == nil)
    }

    @Test func aStaffMembersDayIsBoundedAcrossMinutes() {
        var limiter = RateLimiter(limits: RateLimits(maxLookupsPerCase: 100, maxLookupsPerStaffPerMinute: 2, maxLookupsPerStaffPerDay: 3))
        let at = midnight.addingTimeInterval(600)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: at) == nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: at) == nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: at.addingTimeInterval(61)) == nil)
        #expect(limiter.admit(unit: "U", staffID: "a", caseReference: "C", at: at.addingTimeInterval(200))?.code == "per_staff_per_day")
    }

    @Test func harvestingBurstsAreNoticedOncePerQuietPeriod() {
        var rules = HarvestDetector.Rules()
        rules.newCases = 3
        rules.distinctHolders = 100
        rules.misses = 2
        var detector = HarvestDetector(rules: rules)
        let at = midnight.addingTimeInterval(1000)
        #expect(detector.observe(unit: "U", staff: "a", credentialID: "c", holder: "h1", newCase: true, at: at).isEmpty)
        #expect(detector.observe(unit: "U", staff: "a", credentialID: "c", holder: "h2", newCase: true, at: at).isEmpty)
        let raised = detector.observe(unit: "U", staff: "a", credentialID: "c", holder: "h3", newCase: true, at: at)
        #expect(raised.map(\.signal) == [.newCases])
        #expect(raised.first?.summary == "3 new case references opened by a within 10 min")
        // Not again within the quiet hour; another member is counted on their own.
        #expect(detector.observe(unit: "U", staff: "a", credentialID: "c", holder: "h4", newCase: true, at: at.addingTimeInterval(60)).isEmpty)
        #expect(detector.observe(unit: "U", staff: "b", credentialID: "c", holder: "h1", newCase: true, at: at).isEmpty)
        // Misses outside the window do not add up.
        #expect(detector.observeMiss(unit: "U", staff: "b", credentialID: "c", at: at).isEmpty)
        #expect(detector.observeMiss(unit: "U", staff: "b", credentialID: "c", at: at.addingTimeInterval(601)).isEmpty)
        #expect(detector.observeMiss(unit: "U", staff: "b", credentialID: "c", at: at.addingTimeInterval(602)).map(\.signal) == [.misses])
    }
}
