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

    @Test func everyCachedLicenceIsFoundByIdentifierAndNoEvictedOne() {
        let cache = LicenceCache(capacity: 100)
        let holders = Array(Self.byHolder.keys.sorted())
        for holder in holders {
            cache.fill(holder: holder, licences: Self.byHolder[holder]!, generation: cache.generation)
        }
        var cachedHolders = 0
        var cachedLicences = 0
        for holder in holders {
            let cached = cache.holder(ofLicence: Self.byHolder[holder]![0].id.description) != nil
            for licence in Self.byHolder[holder]! {
                #expect(cache.holder(ofLicence: licence.id.description) == (cached ? holder : nil))
            }
            if cached {
                cachedHolders += 1
                cachedLicences += Self.byHolder[holder]!.count
            }
        }
        let statistics = cache.statistics
        #expect(statistics.holders == cachedHolders)
        #expect(statistics.licences == cachedLicences)
        #expect(statistics.evictions == UInt64(holders.count - cachedHolders))
        #expect(cache.holder(ofLicence: "1.2.156.3005.2.X.91350100M000100Y43.NOSUCH.001.0") == nil)
    }

    /// Every identifier hashing alike: the identifier table must still tell them apart (each
    /// candidate slot is checked against its licences), through fills, evictions, write-through
    /// and invalidations (the backward-shift deletion keeps the probe runs intact).
    @Test func identifierLookupsSurviveHashCollisions() {
        for hash in [{ @Sendable (_: String) -> UInt32 in 7 }, { @Sendable (id: String) -> UInt32 in UInt32(id.utf8.count % 3) }] {
            let cache = LicenceCache(capacity: 60, identifierHash: hash)
            let holders = Array(Self.byHolder.keys.sorted())
            for (index, holder) in holders.enumerated() {
                cache.fill(holder: holder, licences: Self.byHolder[holder]!, generation: cache.generation)
                if index % 7 == 3 { cache.invalidate(holder: holders[index - 2]) }
                if index % 5 == 4 { cache.update(holder: holders[index - 1], licences: Array(Self.byHolder[holders[index - 1]]!.prefix(1))) }
            }
            var cachedLicences = 0
            for holder in holders {
                let current = cache.licences(holder: holder)
                for licence in Self.byHolder[holder]! {
                    let expected = current?.contains(licence) == true ? holder : nil
                    #expect(cache.holder(ofLicence: licence.id.description) == expected)
                }
                cachedLicences += current?.count ?? 0
            }
            #expect(cache.statistics.licences == cachedLicences)
            #expect(cache.statistics.licences <= 60)
            #expect(cache.statistics.evictions > 0)
        }
    }

    @Test func invalidateAllEmptiesTheCacheAndDropsRacingFills() {
        let cache = LicenceCache(capacity: 1000)
        let holders = Array(Self.byHolder.keys.sorted().prefix(10))
        for holder in holders { cache.fill(holder: holder, licences: Self.byHolder[holder]!, generation: cache.generation) }
        _ = cache.licences(holder: holders[0])
        let before = cache.generation
        cache.invalidateAll()
        for holder in holders {
            #expect(cache.holder(ofLicence: Self.byHolder[holder]![0].id.description) == nil)
            #expect(cache.licences(holder: holder) == nil)
        }
        cache.fill(holder: holders[0], licences: Self.byHolder[holders[0]]!, generation: before)
        #expect(cache.licences(holder: holders[0]) == nil)
        let statistics = cache.statistics
        #expect(statistics.holders == 0)
        #expect(statistics.licences == 0)
        #expect(statistics.hits == 1)
        #expect(statistics.misses == 11)
        #expect(statistics.evictions == 0)
        cache.fill(holder: holders[1], licences: Self.byHolder[holders[1]]!, generation: cache.generation)
        #expect(cache.holder(ofLicence: Self.byHolder[holders[1]]![0].id.description) == holders[1])
    }
}
