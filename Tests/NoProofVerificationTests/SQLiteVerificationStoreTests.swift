import NoProofTestSupport
import NoProofVerificationStore
import Testing

/// The verification store behaviour (`VerificationStoreBehaviour`) on the embedded SQLite backend,
/// and what only SQLite has (its durability pragma).
@Suite("Verification store (SQLite)")
struct SQLiteVerificationStoreTests {
    @Test("synchronous=FULL on the writer")
    func synchronousFull() async throws {
        let directory = try TemporaryDirectory(prefix: "noproof-verification")
        defer { directory.remove() }
        let store = try SQLiteVerificationStore(directory: directory.url)
        #expect(try store.synchronousLevel() == 2)
        try store.close()
    }

    // The shared behaviour, as on PostgreSQL (PostgresVerificationStoreTests).
    @Test("store: idempotent insert, atomic refile, pending deadlines")
    func store() async throws { try await VerificationStoreBehaviour.store(.sqlite) }
    @Test("missing requests are NOT_FOUND; queues and filings in their documented orders")
    func missingRequestsAndOrders() async throws { try await VerificationStoreBehaviour.missingRequestsAndOrders(.sqlite) }
    @Test("restart with pending deadlines: reopened store, re-armed scheduler, the deadlines still fire")
    func restart() async throws { try await VerificationStoreBehaviour.restart(.sqlite) }
    @Test("long downtime: both deadlines passed, both transitions recorded at once")
    func longDowntime() async throws { try await VerificationStoreBehaviour.longDowntime(.sqlite) }
    @Test("office time: filed Friday 17:50, due Monday 09:00, second breach Monday 09:30")
    func officeTimeDeadlines() async throws { try await VerificationStoreBehaviour.officeTimeDeadlines(.sqlite) }

    @Test("two schedulers on one store report each deadline once")
    func twoSchedulersReportEachDeadlineOnce() async throws { try await VerificationStoreBehaviour.twoSchedulersReportEachDeadlineOnce(.sqlite) }
}
