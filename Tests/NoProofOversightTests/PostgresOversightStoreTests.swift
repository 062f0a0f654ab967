import NoProofDomain
import NoProofOversight
import NoProofPostgres
import NoProofTestSupport
import Testing

/// The oversight store behaviour (`OversightStoreBehaviour`) on the PostgreSQL backend, each test in
/// a fresh schema of `NOPROOF_TEST_POSTGRES_URL` (skipped, with the reason shown, when it is unset;
/// scripts/test.sh and so CI always set it); its count plans; two instances on one database.
@Suite("Oversight store (PostgreSQL)", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresOversightStoreTests {
    @Test("records survive reopening")
    func survivesReopening() async throws { try await OversightStoreBehaviour.survivesReopening(.postgres) }
    @Test("false commitments by holder (any unit, newest check first); correction notices once per unit and case")
    func memoryAndNotices() async throws { try await OversightStoreBehaviour.memoryAndNotices(.postgres) }
    @Test("round trips, natural keys (a second insert returns the first), updates, listings and scopes")
    func roundTrip() async throws { try await OversightStoreBehaviour.roundTrip(.postgres) }
    @Test("counts for a period against a seeded history with known figures")
    func counts() async throws { try await OversightStoreBehaviour.counts(.postgres) }
    @Test("the demo history seeds once, with one false commitment, one overdue check, a ledger entry for a no-proof item")
    func demoHistory() async throws { try await OversightStoreBehaviour.demoHistory(.postgres) }
    @Test("exemptions: once per unit, flag and period; listed by overlap, oldest first")
    func exemptions() async throws { try await OversightStoreBehaviour.exemptions(.postgres) }
    @Test("two instances on one database: one commitment stored, one of two conflicting checks lands")
    func twoInstancesDoNotLoseWrites() async throws { try await OversightStoreBehaviour.twoInstancesDoNotLoseWrites(.postgres) }

    @Test("every count query can search an index: with sequential scans off, none scans a table")
    func countPlans() async throws {
        try await OversightStoreFixture.withStore(.postgres) { store, _ in
            let plans = try await #require(store as? PostgresOversightStore).countPlans()
            #expect(plans.count == 11)
            for plan in plans {
                #expect(plan.contains("Index"), "\(plan)")
                #expect(!plan.contains("Seq Scan"), "\(plan)")
            }
        }
    }
}
