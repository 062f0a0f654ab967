import NoProofTestSupport
import Testing

/// The verification store behaviour (`VerificationStoreBehaviour`) on the PostgreSQL backend, each
/// test in a fresh schema of `NOPROOF_TEST_POSTGRES_URL` (skipped, with the reason shown, when it is
/// unset; scripts/test.sh and so CI always set it), and two instances on one database.
@Suite("Verification store (PostgreSQL)", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresVerificationStoreTests {
    @Test("store: idempotent insert, atomic refile, pending deadlines")
    func store() async throws { try await VerificationStoreBehaviour.store(.postgres) }
    @Test("missing requests are NOT_FOUND; queues and filings in their documented orders")
    func missingRequestsAndOrders() async throws { try await VerificationStoreBehaviour.missingRequestsAndOrders(.postgres) }
    @Test("restart with pending deadlines: reopened store, re-armed scheduler, the deadlines still fire")
    func restart() async throws { try await VerificationStoreBehaviour.restart(.postgres) }
    @Test("long downtime: both deadlines passed, both transitions recorded at once")
    func longDowntime() async throws { try await VerificationStoreBehaviour.longDowntime(.postgres) }
    @Test("office time: filed Friday 17:50, due Monday 09:00, second breach Monday 09:30")
    func officeTimeDeadlines() async throws { try await VerificationStoreBehaviour.officeTimeDeadlines(.postgres) }
    @Test("two instances on one database: concurrent updates, filings and refiles of one request lose nothing")
    func twoInstancesDoNotLoseWrites() async throws { try await VerificationStoreBehaviour.twoInstancesDoNotLoseWrites(.postgres) }

    @Test("two schedulers on one store report each deadline once")
    func twoSchedulersReportEachDeadlineOnce() async throws { try await VerificationStoreBehaviour.twoSchedulersReportEachDeadlineOnce(.postgres) }
}
