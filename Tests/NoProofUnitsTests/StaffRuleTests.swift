import Testing
@testable import NoProofUnits

@Suite("Art. 10 staff rule")
struct StaffRuleTests {
    let supervisor = StaffMember(id: "supervisor-0001", name: "王督办", role: .supervisor)
    let agent = StaffMember(id: "agent-0001", name: "李代办", role: .agent)
    let agent2 = StaffMember(id: "agent-0002", name: "张代办", role: .agent)

    @Test func oneSupervisorAndAgentsIsAccepted() {
        #expect(StaffRule.violation(in: [supervisor, agent]) == nil)
        #expect(StaffRule.violation(in: [supervisor, agent, agent2]) == nil)
    }

    @Test func zeroSupervisorsIsRefusedWithAnExplanation() {
        let violation = StaffRule.violation(in: [agent, agent2])
        #expect(violation == .noSupervisor)
        #expect(violation?.message.contains("exactly one supervisor") == true)
    }

    @Test func twoSupervisorsIsRefusedNamingBoth() {
        let second = StaffMember(id: "supervisor-0002", name: "赵督办", role: .supervisor)
        let violation = StaffRule.violation(in: [supervisor, second, agent])
        #expect(violation == .multipleSupervisors(["supervisor-0001", "supervisor-0002"]))
        #expect(violation?.message.contains("supervisor-0002") == true)
        #expect(throws: StaffRuleViolation.multipleSupervisors(["supervisor-0001", "supervisor-0002"])) {
            try StaffRule.adding(second, to: [supervisor, agent])
        }
    }

    /// Issue 16: CreateUnit accepted an inactive unit with two supervisors that SetStaff refused.
    /// One rule: an inactive unit may lack staff, but never has two supervisors.
    @Test func anInactiveUnitMayLackStaffButNeverHasTwoSupervisors() {
        let second = StaffMember(id: "supervisor-0002", name: "赵督办", role: .supervisor)
        #expect(StaffRule.violation(in: [supervisor, second, agent], unitActive: false) == .multipleSupervisors(["supervisor-0001", "supervisor-0002"]))
        #expect(StaffRule.violation(in: [], unitActive: false) == nil)
        #expect(StaffRule.violation(in: [agent], unitActive: false) == nil)
        #expect(throws: StaffRuleViolation.multipleSupervisors(["supervisor-0001", "supervisor-0002"])) {
            try StaffRule.adding(second, to: [supervisor], unitActive: false)
        }
    }

    @Test func noAgentsIsRefused() {
        #expect(StaffRule.violation(in: [supervisor]) == .noAgent)
        #expect(StaffRule.violation(in: [supervisor, StaffMember(id: "agent-0001", name: "李", role: .agent, active: false)]) == .noAgent)
    }

    @Test func deactivatingTheLastAgentOrTheSupervisorIsRefused() throws {
        #expect(throws: StaffRuleViolation.noAgent) { try StaffRule.deactivating("agent-0001", in: [supervisor, agent]) }
        #expect(throws: StaffRuleViolation.noSupervisor) { try StaffRule.deactivating("supervisor-0001", in: [supervisor, agent]) }
        let after = try StaffRule.deactivating("agent-0001", in: [supervisor, agent, agent2])
        #expect(after?.first { $0.id == "agent-0001" }?.active == false)
        #expect(try StaffRule.deactivating("nobody", in: [supervisor, agent]) == nil)
    }

    @Test func inactiveMembersDoNotCountAndAnInactiveUnitIsExempt() {
        let retired = StaffMember(id: "supervisor-0000", name: "前任", role: .supervisor, active: false)
        #expect(StaffRule.violation(in: [retired, supervisor, agent]) == nil)
        #expect(StaffRule.violation(in: [], unitActive: false) == nil)
    }

    @Test func duplicateAndMalformedIDsAreRefused() {
        #expect(StaffRule.violation(in: [supervisor, agent, agent]) == .duplicateID("agent-0001"))
        let bad = StaffMember(id: "Agent 1", name: "x", role: .agent)
        guard case .invalidMember(let error)? = StaffRule.violation(in: [supervisor, bad]) else {
            Issue.record("expected invalidMember")
            return
        }
        #expect(error.field == "staff_id")
    }
}
