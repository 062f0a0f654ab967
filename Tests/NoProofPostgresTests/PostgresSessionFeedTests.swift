import Foundation
import Logging
import NoProofDomain
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits
import Testing
@testable import NoProofPostgres

/// The feed of changes that end sessions, across two instances (two pools) on one schema
/// (issue 18): a revocation or deactivation made through A's unit store is reported by B's feed,
/// in commit order, with the credentials whose sessions end. Skipped, with the reason shown,
/// without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresSessionFeedTests {
    static let at = Date(timeIntervalSince1970: 1_780_000_000)

    static func issue(_ store: PostgresUnitStore, unit: ServiceUnit, staffID: String? = nil) async throws -> Credential {
        let (credential, _) = try Credential.issue(
            unitCode: unit.code, label: "test", issuedBy: "supervisor-0001", issuedAt: at, expiresAt: at.addingTimeInterval(86_400),
            kind: staffID == nil ? .unit : .staff, rounds: 1_000, staffID: staffID)
        try await store.insertCredential(credential)
        return credential
    }

    @Test func changesThroughOneInstanceReachTheOthersFeedInOrder() async throws {
        try await PostgresLicenceStoreTests.withDatabases(2) { databases in
            let a = try await PostgresUnitStore.open(databases[0])
            _ = try await UnitDemoSeeding.seed(into: a)
            let b = try await PostgresUnitStore.open(databases[1])
            let feedB = try await PostgresSessionFeed.open(databases[1])
            _ = try await PostgresSessionFeed.open(databases[0])  // applied once: nothing to do here
            let start = try await feedB.sessionChanges(after: nil)
            #expect(start == SessionChanges(latest: 0, changes: []))

            let water = UnitDemoData.water, bank = UnitDemoData.bank
            let system = try await Self.issue(a, unit: water)
            let agent = try await Self.issue(a, unit: water, staffID: "agent-0002")
            let bankSystem = try await Self.issue(a, unit: bank)
            // Issuing and other staff changes are not changes that end sessions.
            #expect(try await feedB.sessionChanges(after: 0).changes.isEmpty)

            _ = try await a.revokeCredential(id: system.id, by: "supervisor-0001", reason: "设备遗失", at: Self.at)
            // agent-0002 leaves the water company's staff (deactivated by the store).
            try await a.replaceStaff(of: water.code, with: UnitDemoData.staff(of: water.code).filter { $0.id != "agent-0002" }, at: Self.at)
            var closedBank = bank
            closedBank.active = false
            try await a.updateUnit(closedBank, at: Self.at)

            let found = try await feedB.sessionChanges(after: start.latest)
            #expect(found.complete && found.latest == 3)
            #expect(
                found.changes == [
                    SessionChange(sequence: 1, kind: .credentialRevoked, unitCode: water.code.value, subject: system.id, credentialIDs: [system.id]),
                    SessionChange(sequence: 2, kind: .staffDeactivated, unitCode: water.code.value, subject: "agent-0002", credentialIDs: [agent.id]),
                    SessionChange(sequence: 3, kind: .unitDeactivated, unitCode: bank.code.value, subject: bank.code.value, credentialIDs: [bankSystem.id]),
                ])
            #expect(try await feedB.sessionChanges(after: 2).changes.map(\.sequence) == [3])
            #expect(try await feedB.sessionChanges(after: 3) == SessionChanges(latest: 3, changes: []))
            // B's store reads the revocation A made: the message B's sessions get is A's.
            #expect(try await b.credential(id: system.id)?.sessionEndMessage.contains("设备遗失") == true)

            // A write that fails records nothing (revoking twice is refused).
            await #expect(throws: NoProofError.self) {
                _ = try await a.revokeCredential(id: system.id, by: "supervisor-0001", reason: "again", at: Self.at)
            }
            // Re-deactivating an inactive unit is no change either.
            try await a.updateUnit(closedBank, at: Self.at)
            #expect(try await feedB.sessionChanges(after: nil).latest == 3)
        }
    }
}
