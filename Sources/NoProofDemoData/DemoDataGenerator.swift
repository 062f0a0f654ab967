import Foundation
package import NoProofDomain

/// Deterministic demo data for the electronic licence library: `licenceCount` licences over the
/// starter catalogue, held by persons (resident IDs) and organisations (credit codes).
///
/// - The same seed and count give identical output on every machine (SplitMix64 only; no
///   `Hasher`, no system randomness, no clock — dates are relative to `referenceDate`).
/// - Every resident ID, credit code and licence identifier carries a correct check character;
///   birth dates are real dates between 1945 and 2004; resident IDs and credit codes are unique
///   per holder (rank-to-number bijections).
/// - Licences per holder follow a Zipf-like law: holder rank `r` gets about
///   `1 + licenceCount/(40·(r+1))` licences (capped at 49) plus 0-2, so a few holders hold dozens and most
///   hold one or two.
/// - Licences are produced lazily (`licences()`), about a million per second or more in release
///   builds; holders are listed by `holders()` / `holder(at:)` without generating licences.
package struct DemoDataGenerator: Sendable {
    /// The default seed (the rules' date of effect).
    package static let defaultSeed: UInt64 = 20_210_601
    /// The default "today" of the demo world.
    package static let defaultReferenceDate = CivilDate(year: 2025, month: 6, day: 30)!
    /// Upper bound of the Zipf head term per holder.
    static let maxHeadLicences = 48
    /// Percentage of holders that are organisations.
    static let organisationPercent: UInt64 = 6

    /// Seed of this data set.
    package let seed: UInt64
    /// Number of licences produced by `licences()`.
    package let licenceCount: Int
    /// The demo world's "today": issue dates lie before it, some validity periods end before it.
    package let referenceDate: CivilDate
    /// Number of distinct holders.
    package let holderCount: Int
    private let headWeight: Int
    private let lastHolderLicenceCount: Int

    /// Creates a generator. Computing the holder count walks the holder ranks once (a few
    /// milliseconds per million licences).
    package init(
        seed: UInt64 = DemoDataGenerator.defaultSeed, licenceCount: Int,
        referenceDate: CivilDate = DemoDataGenerator.defaultReferenceDate
    ) {
        precondition(licenceCount >= 0, "licenceCount must not be negative")
        self.seed = seed
        self.licenceCount = licenceCount
        self.referenceDate = referenceDate
        let head = max(1, licenceCount / 40)
        self.headWeight = head
        var total = 0, rank = 0, last = 0
        while total < licenceCount {
            let c = DemoDataGenerator.baseCount(rank: rank, head: head, seed: seed)
            last = min(c, licenceCount - total)
            total += c
            rank += 1
        }
        self.holderCount = rank
        self.lastHolderLicenceCount = last
    }

    static func baseCount(rank: Int, head: Int, seed: UInt64) -> Int {
        let roll = SplitMix64.mix(seed ^ (UInt64(rank) &* 0xA24B_AED4_963E_E407)) % 100
        let extra = roll < 15 ? 2 : roll < 50 ? 1 : 0
        return 1 + min(maxHeadLicences, head / (rank + 1)) + extra
    }

    /// Number of licences the holder at `rank` receives.
    package func licenceCount(forHolderAt rank: Int) -> Int {
        precondition(rank >= 0 && rank < holderCount, "holder rank \(rank) out of 0..<\(holderCount)")
        return rank == holderCount - 1
            ? lastHolderLicenceCount
            : DemoDataGenerator.baseCount(rank: rank, head: headWeight, seed: seed)
    }

    /// The holder at `rank` (0..<holderCount).
    package func holder(at rank: Int) -> DemoHolder {
        let identity = self.identity(rank: rank)
        return DemoHolder(
            rank: rank, holder: identity.holder, name: identity.name,
            licenceCount: licenceCount(forHolderAt: rank))
    }

    /// All holders in rank order, computed lazily.
    package func holders() -> LazyMapSequence<Range<Int>, DemoHolder> {
        (0..<holderCount).lazy.map { self.holder(at: $0) }
    }

    /// A Zipf sampler over this data set's holder ranks, for load generation: feed its output to
    /// `holder(at:)`.
    package func holderSampler(exponent: Double = 1.0, seed samplerSeed: UInt64) -> ZipfSampler {
        ZipfSampler(count: max(holderCount, 1), exponent: exponent, seed: samplerSeed)
    }

    /// The licences, lazily, holder by holder in rank order.
    package func licences() -> Licences { Licences(generator: self) }

    /// All licences in an array (convenient for small counts).
    package func makeLicences() -> [Licence] {
        var result: [Licence] = []
        result.reserveCapacity(licenceCount)
        for licence in licences() { result.append(licence) }
        return result
    }

    /// The lazily generated licence sequence.
    package struct Licences: Sequence, Sendable {
        let generator: DemoDataGenerator

        package func makeIterator() -> Iterator { Iterator(generator: generator) }

        package var underestimatedCount: Int { generator.licenceCount }

        /// Produces licences one at a time.
        package struct Iterator: IteratorProtocol, Sendable {
            let generator: DemoDataGenerator
            var index = 0
            var rank = -1
            var remainingForHolder = 0
            var positionInHolder = 0
            var usedTypes: Set<String> = []
            var identity: Identity?

            init(generator: DemoDataGenerator) { self.generator = generator }

            package mutating func next() -> Licence? {
                guard index < generator.licenceCount else { return nil }
                if remainingForHolder == 0 {
                    rank += 1
                    remainingForHolder = generator.licenceCount(forHolderAt: rank)
                    positionInHolder = 0
                    usedTypes.removeAll(keepingCapacity: true)
                    identity = generator.identity(rank: rank)
                }
                let licence = generator.makeLicence(
                    index: index, identity: identity!,
                    position: positionInHolder, usedTypes: &usedTypes)
                index += 1
                positionInHolder += 1
                remainingForHolder -= 1
                return licence
            }
        }
    }

    // MARK: - Holders

    /// Everything the generator knows about a holder.
    struct Identity: Sendable {
        let holder: Holder
        let name: String
        let district: DemoVocabulary.District
        /// Birth date for persons, establishment date for organisations.
        let since: CivilDate
        let isMale: Bool
    }

    private static let personSlots: [(district: Int, bank: Int)] = {
        var slots: [(Int, Int)] = []
        for d in 0..<6 { slots.append((d, 0)); slots.append((d, 1)) }
        for d in 6..<10 { slots.append((d, 0)) }
        return slots
    }()
    private static let birthEpoch = CivilDate(year: 1945, month: 1, day: 1)!
    private static let birthDays = 21_900
    private static let personSpace: UInt64 = UInt64(personSlots.count) * 500 * UInt64(birthDays)
    private static let organisationSpace: UInt64 = 27_512_614_111  // 31^7

    func identity(rank: Int) -> Identity {
        var rng = SplitMix64.derived(seed: seed, stream: 1, index: rank)
        let isOrganisation = SplitMix64.mix(seed &+ UInt64(rank) &* 0x9FB2_1C65_1E98_DF25) % 100 < DemoDataGenerator.organisationPercent
        if isOrganisation { return organisationIdentity(rank: rank, rng: &rng) }

        let k = (UInt64(rank) &* 2_654_435_761 &+ SplitMix64.mix(seed) % DemoDataGenerator.personSpace) % DemoDataGenerator.personSpace
        let slots = UInt64(DemoDataGenerator.personSlots.count)
        let slot = DemoDataGenerator.personSlots[Int(k % slots)]
        let q = Int((k / slots) % 500)
        let day = Int(k / (slots * 500))
        let sequence = slot.bank * 500 + q
        let district = DemoVocabulary.districts[slot.district]
        let birth = DemoDataGenerator.birthEpoch.adding(days: day)
        let id = DemoDataGenerator.residentID(region: district.code, birth: birth, sequence: sequence)
        let male = sequence % 2 == 1
        return Identity(
            holder: .person(id), name: DemoDataGenerator.personName(male: male, rng: &rng),
            district: district, since: birth, isMale: male)
    }

    private func organisationIdentity(rank: Int, rng: inout SplitMix64) -> Identity {
        var k = (UInt64(rank) &* 2_246_822_519 &+ SplitMix64.mix(seed ^ 0x5EED) % DemoDataGenerator.organisationSpace) % DemoDataGenerator.organisationSpace
        var code: [UInt8] = []
        for _ in 0..<7 {
            code.append(UnifiedSocialCreditCode.alphabet[Int(k % 31)].asciiValue!)
            k /= 31
        }
        let district = DemoVocabulary.districts[rng.below(6)]
        let individual = rng.chance(20)
        let first17 = (individual ? "92" : "91") + district.code + "MA" + String(decoding: code.reversed(), as: UTF8.self)
        let check = UnifiedSocialCreditCode.checkCharacter(Array(first17.utf8)[0...])
        let uscc = UnifiedSocialCreditCode(unchecked: first17 + String(check))
        let trade = rng.pick(DemoVocabulary.tradeNames) + rng.pick(DemoVocabulary.tradeNames)
        let name: String
        if individual {
            name = "枣庄市\(district.name)\(trade)\(rng.pick(DemoVocabulary.shops))"
        } else {
            let city = district.code == "370481" ? "滕州市" : "枣庄市"
            name = "\(city)\(trade)\(rng.pick(DemoVocabulary.industries))有限公司"
        }
        let established = DemoDataGenerator.randomDay(
            from: CivilDate(year: 1995, month: 1, day: 1)!,
            to: referenceDate.adding(days: -30), rng: &rng)
        return Identity(holder: .organization(uscc), name: name, district: district, since: established, isMale: false)
    }

    static func residentID(region: String, birth: CivilDate, sequence: Int) -> ResidentID {
        var s = region
        CivilDate.appendPadded(birth.year, width: 4, to: &s)
        CivilDate.appendPadded(birth.month, width: 2, to: &s)
        CivilDate.appendPadded(birth.day, width: 2, to: &s)
        CivilDate.appendPadded(sequence, width: 3, to: &s)
        s.append(ResidentID.checkCharacter(digits: Array(s.utf8)[0...]))
        return ResidentID(uncheckedNormalised: s)
    }

    static func personName(male: Bool, rng: inout SplitMix64) -> String {
        let u = rng.unit()
        let surname = DemoVocabulary.surnames[Int(u * u * Double(DemoVocabulary.surnames.count))]
        let table = male ? DemoVocabulary.maleGiven : DemoVocabulary.femaleGiven
        let given = rng.chance(70) ? rng.pick(table) + rng.pick(table) : rng.pick(table)
        return surname + given
    }

    static func randomDay(from start: CivilDate, to end: CivilDate, rng: inout SplitMix64) -> CivilDate {
        let a = start.daysSinceEpoch, b = end.daysSinceEpoch
        guard b > a else { return b < a ? end : start }
        return CivilDate(daysSinceEpoch: a + rng.below(b - a + 1))
    }

    // MARK: - Licences

    private typealias C = LicenceTypeCatalogue.Code
    private static let personExtras: [(code: String, weight: Int)] = [
        (C.householdRegister, 40), (C.socialInsuranceRecord, 20), (C.realEstateTitle, 18), (C.drivingLicence, 12), (C.marriageCertificate, 10),
        (C.degreeCertificate, 8), (C.noCriminalRecord, 8), (C.birthMedicalCertificate, 4), (C.divorceCertificate, 3),
        (C.disabilityCard, 3), (C.subsistenceAllowance, 4),
    ]
    private static let personExtraWeight = personExtras.reduce(0) { $0 + $1.weight }
    private static let singletons: Set<String> = [
        C.residentIDCard, C.householdRegister, C.drivingLicence,
        C.birthMedicalCertificate, C.disabilityCard, C.subsistenceAllowance,
    ]
    private static let repeatables = [C.socialInsuranceRecord, C.realEstateTitle, C.noCriminalRecord]
    private static let types: [String: LicenceType] = Dictionary(uniqueKeysWithValues: LicenceTypeCatalogue.starter.map { ($0.code, $0) })

    private func chooseType(identity: Identity, position: Int, usedTypes: Set<String>, rng: inout SplitMix64) -> String {
        if case .organization = identity.holder {
            return position == 0 ? C.businessLicence : C.realEstateTitle
        }
        if position == 0 { return C.residentIDCard }
        var roll = rng.below(DemoDataGenerator.personExtraWeight)
        var choice = C.socialInsuranceRecord
        for entry in DemoDataGenerator.personExtras {
            if roll < entry.weight { choice = entry.code; break }
            roll -= entry.weight
        }
        let age = referenceDate.year - identity.since.year
        let eligible: Bool
        switch choice {
        case C.birthMedicalCertificate: eligible = identity.since.year >= 1996
        case C.marriageCertificate, C.degreeCertificate: eligible = age >= 23
        case C.divorceCertificate: eligible = age >= 26
        default: eligible = true
        }
        if !eligible || (DemoDataGenerator.singletons.contains(choice) && usedTypes.contains(choice)) {
            choice = rng.pick(DemoDataGenerator.repeatables)
        }
        return choice
    }

    func makeLicence(index: Int, identity: Identity, position: Int, usedTypes: inout Set<String>) -> Licence {
        var rng = SplitMix64.derived(seed: seed, stream: 2, index: index)
        let code = chooseType(identity: identity, position: position, usedTypes: usedTypes, rng: &rng)
        usedTypes.insert(code)
        let type = DemoDataGenerator.types[code]!
        let ref = referenceDate
        let since = identity.since
        let district = identity.district
        var validTo: CivilDate?
        var issue: CivilDate
        var fields: [String: String]
        func pad(_ v: Int, _ w: Int) -> String { var s = ""; CivilDate.appendPadded(v, width: w, to: &s); return s }
        func day(_ a: CivilDate, _ b: CivilDate) -> CivilDate { DemoDataGenerator.randomDay(from: a, to: b, rng: &rng) }
        func address() -> String {
            "\(district.prefix)\(rng.pick(district.streets))\(rng.pick(district.roads))\(rng.between(1...399))号"
        }
        let adult = since.adding(years: 18)

        switch code {
        case C.residentIDCard:
            issue = day(max(since.adding(years: 16), ref.adding(years: -20)), ref.adding(days: -1))
            let ageAtIssue = issue.year - since.year
            validTo =
                ageAtIssue < 26
                ? issue.adding(years: 10).adding(days: -1)
                : ageAtIssue < 46 ? issue.adding(years: 20).adding(days: -1) : nil
            fields = [
                "gender": identity.isMale ? "男" : "女",
                "ethnicity": rng.chance(95) ? "汉族" : rng.pick(DemoVocabulary.minorities),
                "birth_date": since.description, "address": address(), "issuing_authority": district.police,
            ]
        case C.householdRegister:
            issue = day(max(since, CivilDate(year: 1995, month: 1, day: 1)!), ref.adding(days: -1))
            let head = rng.chance(45)
            fields = [
                "household_number": pad(rng.below(1_000_000_000), 9),
                "householder_name": head ? identity.name : DemoDataGenerator.personName(male: rng.chance(50), rng: &rng),
                "relation": head ? "户主" : rng.pick(DemoVocabulary.relations),
                "address": address(), "registration_authority": "\(district.police)\(rng.pick(district.streets))派出所",
            ]
        case C.marriageCertificate:
            issue = day(since.adding(years: 22), min(since.adding(years: 45), ref.adding(days: -1)))
            let spouseBirth = since.adding(days: rng.between(-1500...1500))
            let spouseSeq = rng.below(500) * 2 + (identity.isMale ? 0 : 1)
            let spouseDistrict = DemoVocabulary.districts[rng.below(DemoVocabulary.districts.count)]
            fields = [
                "certificate_number": "J\(district.code)-\(issue.year)-\(pad(rng.below(1_000_000), 6))",
                "spouse_name": DemoDataGenerator.personName(male: !identity.isMale, rng: &rng),
                "spouse_id": DemoDataGenerator.residentID(region: spouseDistrict.code, birth: spouseBirth, sequence: spouseSeq).value,
                "registration_date": issue.description, "registration_authority": type.issuerName,
            ]
        case C.divorceCertificate:
            issue = day(since.adding(years: 24), ref.adding(days: -1))
            fields = [
                "certificate_number": "L\(district.code)-\(issue.year)-\(pad(rng.below(1_000_000), 6))",
                "former_spouse_name": DemoDataGenerator.personName(male: !identity.isMale, rng: &rng),
                "registration_date": issue.description, "registration_authority": type.issuerName,
            ]
        case C.birthMedicalCertificate:
            issue = since.adding(days: rng.between(0...20))
            fields = [
                "certificate_number": "\(["N", "O", "P", "Q"][rng.below(4)])\(pad(rng.below(1_000_000_000), 9))",
                "gender": identity.isMale ? "男" : "女", "birth_date": since.description,
                "birth_place": district.prefix, "mother_name": DemoDataGenerator.personName(male: false, rng: &rng),
                "father_name": DemoDataGenerator.personName(male: true, rng: &rng),
                "institution": rng.pick(DemoVocabulary.hospitals),
            ]
        case C.realEstateTitle:
            let isOrganisation = identity.holder.kind == .organization
            issue = day(max(isOrganisation ? since : since.adding(years: 18), CivilDate(year: 2016, month: 1, day: 1)!), ref.adding(days: -1))
            let area = isOrganisation ? rng.between(200...20_000) : rng.between(45...220)
            fields = [
                "certificate_number": "鲁（\(issue.year)）枣庄市不动产权第\(pad(rng.below(10_000_000), 7))号",
                "unit_number": "\(district.code)\(pad(rng.below(1_000_000), 6))GB\(pad(rng.below(100_000), 5))F\(pad(rng.below(100_000_000), 8))",
                "location": address(), "right_type": isOrganisation ? "国有建设用地使用权/房屋所有权" : "国有建设用地使用权/房屋（构筑物）所有权",
                "usage": isOrganisation ? rng.pick(["工业用地/厂房", "商服用地/商业", "仓储用地/仓库"]) : "城镇住宅用地/住宅",
                "area_m2": "\(area).\(pad(rng.below(100), 2))",
                "ownership": isOrganisation ? "单独所有" : rng.pick(["单独所有", "共同共有", "按份共有"]),
            ]
        case C.businessLicence:
            issue = day(since, ref.adding(days: -1))
            let term = since.adding(years: rng.chance(50) ? 20 : 30).adding(days: -1)
            validTo = rng.chance(70) || term < issue ? nil : term
            let individual = identity.holder.key.hasPrefix("92")
            fields = [
                "entity_type": individual ? "个体工商户" : rng.pick(["有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "股份有限公司（非上市）"]),
                "legal_representative": DemoDataGenerator.personName(male: rng.chance(65), rng: &rng),
                "registered_capital": individual ? "" : "\(rng.pick([50, 100, 200, 500, 1000, 3000, 5000]))万元人民币",
                "established_on": since.description, "address": address(),
                "business_scope": rng.pick(DemoVocabulary.scopes),
            ]
            if individual { fields["registered_capital"] = nil }
        case C.socialInsuranceRecord:
            issue = day(ref.adding(days: -150), ref.adding(days: -1))
            validTo = issue.adding(months: 3).adding(days: -1)
            let lastPaid = issue.adding(months: -1)
            fields = [
                "insurance_type": rng.pick(DemoVocabulary.insuranceTypes), "employer": rng.pick(DemoVocabulary.employers),
                "contribution_months": String(rng.between(1...max(1, (ref.year - adult.year) * 12))),
                "last_paid_month": "\(lastPaid.year)-\(pad(lastPaid.month, 2))",
                "insured_status": rng.chance(92) ? "正常参保" : "暂停缴费",
            ]
        case C.degreeCertificate:
            issue = day(since.adding(years: 22), min(since.adding(years: 27), ref.adding(days: -1)))
            let (discipline, major) = rng.pick(DemoVocabulary.majors)
            fields = [
                "certificate_number": "1045\(rng.chance(85) ? "6" : "7")\(issue.year)\(pad(rng.below(1_000_000), 6))",
                "degree": "\(discipline)\(rng.chance(88) ? "学士" : "硕士")学位", "discipline": discipline, "major": major,
                "conferred_on": issue.description,
            ]
        case C.disabilityCard:
            issue = day(max(since, ref.adding(years: -10)), ref.adding(days: -1))
            validTo = issue.adding(years: 10).adding(days: -1)
            let category = rng.below(DemoVocabulary.disabilityCategories.count)
            fields = [
                "card_number": "\(identity.holder.key)\(category + 1)\(rng.between(1...4))",
                "disability_category": DemoVocabulary.disabilityCategories[category],
                "disability_grade": ["一级", "二级", "三级", "四级"][rng.below(4)],
            ]
            if rng.chance(20) { fields["guardian_name"] = DemoDataGenerator.personName(male: rng.chance(50), rng: &rng) }
        case C.subsistenceAllowance:
            issue = day(ref.adding(years: -2), ref.adding(days: -1))
            validTo = issue.adding(years: 1).adding(days: -1)
            let persons = rng.between(1...5)
            fields = [
                "certificate_number": "枣民低\(issue.year)\(pad(rng.below(100_000), 5))",
                "category": rng.pick(["城市低保", "农村低保", "特困供养"]),
                "household_size": String(persons), "monthly_amount_cny": String(persons * rng.between(600...860)),
            ]
        case C.drivingLicence:
            let first = day(adult, min(since.adding(years: 45), ref.adding(days: -1)))
            issue = max(first, day(ref.adding(years: -10), ref.adding(days: -1)))
            validTo = rng.chance(10) ? nil : issue.adding(years: issue == first ? 6 : 10).adding(days: -1)
            fields = [
                "licence_class": rng.pick(DemoVocabulary.licenceClasses), "first_issued_on": first.description,
                "file_number": "3704\(pad(rng.below(100_000_000), 8))", "points": String(rng.chance(80) ? 0 : rng.between(1...11)),
            ]
        default:  // no-criminal-record certificate
            issue = day(ref.adding(years: -1), ref.adding(days: -1))
            validTo = issue.adding(months: 3).adding(days: -1)
            fields = [
                "certificate_number": "枣公（\(issue.year)）无犯证字第\(pad(rng.below(1_000_000), 6))号",
                "purpose": rng.pick(["就业", "出国（境）", "入学", "资格考试", "志愿服务"]),
                "result": "未发现有犯罪记录",
            ]
        }

        let statusRoll = rng.below(1000)
        let status: LicenceStatus = statusRoll < 8 ? .revoked : statusRoll < 20 ? .suspended : .valid
        var serial = ""
        CivilDate.appendPadded(issue.year, width: 4, to: &serial)
        CivilDate.appendPadded(index, width: 10, to: &serial)
        let edition = rng.chance(5) ? 2 : 1
        let id: LicenceIdentifier
        do {
            id = try LicenceIdentifier.make(typeCode: code, issuer: type.issuerCode, serial: serial, version: edition)
        } catch {
            preconditionFailure("demo generator built an invalid identifier: \(error)")
        }
        return Licence(
            id: id, holder: identity.holder, holderName: identity.name, issuerName: type.issuerName,
            issueDate: issue, validFrom: issue, validTo: validTo, status: status, version: 1, fields: fields)
    }
}
