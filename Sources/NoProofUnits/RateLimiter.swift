package import Foundation

/// Counts lookups per case reference and per staff member per minute and refuses those that
/// exceed `RateLimits`. A value type with no clock of its own: every call passes the time, so the
/// behaviour is deterministic in tests. Share one instance behind a lock.
///
/// Only admitted lookups are counted. The per-case count runs from the case's first lookup for
/// `caseWindowSeconds`; the per-staff-per-minute count is a sliding 60-second window; the other
/// counts are fixed windows: the clock minute, and the civil day in China Standard Time.
///
/// Several instances (PostgreSQL): given `shared`, the fixed-window counts add what the other
/// instances reported (`SharedRateCounts`), so a unit's allowance is counted cluster-wide, late by
/// at most the exchange's reporting lag. The per-case and per-staff sliding-minute counts stay
/// this instance's own.
package struct RateLimiter: Sendable {
    struct StaffKey: Hashable, Sendable { var unit: String; var staff: String }
    struct CaseKey: Hashable, Sendable { var unit: String; var reference: String }
    struct CaseCount: Sendable { var firstAt: Date; var count: Int }
    /// A fixed-window counter: what it counts and the window's number (minute or day since 1970).
    package struct WindowKey: Hashable, Sendable {
        package enum Scope: Hashable, Sendable {
            case staffDay(unit: String, staff: String)
            case newCasesDay(unit: String, staff: String)
            case credentialMinute(String)
            case credentialDay(String)
            case unitMinute(String)
            case unitDay(String)
        }
        package var scope: Scope
        package var window: Int

        package init(scope: Scope, window: Int) {
            self.scope = scope
            self.window = window
        }
    }

    /// The limits in force.
    package var limits: RateLimits
    var staffWindows: [StaffKey: [Date]] = [:]
    var cases: [CaseKey: CaseCount] = [:]
    var windows: [WindowKey: Int] = [:]
    var callsSincePrune = 0
    /// The other instances' counts of the fixed windows (nil on a single instance).
    let shared: (any SharedRateCounts)?

    /// Creates a limiter; `shared` brings in the counts of the other instances of a cluster.
    package init(limits: RateLimits = .standard, shared: (any SharedRateCounts)? = nil) {
        self.limits = limits
        self.shared = shared
    }

    /// Decides on a lookup by `staffID` of `unit` for `caseReference` at `now`, made with
    /// `credentialID` ("" skips the per-credential limits), counting it when admitted.
    /// - Returns: `nil` when admitted, otherwise the first limit reached, checked in this order:
    ///   per case, per staff member (minute, day, new cases), per credential (minute, day), per
    ///   unit (minute, day).
    package mutating func admit(
        unit: String, staffID: String, caseReference: String, credentialID: String = "",
        at now: Date
    ) -> RateLimitBreach? {
        admission(unit: unit, staffID: staffID, caseReference: caseReference, credentialID: credentialID, at: now).breach
    }

    /// `admit`, also saying whether the lookup cites its case reference for the first time (in
    /// the case window) — one of the harvesting signals (`HarvestDetector`).
    package mutating func admission(
        unit: String, staffID: String, caseReference: String, credentialID: String = "",
        at now: Date
    ) -> (breach: RateLimitBreach?, newCase: Bool) {
        callsSincePrune += 1
        if callsSincePrune >= 4096 { prune(now: now) }
        let caseKey = CaseKey(unit: unit, reference: caseReference)
        var caseCount = cases[caseKey] ?? CaseCount(firstAt: now, count: 0)
        let newCase = caseCount.count == 0 || now.timeIntervalSince(caseCount.firstAt) >= limits.caseWindowSeconds
        if now.timeIntervalSince(caseCount.firstAt) >= limits.caseWindowSeconds {
            caseCount = CaseCount(firstAt: now, count: 0)
        }
        if caseCount.count >= limits.maxLookupsPerCase {
            return (RateLimitBreach(limit: .perCase(caseReference: caseReference), currentCount: caseCount.count, maximum: limits.maxLookupsPerCase), newCase)
        }
        let staffKey = StaffKey(unit: unit, staff: staffID)
        var window = staffWindows[staffKey] ?? []
        window.removeAll { now.timeIntervalSince($0) >= 60 }
        if window.count >= limits.maxLookupsPerStaffPerMinute {
            staffWindows[staffKey] = window
            return (
                RateLimitBreach(limit: .perStaffPerMinute(staffID: staffID), currentCount: window.count, maximum: limits.maxLookupsPerStaffPerMinute), newCase
            )
        }
        let minute = Self.minute(now), day = Self.day(now)
        var counted: [(WindowKey, Int, RateLimitBreach.Limit)] = [
            (WindowKey(scope: .staffDay(unit: unit, staff: staffID), window: day), limits.maxLookupsPerStaffPerDay, .perStaffPerDay(staffID: staffID))
        ]
        if newCase {
            counted.append(
                (
                    WindowKey(scope: .newCasesDay(unit: unit, staff: staffID), window: day), limits.maxNewCasesPerStaffPerDay,
                    .newCasesPerStaffPerDay(staffID: staffID)
                ))
        }
        if !credentialID.isEmpty {
            counted.append(
                (
                    WindowKey(scope: .credentialMinute(credentialID), window: minute), limits.maxLookupsPerCredentialPerMinute,
                    .perCredentialPerMinute(credentialID: credentialID)
                ))
            counted.append(
                (
                    WindowKey(scope: .credentialDay(credentialID), window: day), limits.maxLookupsPerCredentialPerDay,
                    .perCredentialPerDay(credentialID: credentialID)
                ))
        }
        counted.append((WindowKey(scope: .unitMinute(unit), window: minute), limits.maxLookupsPerUnitPerMinute, .perUnitPerMinute))
        counted.append((WindowKey(scope: .unitDay(unit), window: day), limits.maxLookupsPerUnitPerDay, .perUnitPerDay))
        for (key, maximum, limit) in counted {
            let count = (windows[key] ?? 0) + (shared?.othersCount(key) ?? 0)
            if count >= maximum {
                staffWindows[staffKey] = window
                return (RateLimitBreach(limit: limit, currentCount: count, maximum: maximum), newCase)
            }
        }
        for (key, _, _) in counted { windows[key, default: 0] += 1 }
        shared?.counted(counted.map(\.0))
        window.append(now)
        staffWindows[staffKey] = window
        caseCount.count += 1
        cases[caseKey] = caseCount
        return (nil, newCase)
    }

    /// The clock minute of `date`, counted from 1970.
    package static func minute(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
    /// The civil day of `date` in China Standard Time (UTC+8), counted from 1970-01-01.
    package static func day(_ date: Date) -> Int { Int(((date.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)) }

    /// Lookups counted for `caseReference` of `unit` at `now`.
    package func caseCount(unit: String, caseReference: String, at now: Date) -> Int {
        guard let count = cases[CaseKey(unit: unit, reference: caseReference)],
            now.timeIntervalSince(count.firstAt) < limits.caseWindowSeconds
        else { return 0 }
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
        let minute = Self.minute(now), day = Self.day(now)
        windows = windows.filter { key, _ in
            switch key.scope {
            case .credentialMinute, .unitMinute: key.window >= minute
            case .staffDay, .newCasesDay, .credentialDay, .unitDay: key.window >= day
            }
        }
        staffWindows = staffWindows.compactMapValues { window in
            let kept = window.filter { now.timeIntervalSince($0) < 60 }
            return kept.isEmpty ? nil : kept
        }
    }
}
