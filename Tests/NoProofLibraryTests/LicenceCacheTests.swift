import NoProofDomain
import NoProofDemoData
import Testing
@testable import NoProofLibrary

@Suite("LicenceCache")
struct LicenceCacheTests {
    static let generator = DemoDataGenerator(licenceCount: 400)
    static let byHolder: [String: [Licence]] = Dictionary(grouping: generator.makeLicences(), by: { $0.holder.key })

    @Test func missThenFillThenHit() {
        let cache = LicenceCache(capacity: 1000)
        let (holder, licences) = Self.byHolder.first!
        #expect(cache.licences(holder: holder) == nil)
        cache.fill(holder: holder, licences: licences, generation: cache.generation)
        #expect(cache.licences(holder: holder) == licences)
        #expect(cache.holder(ofLicence: licences[0].id.description) == holder)
        let statistics = cache.statistics
        #expect(statistics.hits == 1)
        #expect(statistics.misses == 1)
        #expect(statistics.hitRatio == 0.5)
        #expect(statistics.licences == licences.count)
    }

    @Test func aFillThatRacedWithAWriteIsDropped() {
        let cache = LicenceCache(capacity: 1000)
        let (holder, licences) = Self.byHolder.first!
        let before = cache.generation
        cache.update(holder: "someone-else", licences: [])
        cache.fill(holder: holder, licences: licences, generation: before)
        #expect(cache.licences(holder: holder) == nil)
    }

    @Test func writeThroughReplacesACachedHolder() {
        let cache = LicenceCache(capacity: 1000)
        let (holder, licences) = Self.byHolder.first!
        cache.fill(holder: holder, licences: licences, generation: cache.generation)
        var revoked = licences
        revoked[0].status = .revoked
        cache.update(holder: holder, licences: revoked)
        #expect(cache.licences(holder: holder)?[0].status == .revoked)
        cache.invalidate(holder: holder)
        #expect(cache.licences(holder: holder) == nil)
        #expect(cache.holder(ofLicence: licences[0].id.description) == nil)
    }

    @Test func capacityIsNeverExceededAndRecentlyUsedHoldersSurvive() {
        let cache = LicenceCache(capacity: 100)
        let holders = Array(Self.byHolder.keys.sorted())
        let hot = holders[0]
        for holder in holders {
            cache.fill(holder: holder, licences: Self.byHolder[holder]!, generation: cache.generation)
            _ = cache.licences(holder: hot)  // keep the hot holder referenced
            #expect(cache.statistics.licences <= 100)
        }
        #expect(cache.statistics.evictions > 0)
        #expect(cache.licences(holder: hot) != nil)
    }
}
