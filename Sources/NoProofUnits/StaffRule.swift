/// The Art. 10 staffing rule as pure functions: every active unit names exactly one supervisor
/// (督办员) and at least one agent (代办员). Inactive members do not count.
///
/// This is the one place the rule is decided: every path that sets a unit's staff (registering
/// a unit, changing or re-activating it, replacing, adding or deactivating staff, bulk loads,
/// demo seeding) asks `violation(in:unitActive:)`. No unit, active or not, ever has two active
/// supervisors; an inactive unit may lack a supervisor or an agent (it is out of service), and
/// gets the full check when it is activated.
package enum StaffRule {
    /// The first violation in `staff`, or `nil` when the set is acceptable. Member data and
    /// identifier uniqueness are checked first, then that there is at most one active
    /// supervisor; the minimums (a supervisor, an agent) only when `unitActive`.
    package static func violation(in staff: [StaffMember], unitActive: Bool = true) -> StaffRuleViolation? {
        var seen = Set<String>()
        for member in staff {
            do { try member.validate() } catch { return .invalidMember(error) }
            if !seen.insert(member.id).inserted { return .duplicateID(member.id) }
        }
        let active = staff.filter(\.active)
        let supervisors = active.filter { $0.role == .supervisor }.map(\.id)
        if supervisors.count > 1 { return .multipleSupervisors(supervisors.sorted()) }
        guard unitActive else { return nil }
        if supervisors.isEmpty { return .noSupervisor }
        if !active.contains(where: { $0.role == .agent }) { return .noAgent }
        return nil
    }

    /// Checks a proposed staff set.
    /// - Throws: the `StaffRuleViolation` explaining why the set is refused.
    package static func validate(_ staff: [StaffMember], unitActive: Bool = true) throws(StaffRuleViolation) {
        if let violation = violation(in: staff, unitActive: unitActive) { throw violation }
    }

    /// The staff set after adding `member` to `current` (refused when the id is taken).
    /// - Throws: `StaffRuleViolation` when the result breaks the rule (for example a second
    ///   supervisor).
    package static func adding(_ member: StaffMember, to current: [StaffMember], unitActive: Bool = true) throws(StaffRuleViolation) -> [StaffMember] {
        if current.contains(where: { $0.id == member.id }) { throw .duplicateID(member.id) }
        let proposed = current + [member]
        try validate(proposed, unitActive: unitActive)
        return proposed
    }

    /// The staff set after deactivating member `id` (nothing is deleted).
    /// - Returns: `nil` when no member has `id`.
    /// - Throws: `StaffRuleViolation` when the result breaks the rule (the last agent, or the
    ///   supervisor without a successor).
    package static func deactivating(_ id: String, in current: [StaffMember], unitActive: Bool = true) throws(StaffRuleViolation) -> [StaffMember]? {
        guard let index = current.firstIndex(where: { $0.id == id }) else { return nil }
        var proposed = current
        proposed[index].active = false
        try validate(proposed, unitActive: unitActive)
        return proposed
    }
}
