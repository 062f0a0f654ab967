import Foundation
import NoProofOversight
import Testing

@Suite("Complaint state machine")
struct ComplaintTests {
    func registered() throws -> Complaint { try Complaint.register(Fixtures.registration(), id: "CP-1", at: Fixtures.t0) }

    @Test("registration needs the channel reference, a valid unit and a summary")
    func registration() throws {
        func refused(_ change: (inout Complaint.Registration) -> Void) -> Refusal? {
            var registration = Fixtures.registration()
            change(&registration)
            return kind { _ = try Complaint.register(registration, id: "CP", at: Fixtures.t0) }
        }
        #expect(refused { _ in } == nil)
        #expect(refused { $0.channelReference = "" } == .invalid(field: "channel_reference"))
        #expect(refused { $0.unit = "nope" } == .invalid(field: "unit_code"))
        #expect(refused { $0.summary = " " } == .invalid(field: "summary"))
        #expect(refused { $0.linkedRecords = [""] } == .invalid(field: "linked_records[0]"))
        #expect(try registered().status == .registered)
        #expect(try BreachType.parse("seal_misuse") == .sealMisuse && BreachType.allCases.count == 8)
        #expect(kind { _ = try BreachType.parse("rudeness") } == .invalid(field: "breach_type"))
        #expect(try ComplaintChannel.parse("review") == .review)
        #expect(kind { _ = try ComplaintChannel.parse("wechat") } == .invalid(field: "channel"))
        #expect(kind { _ = try ComplaintStatus.parse("open") } == .invalid(field: "status"))
    }

    @Test("registered → routed (re-routed) → answered by that unit → closed; replays change nothing")
    func path() throws {
        var c = try registered()
        #expect(try c.route(to: Fixtures.civil, unitName: "民政", by: "agent-0001", at: Fixtures.day(1)))
        #expect(try !c.route(to: Fixtures.civil, unitName: "民政", by: "agent-0001", at: Fixtures.day(1)))
        #expect(try c.route(to: Fixtures.water, unitName: "水务", by: "agent-0001", at: Fixtures.day(1)))
        #expect(c.status == .routed && c.routedTo == Fixtures.water)
        #expect(try c.answer("已整改", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(2)))
        #expect(try !c.answer("已整改", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(2)))
        #expect(c.status == .answered)
        #expect(try c.close(substantiated: true, note: "属实", by: "agent-0001", at: Fixtures.day(3)))
        #expect(try !c.close(substantiated: true, note: "属实", by: "agent-0001", at: Fixtures.day(3)))
        #expect(c.status == .closed && c.substantiated == true)
    }

    @Test("illegal transitions are refused")
    func refusals() throws {
        var c = try registered()
        #expect(kind { _ = try c.answer("x", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        #expect(kind { _ = try c.close(substantiated: false, note: "", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        _ = try c.route(to: Fixtures.water, unitName: "水务", by: "agent-0001", at: Fixtures.day(1))
        #expect(kind { _ = try c.answer("x", actingUnit: Fixtures.civil, by: "agent-0001", at: Fixtures.day(1)) } == .forbidden)
        #expect(kind { _ = try c.answer(" ", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(1)) } == .invalid(field: "answer"))
        #expect(kind { _ = try c.close(substantiated: false, note: "", by: "agent-0001", at: Fixtures.day(1)) } == .wrongState)
        _ = try c.answer("答复", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(2))
        #expect(kind { _ = try c.answer("另一个答复", actingUnit: Fixtures.water, by: "agent-0001", at: Fixtures.day(2)) } == .wrongState)
        #expect(kind { _ = try c.route(to: Fixtures.civil, unitName: "民政", by: "agent-0001", at: Fixtures.day(2)) } == .wrongState)
        _ = try c.close(substantiated: false, note: "不属实", by: "agent-0001", at: Fixtures.day(3))
        #expect(kind { _ = try c.close(substantiated: true, note: "属实", by: "agent-0001", at: Fixtures.day(3)) } == .wrongState)
        #expect(kind { _ = try c.route(to: Fixtures.civil, unitName: "民政", by: "agent-0001", at: Fixtures.day(3)) } == .wrongState)
    }
}
