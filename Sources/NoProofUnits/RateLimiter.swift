import Foundation

/// Counts lookups per case reference and per staff member per minute and refuses those that
/// exceed `RateLimits`. A value type with no clock of its own: every call passes the time, so the
/// behaviour is deterministic in tests. Share one instance behind a lock.
///
/// Only admitted lookups are counted. The per-case count runs from the case's first lookup for
/// `caseWindowSeconds`; the per-staff count is a sliding 60-second window.
package struct RateLimiter: Sendable {
    struct StaffKey: Hashable, Sendable { var unit: String; var staff: String }
    struct CaseKey: Hashable, Sendable { var unit: String; var reference: String }
    struct CaseCount: Sendable { var firstAt: Date; var count: Int }

    /// The limits in force.
    package var limits: RateLimits
    var staffWindows: [StaffKey: [Date]] = [:]
    var cases: [CaseKey: CaseCount] = [:]
    var callsSincePrune = 0

    /// Creates a limiter.
    package init(limits: RateLimits = .standard) {
        self.limits = limits
    }

    /// Decides on a lookup by `staffID` of `unit` for `caseReference` at `now`, counting it
    /// when admitted.
    /// - Returns: `nil` when admitted, otherwise the breach (the per-case limit is checked first).
    package mutating func admit(unit: String, staffID: String, caseReference: String, at now: Date) -> RateLimitBreach? {
        callsSincePrune += 1
        if callsSincePrune >= 4096 { prune(now: now) }
        let caseKey = CaseKey(unit: unit, reference: caseReference)
        var caseCount = cases[caseKey] ?? CaseCount(firstAt: now, count: 0)
        if now.timeIntervalSince(caseCount.firstAt) >= limits.caseWindowSeconds {
            caseCount = CaseCount(firstAt: now, count: 0)
        }
        if caseCount.count >= limits.maxLookupsPerCase {
            return RateLimitBreach(limit: .perCase(caseReference: caseReference), currentCount: caseCount.count, maximum: limits.maxLookupsPerCase)
        }
        let staffKey = StaffKey(unit: unit, staff: staffID)
        var window = staffWindows[staffKey] ?? []
        window.removeAll { now.timeIntervalSince($0) >= 60 }
        if window.count >= limits.maxLookupsPerStaffPerMinute {
            staffWindows[staffKey] = window
            return RateLimitBreach(limit: .perStaffPerMinute(staffID: staffID), currentCount: window.count, maximum: limits.maxLookupsPerStaffPerMinute)
        }
        window.append(now)
        staffWindows[staffKey] = window
        caseCount.count += 1
        cases[caseKey] = caseCount
        return nil
    }

    /// Lookups counted for `caseReference` of `unit` at `now`.
    package func caseCount(unit: String, caseReference: String, at now: Date) -> Int {
        guard let count = cases[CaseKey(unit: unit, reference: caseReference)],
              now.timeIntervalSince(count.firstAt) < limits.caseWindowSeconds else { return 0 }
        return count.count
    }

    /// Lookups by `staffID` of `unit` in the 60 seconds before `now`.
    package func staffCount(unit: String, staffID: String, at now: Date) -> Int {
        (staffWindows[StaffKey(unit: unit, staff: staffID)] ?? []).filter { now.timeIntervalSince($0) < 60 }.count
    }

    /// Drops counters that can no longer refuse anything (called automatically every 4096 calls).
    package mutating func prune(now: Date) {
        callsSincePrune = 0
        cases = cases.filter { now.timeIntervalSince($0.value.firstAt) < limits.caseWindowSeconds }
        staffWindows = staffWindows.compactMapValues { window in
            let kept = window.filter { now.timeIntervalSince($0) < 60 }
            return kept.isEmpty ? nil : kept
        }
    }
}
