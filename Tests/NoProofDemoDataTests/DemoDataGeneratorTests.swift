import Testing
@testable import NoProofDomain
@testable import NoProofDemoData

@Suite struct DemoDataGeneratorTests {
    @Test func sameSeedSameOutput() {
        let a = DemoDataGenerator(seed: 42, licenceCount: 5_000).makeLicences()
        let b = DemoDataGenerator(seed: 42, licenceCount: 5_000).makeLicences()
        #expect(a.count == 5_000)
        #expect(a == b)
        let c = DemoDataGenerator(seed: 43, licenceCount: 5_000).makeLicences()
        #expect(a.first != c.first)
    }

    @Test func pinnedOutputForDefaultSeed() throws {
        // Pinned values: if these change, every machine's demo data changes too.
        let generator = DemoDataGenerator(licenceCount: 1_000)
        let licences = generator.makeLicences()
        #expect(licences.count == 1_000)
        #expect(generator.holderCount == Self.pinnedHolderCount)
        #expect(licences.first?.id.description == Self.pinnedFirstID)
        #expect(licences.last?.id.description == Self.pinnedLastID)
        #expect(licences.first?.holder.key == Self.pinnedFirstHolder)
    }

    static let pinnedHolderCount = 556
    static let pinnedFirstID = "1.2.156.3005.2.JMSFZ.11370400004315203J.20230000000000.001.P"
    static let pinnedLastID = "1.2.156.3005.2.HKB.11370400004315203J.19980000000999.001.V"
    static let pinnedFirstHolder = "370404199306107807"

    @Test func everyGeneratedIdentifierValidates() throws {
        let generator = DemoDataGenerator(seed: 7, licenceCount: 20_000)
        var ids = Set<String>()
        for licence in generator.licences() {
            let parsed = try LicenceIdentifier.parse(licence.id.description)
            #expect(parsed == licence.id)
            #expect(try Holder.parse(licence.holder.key) == licence.holder)
            if case .person(let id) = licence.holder {
                #expect((1945...2004).contains(id.birthDate.year))
            }
            if let spouse = licence.fields["spouse_id"] {
                #expect(throws: Never.self) { try ResidentID.parse(spouse, field: "spouse_id") }
            }
            let type = try #require(LicenceTypeCatalogue.type(code: licence.typeCode))
            try licence.validate()
            try licence.validate(against: type)
            #expect(licence.issueDate <= generator.referenceDate)
            ids.insert(licence.id.description)
        }
        #expect(ids.count == 20_000)
    }

    @Test func holdersAreConsistentWithLicences() {
        let generator = DemoDataGenerator(seed: 9, licenceCount: 3_000)
        var perHolder: [String: Int] = [:]
        var names: [String: String] = [:]
        for licence in generator.licences() {
            perHolder[licence.holder.key, default: 0] += 1
            names[licence.holder.key] = licence.holderName
        }
        #expect(perHolder.count == generator.holderCount)
        var total = 0
        for holder in generator.holders() {
            #expect(perHolder[holder.holder.key] == holder.licenceCount)
            #expect(names[holder.holder.key] == holder.name)
            total += holder.licenceCount
        }
        #expect(total == 3_000)
    }

    @Test func spreadIsZipfLike() {
        let generator = DemoDataGenerator(seed: 11, licenceCount: 50_000)
        let counts = generator.holders().map(\.licenceCount)
        #expect(counts[0] >= 40)
        let small = counts.filter { $0 <= 2 }.count
        #expect(Double(small) / Double(counts.count) > 0.75)
        #expect(counts.filter { $0 >= 10 }.count < counts.count / 20)
        #expect(generator.holders().contains { $0.holder.kind == .organization })
    }

    @Test func guaranteedTypeIsHeld() {
        let generator = DemoDataGenerator(seed: 5, licenceCount: 2_000)
        var held = Set<String>()
        for licence in generator.licences() { held.insert(licence.holder.key + "/" + licence.typeCode) }
        for holder in generator.holders() {
            #expect(held.contains(holder.holder.key + "/" + holder.guaranteedTypeCode))
        }
    }

    @Test func zipfSamplerIsDeterministicAndSkewed() {
        var a = ZipfSampler(count: 1_000, seed: 1)
        var b = ZipfSampler(count: 1_000, seed: 1)
        var hist = [Int](repeating: 0, count: 1_000)
        for _ in 0..<20_000 {
            let x = a.next()
            #expect(x == b.next())
            hist[x] += 1
        }
        let head: Int = hist[0..<10].reduce(0, +)
        let tail: Int = hist[500..<1000].reduce(0, +)
        #expect(hist[0] > hist[10])
        #expect(head > tail / 2)
        var steep = ZipfSampler(count: 10, exponent: 1.5, seed: 3)
        for _ in 0..<1_000 { #expect((0..<10).contains(steep.next())) }
    }

    @Test func splitMix64KnownValues() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
