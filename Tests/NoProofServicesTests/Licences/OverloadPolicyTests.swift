import Dispatch
import Foundation
import NoProofProtocol
import NoProofSeals
import NoProofTestSupport
import Synchronization
import Testing
@testable import NoProofServices
@testable import NoProofAudit
import NoProofAuditChain

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

/// The proof issuer's admission: its queue's depth and age, on a clock the test sets and with the
/// audit writer held (its queue suspended) so that nothing drains meanwhile.
@Suite("Proof issuer admission under overload")
struct ProofIssuerAdmissionTests {
    final class ManualClock: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex(Duration.zero)
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
    }

    @Test func theQueueIsShedWhenDeepOrOldAndAdmittedAgainOnceDrained() async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-issuer")
        defer { temporary.remove() }
        let directory = temporary.url
        let keyring = try SealKeyring.openOrCreate(directory: directory.appendingPathComponent("seals"))
        let audit = try AuditLog(directory: directory)
        defer { audit.close() }
        let clock = ManualClock()
        let worker = DispatchQueue(label: "test.proof-issuer")
        let issuer = ProofIssuer(
            keyring: keyring, audit: audit, overload: OverloadPolicy(maxQueueDepth: 3, maxQueueAge: .milliseconds(250)),
            now: { clock.now }, worker: worker)
        worker.suspend()
        let done = Mutex(0)
        func record(_ n: Int) -> AuditRecord {
            AuditRecord(
                atMillis: 0, unitCode: "u", credentialID: "c", staff: "s", action: .lookup, itemCode: "i",
                caseReference: "CASE-\(n)", holderID: "h", typeCode: "t", result: .notFound)
        }
        #expect(issuer.admission() == nil)
        issuer.record(record(1)) { _ in done.withLock { $0 += 1 } }
        clock.advance(.milliseconds(200))
        issuer.record(record(2)) { _ in done.withLock { $0 += 1 } }
        #expect(issuer.admission() == nil)  // 2 waiting, the oldest for 200 ms
        clock.advance(.milliseconds(51))
        #expect(issuer.admission()?.message.contains("waiting 251 ms") == true)  // too old
        issuer.record(record(3)) { _ in done.withLock { $0 += 1 } }
        #expect(issuer.admission()?.message.contains("3 lookups waiting") == true)  // too deep
        worker.resume()
        while done.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(issuer.admission() == nil)
        #expect(try audit.count() == 3)
    }
}
