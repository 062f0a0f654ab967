import NoProofTestSupport
import Testing

/// The licence store behaviour (`LicenceStoreBehaviour`) on the PostgreSQL backend, each test in a
/// fresh schema of `NOPROOF_TEST_POSTGRES_URL` (skipped, with the reason shown, when it is unset;
/// scripts/test.sh and so CI always set it). The same assertions as `SQLiteLicenceStoreTests`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresLicenceStoreBehaviourTests {
    @Test func licenceTypesRoundTrip() async throws { try await LicenceStoreBehaviour.licenceTypesRoundTrip(.postgres) }
    @Test func issueAndGet() async throws { try await LicenceStoreBehaviour.issueAndGet(.postgres) }
    @Test func duplicatesAreRejected() async throws { try await LicenceStoreBehaviour.duplicatesAreRejected(.postgres) }
    @Test func invalidLicencesAreRefusedNamingTheField() async throws { try await LicenceStoreBehaviour.invalidLicencesAreRefusedNamingTheField(.postgres) }
    @Test func amendKeepsOldVersions() async throws { try await LicenceStoreBehaviour.amendKeepsOldVersions(.postgres) }
    @Test func suspendReinstateRevoke() async throws { try await LicenceStoreBehaviour.suspendReinstateRevoke(.postgres) }
    @Test func importBatchIsIdempotent() async throws { try await LicenceStoreBehaviour.importBatchIsIdempotent(.postgres) }
    @Test func revokedLicencesAreNotChangedByImport() async throws { try await LicenceStoreBehaviour.revokedLicencesAreNotChangedByImport(.postgres) }
    @Test func dataSurvivesReopen() async throws { try await LicenceStoreBehaviour.dataSurvivesReopen(.postgres) }
    @Test func chunkedIterationVisitsEveryLicenceOnce() async throws { try await LicenceStoreBehaviour.chunkedIterationVisitsEveryLicenceOnce(.postgres) }
    @Test func holderLookupReturnsAllTypes() async throws { try await LicenceStoreBehaviour.holderLookupReturnsAllTypes(.postgres) }
}
