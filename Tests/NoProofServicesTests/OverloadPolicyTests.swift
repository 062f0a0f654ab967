import NoProofProtocol
import Testing
@testable import NoProofServices

/// The shedding decision, on instants the test chooses (no clock is read).
@Suite("Overload shedding decision")
struct OverloadPolicyTests {
    let t0 = ContinuousClock.now
    let policy = OverloadPolicy(maxQueueDepth: 100, maxQueueAge: .milliseconds(250))

    @Test func aShortYoungQueueIsAccepted() {
        #expect(policy.refusal(depth: 0, oldestWaitingSince: nil, now: t0) == nil)
        #expect(policy.refusal(depth: 99, oldestWaitingSince: t0, now: t0 + .milliseconds(250)) == nil)
    }

    @Test func aDeepQueueIsShedWithUnavailableSayingWhenToRetry() throws {
        let refusal = try #require(policy.refusal(depth: 100, oldestWaitingSince: t0, now: t0))
        #expect(refusal.code == .unavailable)
        #expect(refusal.message.contains("server overloaded: 100 lookups waiting"))
        #expect(refusal.message.contains("retry after"))
    }

    @Test func anOldQueueIsShedEvenWhenShort() throws {
        let refusal = try #require(policy.refusal(depth: 3, oldestWaitingSince: t0, now: t0 + .milliseconds(251)))
        #expect(refusal.code == .unavailable)
        #expect(refusal.message.contains("waiting 251 ms"))
        #expect(refusal.message.contains("limit 250 ms"))
        #expect(refusal.message.contains("retry after 251 ms"))
    }

    @Test func offNeverSheds() {
        #expect(OverloadPolicy.off.refusal(depth: 1_000_000, oldestWaitingSince: t0, now: t0 + .seconds(60)) == nil)
    }

    @Test func eachLimitAloneApplies() {
        let depthOnly = OverloadPolicy(maxQueueDepth: 10, maxQueueAge: nil)
        #expect(depthOnly.refusal(depth: 9, oldestWaitingSince: t0, now: t0 + .seconds(60)) == nil)
        #expect(depthOnly.refusal(depth: 10, oldestWaitingSince: t0, now: t0)?.code == .unavailable)
        let ageOnly = OverloadPolicy(maxQueueDepth: nil, maxQueueAge: .milliseconds(5))
        #expect(ageOnly.refusal(depth: 1_000_000, oldestWaitingSince: t0, now: t0 + .milliseconds(5)) == nil)
        #expect(ageOnly.refusal(depth: 1, oldestWaitingSince: t0, now: t0 + .milliseconds(6))?.code == .unavailable)
    }
}
