import NoProofAudit
import Foundation
import Logging
import NoProofDomain
import NoProofProtocol
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofServices

@Suite("AccessGate and unit credentials")
struct AccessGateTests {
    static func withStore(_ body: (SQLiteUnitStore, AuditLog) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-gate")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteUnitStore(directory: directory)
        _ = try await UnitDemoSeeding.seed(into: store)
        let audit = try AuditLog(directory: directory)
        try await body(store, audit)
        audit.close()
        try store.close()
    }

    static let water = UnitDemoData.water.code.value
    static let bank = UnitDemoData.bank.code.value

    @Test func everyDenialReasonIsRefusedWithPermissionDeniedAndLogged() async throws {
        try await Self.withStore { store, audit in
            let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
            let gate = AccessGate(store: store, audit: audit, now: { clock.now }, logger: Logger(label: "test"))
            try await gate.refresh()
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "C1", typeCode: "JMSFZ") == nil)
            let cases: [(String, String, String, String)] = [
                (Self.water, "NOPE-1", "JMSFZ", "NOPE-1"),  // unknown item
                (Self.water, "SW-KH-001", "JHZ", "JHZ"),  // type not listed
                (Self.water, "SW-KH-001", "ZLHT", "ZLHT"),  // obtained by commitment
                (Self.water, "SW-KH-001", "WYZM", "WYZM"),  // cancelled
                (Self.bank, "YH-DK-002", "WFZJL", "WFZJL"),  // department verification
                (Self.bank, "YH-KH-001", "GZZM", "GZZM"),  // excluded
                ("91350100M000100Y43", "ANY", "JMSFZ", "list"),  // a unit with no list in force
            ]
            for (unit, item, type, mentioned) in cases {
                let refusal = gate.refusal(unitCode: unit, staff: "agent-0001", itemCode: item, caseReference: "C2", typeCode: type)
                #expect(refusal?.code == .permissionDenied, "\(item) \(type)")
                #expect(refusal?.message.contains(mentioned) == true, "\(refusal?.message ?? "nil") should mention \(mentioned)")
            }
            // Denials reach the unit store's log (written in the background).
            var logged = 0
            for _ in 0..<200 {
                logged = try await store.denials(unit: nil, limit: 100).count
                if logged >= cases.count { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(logged == cases.count)
            await gate.close()
        }
    }

    /// The denial log is written by one ordered writer: `checked` returns only once its record is
    /// in the store, and `close()` drains every refusal queued before it (none is lost when the
    /// server stops and the store closes).
    @Test func denialRecordsAreDurableBeforeTheAnswerAndInOrder() async throws {
        try await Self.withStore { store, audit in
            let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
            let gate = AccessGate(
                store: store, limits: RateLimits(maxLookupsPerCase: 1000, maxLookupsPerStaffPerMinute: 1000),
                audit: audit, now: { clock.now }, logger: Logger(label: "test"))
            try await gate.refresh()
            for index in 0..<5 {
                let refusal = await gate.checked(
                    unitCode: Self.water, staff: "agent-0001", itemCode: "NOPE-\(index)", caseReference: "D-\(index)",
                    typeCode: "JMSFZ")
                #expect(refusal?.code == .permissionDenied)
                #expect(try await store.denials(unit: nil, limit: 100).count == index + 1)
            }
            #expect(
                await gate.checked(
                    unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "OK",
                    typeCode: "JMSFZ") == nil)
            for index in 0..<50 {
                #expect(
                    gate.refusal(
                        unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "C-\(index)",
                        typeCode: "JHZ") != nil)
            }
            await gate.close()
            let logged = try await store.denials(unit: nil, limit: 100)  // newest first
            #expect(logged.count == 55)
            #expect(logged.prefix(50).reversed().map(\.caseReference) == (0..<50).map { "C-\($0)" })
            #expect(logged.map(\.sequence) == logged.map(\.sequence).sorted { ($0 ?? 0) > ($1 ?? 0) })
            // After close a refusal is still answered, only no longer recorded.
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "NOPE", caseReference: "late", typeCode: "JMSFZ") != nil)
        }
    }

    @Test func antiHarvestingLimitsGiveResourceExhaustedThenRecover() async throws {
        try await Self.withStore { store, audit in
            let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
            let gate = AccessGate(
                store: store, limits: RateLimits(maxLookupsPerCase: 3, maxLookupsPerStaffPerMinute: 5),
                audit: audit, now: { clock.now }, logger: Logger(label: "test"))
            try await gate.refresh()
            for _ in 0..<3 {
                #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "CASE", typeCode: "JMSFZ") == nil)
            }
            #expect(
                gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "CASE", typeCode: "JMSFZ")?.code
                    == .resourceExhausted)
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "OTHER-1", typeCode: "JMSFZ") == nil)
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "OTHER-2", typeCode: "JMSFZ") == nil)
            let perMinute = gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "OTHER-3", typeCode: "JMSFZ")
            #expect(perMinute?.code == .resourceExhausted)
            // Another staff member is not affected; the same one is admitted again a minute later.
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0002", itemCode: "SW-KH-001", caseReference: "OTHER-4", typeCode: "JMSFZ") == nil)
            clock.advance(by: 61)
            #expect(gate.refusal(unitCode: Self.water, staff: "agent-0001", itemCode: "SW-KH-001", caseReference: "OTHER-5", typeCode: "JMSFZ") == nil)
            await gate.close()
        }
    }

    @Test func storedCredentialsAuthenticateUntilRevokedOrExpired() async throws {
        try await Self.withStore { store, audit in
            let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
            let (credential, secret) = try Credential.issue(
                unitCode: UnitDemoData.water.code, label: "test", issuedBy: "supervisor-0001",
                issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(3600), rounds: 1000)
            try await store.insertCredential(credential)
            let authenticator = UnitCredentialAuthenticator(store: store, now: { clock.now })
            let unit = try await authenticator.authenticate(credentialID: credential.id, secret: secret)
            #expect(unit.unitCode == Self.water)
            #expect(unit.roles.isEmpty)
            await #expect(throws: RPCError.self) { _ = try await authenticator.authenticate(credentialID: credential.id, secret: secret + "x") }
            await #expect(throws: RPCError.self) { _ = try await authenticator.authenticate(credentialID: "cred_nobody", secret: secret) }
            // Remembered after the first success, yet expiry and revocation still apply.
            clock.advance(by: 3601)
            await #expect(throws: RPCError.self) { _ = try await authenticator.authenticate(credentialID: credential.id, secret: secret) }
            clock.advance(by: -3601)
            _ = try await store.revokeCredential(id: credential.id, by: "supervisor-0001", reason: "leaked", at: clock.now)
            do {
                _ = try await authenticator.authenticate(credentialID: credential.id, secret: secret)
                Issue.record("a revoked credential authenticated")
            } catch let error as RPCError {
                #expect(error.code == .unauthenticated)
                #expect(error.message.contains("revoked"))
            }
        }
    }

    @Test func theTaskForceOfficeCredentialCarriesItsRole() async throws {
        try await Self.withStore { store, audit in
            let (credential, secret) = try Credential.issue(
                unitCode: UnitDemoData.taskForce.code, label: "tf", issuedBy: "supervisor-0001",
                issuedAt: Date(), expiresAt: Date().addingTimeInterval(3600), rounds: 1000)
            try await store.insertCredential(credential)
            let unit = try await UnitCredentialAuthenticator(store: store).authenticate(credentialID: credential.id, secret: secret)
            #expect(unit.roles == ["taskforce"])
        }
    }
}
