package import Foundation

/// Notices the shape of harvesting in the calls the limits admit (docs/SECURITY.md): one staff
/// member of a unit opening many new case references, asking about many different holders, or
/// missing often (guessing identifiers) within a short window. Each such burst is a `Suspicion`
/// the gate writes to the audit trail, where the supervision report counts it and raises the
/// `harvesting_suspected` flag. A value type with no clock of its own; share it behind a lock.
package struct HarvestDetector: Sendable {
    /// What makes a burst, per staff member of a unit.
    package struct Rules: Hashable, Sendable {
        /// The window the counts below are taken over.
        package var windowSeconds: Double = 600
        /// New case references opened within the window.
        package var newCases: Int = 30
        /// Distinct holders asked about within the window.
        package var distinctHolders: Int = 50
        /// Lookups that found nothing within the window.
        package var misses: Int = 20
        /// After a suspicion, the same signal for the same staff member is not raised again for this long.
        package var quietSeconds: Double = 3600

        package init() {}
    }

    /// A burst noticed: who, which signal, and how many within the window.
    package struct Suspicion: Hashable, Sendable {
        package enum Signal: String, Hashable, Sendable {
            case newCases = "new_cases"
            case distinctHolders = "distinct_holders"
            case misses
        }
        package var unit: String
        package var staff: String
        package var credentialID: String
        package var signal: Signal
        package var count: Int
        package var windowSeconds: Double

        /// One line for the audit record and the log.
        package var summary: String {
            let what =
                switch signal {
                case .newCases: "new case references opened"
                case .distinctHolders: "different holders asked about"
                case .misses: "lookups that found nothing"
                }
            return "\(count) \(what) by \(staff) within \(Int(windowSeconds / 60)) min"
        }
    }

    struct Key: Hashable, Sendable { var unit: String; var staff: String }
    struct Activity: Sendable {
        var newCases: [Date] = []
        var misses: [Date] = []
        var holders: [String: Date] = [:]
        var lastRaised: [Suspicion.Signal: Date] = [:]
    }

    package var rules: Rules
    var activity: [Key: Activity] = [:]
    var callsSincePrune = 0

    package init(rules: Rules = Rules()) {
        self.rules = rules
    }

    /// Notes an admitted call by `staff` of `unit` about `holder` ("" if none) and whether it
    /// opened a new case reference; returns the suspicions it completes.
    package mutating func observe(
        unit: String, staff: String, credentialID: String, holder: String, newCase: Bool,
        at now: Date
    ) -> [Suspicion] {
        callsSincePrune += 1
        if callsSincePrune >= 4096 { prune(now: now) }
        let key = Key(unit: unit, staff: staff)
        var entry = activity[key] ?? Activity()
        entry.newCases.removeAll { now.timeIntervalSince($0) >= rules.windowSeconds }
        if newCase { entry.newCases.append(now) }
        if !holder.isEmpty {
            entry.holders[holder] = now
            // Expired holders only matter once the count could reach the threshold: drop them then,
            // not on every call.
            if entry.holders.count >= rules.distinctHolders {
                entry.holders = entry.holders.filter { now.timeIntervalSince($0.value) < rules.windowSeconds }
            }
        }
        var raised: [Suspicion] = []
        raise(.newCases, entry.newCases.count, rules.newCases, &entry, &raised, key, credentialID, now)
        raise(.distinctHolders, entry.holders.count, rules.distinctHolders, &entry, &raised, key, credentialID, now)
        activity[key] = entry
        return raised
    }

    /// Notes a call by `staff` of `unit` that found nothing; returns the suspicion it completes, if any.
    package mutating func observeMiss(unit: String, staff: String, credentialID: String, at now: Date) -> [Suspicion] {
        let key = Key(unit: unit, staff: staff)
        var entry = activity[key] ?? Activity()
        entry.misses.removeAll { now.timeIntervalSince($0) >= rules.windowSeconds }
        entry.misses.append(now)
        var raised: [Suspicion] = []
        raise(.misses, entry.misses.count, rules.misses, &entry, &raised, key, credentialID, now)
        activity[key] = entry
        return raised
    }

    private func raise(
        _ signal: Suspicion.Signal, _ count: Int, _ threshold: Int, _ entry: inout Activity,
        _ raised: inout [Suspicion], _ key: Key, _ credentialID: String, _ now: Date
    ) {
        guard count >= threshold else { return }
        if let last = entry.lastRaised[signal], now.timeIntervalSince(last) < rules.quietSeconds { return }
        entry.lastRaised[signal] = now
        raised.append(
            Suspicion(
                unit: key.unit, staff: key.staff, credentialID: credentialID, signal: signal, count: count,
                windowSeconds: rules.windowSeconds))
    }

    /// Drops activity that can no longer complete or silence a suspicion.
    package mutating func prune(now: Date) {
        callsSincePrune = 0
        let horizon = max(rules.windowSeconds, rules.quietSeconds)
        activity = activity.filter { _, entry in
            let latest = [entry.newCases.last, entry.misses.last, entry.holders.values.max(), entry.lastRaised.values.max()]
                .compactMap { $0 }.max()
            return latest.map { now.timeIntervalSince($0) < horizon } ?? false
        }
    }
}
