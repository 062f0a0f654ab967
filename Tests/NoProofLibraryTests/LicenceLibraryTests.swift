import Foundation
import Logging
import NoProofDomain
import NoProofTestSupport
import Testing
@testable import NoProofLibrary
@testable import NoProofLicenceStore
@testable import NoProofDemoData
@testable import NoProofImport

@Suite("LicenceLibrary")
struct LicenceLibraryTests {
    struct Fixture {
        let directory: URL
        let store: SQLiteLicenceStore
        let library: LicenceLibrary
        let licences: [Licence]

        init(count: Int = 300, capacity: Int = 100_000) async throws {
            directory = try TemporaryDirectory(prefix: "noproof-library").url
            store = try SQLiteLicenceStore(directory: directory)
            try await seedDemo(store: store, count: count)
            licences = DemoDataGenerator(licenceCount: count).makeLicences()
            library = try await LicenceLibrary.open(
                store: store, cacheCapacity: capacity, today: { DemoDataGenerator.defaultReferenceDate }, logger: Logger(label: "test")
            )
        }

        func remove() {
            try? store.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func warmUpCachesEveryHolderWhenItFits() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        #expect(try await fixture.library.warmUp() == 300)
        for licence in fixture.licences.prefix(20) {
            #expect(fixture.library.cachedLicences(of: licence.holder)?.contains { $0.id == licence.id } == true)
        }
    }

    @Test func aRevokeIsNeverServedStaleFromTheCache() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        _ = try await fixture.library.warmUp()
        let valid = fixture.licences.first { $0.effectiveStatus(asOf: DemoDataGenerator.defaultReferenceDate) == .valid }!
        guard case .found = fixture.library.outcome(fixture.library.cachedLicences(of: valid.holder)!, typeCode: valid.typeCode) else {
            Issue.record("not found before the revoke"); return
        }
        _ = try await fixture.library.change(valid.id.description, to: .revoke, reason: "test", byUnit: valid.issuerCode.value)
        // Straight from the cache, no store read in between.
        let cached = try #require(fixture.library.cachedLicences(of: valid.holder))
        let outcome = fixture.library.outcome(cached, typeCode: valid.typeCode)
        if case .found(let licence) = outcome {
            #expect(licence.id != valid.id, "the revoked licence was served")
        }
        #expect(cached.first { $0.id == valid.id }?.status == .revoked)
    }

    /// Issue 17: a lookup that missed the cache asked it again before the store read, so every miss
    /// counted twice and the reported hit ratio was too low.
    @Test func aMissFollowedByTheStoreReadCountsOneMiss() async throws {
        let fixture = try await Fixture(count: 300, capacity: 1)
        defer { fixture.remove() }
        let holders = Array(Set(fixture.licences.map(\.holder)).sorted { $0.key < $1.key }.prefix(2))
        let before = fixture.library.cache.statistics
        for holder in holders where fixture.library.cachedLicences(of: holder) == nil {
            _ = try await fixture.library.storedLicences(of: holder)
        }
        let after = fixture.library.cache.statistics
        // Capacity 1: the second holder's fill evicted the first, so both were misses — one each.
        #expect(after.misses - before.misses == UInt64(holders.count))
        #expect(after.hits == before.hits)
    }

    @Test func onlyTheIssuingUnitOrTheTaskForceMayWrite() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let licence = fixture.licences[0]
        await #expect(
            throws: NoProofError(
                .forbidden,
                "only the issuing unit (\(licence.issuerCode.value)) may suspend this licence; this connection acts for 11370400MB0000001R")
        ) {
            _ = try await fixture.library.change(licence.id.description, to: .suspend, reason: "x", byUnit: "11370400MB0000001R")
        }
        let suspended = try await fixture.library.change(
            licence.id.description, to: .suspend, reason: "x",
            byUnit: "11370400MB0000001R", asTaskForce: true)
        #expect(suspended.status == .suspended)
        await #expect(throws: NoProofError.self) {
            _ = try await fixture.library.change(licence.id.description, to: .revoke, reason: " ", byUnit: licence.issuerCode.value)
        }
    }

    @Test func queriesNameTheBadField() throws {
        let library = LicenceLibrary(
            store: UnusedStore(), cache: LicenceCache(capacity: 1), types: LicenceTypeCatalogue.starter,
            logger: Logger(label: "test"))
        #expect(throws: NoProofError.self) { try library.parseQuery(holderID: "370402199001011235", typeCode: "JMSFZ") }
        do {
            _ = try library.parseQuery(holderID: "37040219900101123", typeCode: "JMSFZ")
        } catch {
            #expect(error.code == .invalid)
            #expect(error.description.hasPrefix("holder_id:"))
        }
        do {
            _ = try library.parseQuery(holderID: "91350100M000100Y43", typeCode: "NOPE")
        } catch {
            #expect(error.message.hasPrefix("type_code:"))
        }
        do {
            // A business licence is held by organisations, not persons.
            _ = try library.parseQuery(holderID: "11010519491231002X", typeCode: "YYZZ")
        } catch {
            #expect(error.description.hasPrefix("holder_id:"))
        }
    }
}

/// A store for tests that never reach it.
struct UnusedStore: LicenceStore {
    func upsertLicenceTypes(_ types: [LicenceType]) async throws(NoProofError) { throw NoProofError(.unavailable, "unused") }
    func licenceTypes() async throws(NoProofError) -> [LicenceType] { throw NoProofError(.unavailable, "unused") }
    func licenceType(code: String) async throws(NoProofError) -> LicenceType? { throw NoProofError(.unavailable, "unused") }
    func issue(_ licence: Licence) async throws(NoProofError) -> Licence { throw NoProofError(.unavailable, "unused") }
    func amend(_ id: LicenceIdentifier, changes: LicenceAmendment, reason: String) async throws(NoProofError) -> Licence {
        throw NoProofError(.unavailable, "unused")
    }
    func suspend(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence { throw NoProofError(.unavailable, "unused") }
    func reinstate(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence { throw NoProofError(.unavailable, "unused") }
    func revoke(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence { throw NoProofError(.unavailable, "unused") }
    func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome { throw NoProofError(.unavailable, "unused") }
    func licence(byID id: LicenceIdentifier) async throws(NoProofError) -> Licence? { throw NoProofError(.unavailable, "unused") }
    func licences(holder: Holder, typeCode: String?) async throws(NoProofError) -> [Licence] { throw NoProofError(.unavailable, "unused") }
    func versions(of id: LicenceIdentifier) async throws(NoProofError) -> [Licence] { throw NoProofError(.unavailable, "unused") }
    func statusChanges(of id: LicenceIdentifier) async throws(NoProofError) -> [LicenceStatusChange] { throw NoProofError(.unavailable, "unused") }
    func count() async throws(NoProofError) -> Int { throw NoProofError(.unavailable, "unused") }
    func licences(after: LicenceIdentifier?, limit: Int) async throws(NoProofError) -> [Licence] { throw NoProofError(.unavailable, "unused") }
}
