package import Foundation
package import NoProofDomain

/// Deterministic demo units of Zaozhuang with their staff and item lists, exercising every
/// obtaining method with the starter licence types: data sharing, department verification (for
/// the unconnected XWZS and WFZJL), notification-commitment, cancelled, and exclusions on each
/// Art. 2 ground. Fictitious but realistic; credit codes carry correct check characters.
package enum UnitDemoData {
    /// When the demo lists take effect: 2026-01-05 09:00 China Standard Time.
    package static let effectiveAt = Date(timeIntervalSince1970: 1_767_574_800)
    /// When the demo lists are drafted, submitted and approved (the working day before).
    package static let preparedAt = Date(timeIntervalSince1970: 1_767_574_800 - 86_400 * 2)

    private static func code(_ first17: String) -> UnifiedSocialCreditCode {
        do { return try UnifiedSocialCreditCode.make(first17: first17, field: "code") } catch {
            preconditionFailure("demo unit code \(first17) is invalid: \(error)")
        }
    }

    /// 枣庄市“无证明城市”建设工作专班办公室 — the task force office.
    package static let taskForce = ServiceUnit(
        code: code("11370400MB1P26017"), name: "枣庄市“无证明城市”建设工作专班办公室",
        kind: .government, district: "市直", isTaskForceOffice: true)
    /// 枣庄市民政局 — civil affairs (marriage registration, subsistence allowance).
    package static let civilAffairs = ServiceUnit(
        code: LicenceTypeCatalogue.civilAffairs.code, name: "枣庄市民政局",
        kind: .government, district: "市直")
    /// 枣庄市不动产登记中心 — real-estate registration.
    package static let realEstate = ServiceUnit(
        code: code("12370400MB0F43218"), name: "枣庄市不动产登记中心",
        kind: .government, district: "市直")
    /// 枣庄水务集团有限公司 — the water company.
    package static let water = ServiceUnit(
        code: code("91370400MA3C7WX81"), name: "枣庄水务集团有限公司",
        kind: .publicService(.water), district: "市中区")
    /// 中国工商银行股份有限公司枣庄分行 — a bank branch.
    package static let bank = ServiceUnit(
        code: code("91370400863124575"), name: "中国工商银行股份有限公司枣庄分行",
        kind: .publicService(.bank), district: "薛城区")
    /// 枣庄市立医院 — the municipal hospital.
    package static let hospital = ServiceUnit(
        code: code("12370400493182576"), name: "枣庄市立医院",
        kind: .publicService(.hospital), district: "市中区")

    /// 枣庄学院 — Zaozhuang University, issuing unit of degree certificates (XWZS, by department
    /// verification: its database is not connected).
    package static let university = ServiceUnit(
        code: LicenceTypeCatalogue.zaozhuangUniversity.code, name: LicenceTypeCatalogue.zaozhuangUniversity.name,
        kind: .publicService(.school), district: "薛城区")
    /// 枣庄市公安局 — the public security bureau, issuing unit of no-criminal-record proofs (WFZJL).
    package static let publicSecurity = ServiceUnit(
        code: LicenceTypeCatalogue.publicSecurityBureau.code,
        name: LicenceTypeCatalogue.publicSecurityBureau.name, kind: .government, district: "市直")

    /// All demo units, the task force office first.
    package static let units: [ServiceUnit] = [taskForce, civilAffairs, realEstate, water, bank, hospital, university, publicSecurity]

    /// The staff of each demo unit: one supervisor and one or two agents.
    package static func staff(of unit: UnifiedSocialCreditCode) -> [StaffMember] {
        let names: [UnifiedSocialCreditCode: (String, [String])] = [
            taskForce.code: ("孙立华", ["周敏", "吴海涛"]),
            civilAffairs.code: ("陈秀英", ["刘洋", "杨静"]),
            realEstate.code: ("赵建国", ["黄磊"]),
            water.code: ("王志强", ["李娜", "张伟"]),
            bank.code: ("郑文博", ["高翔"]),
            hospital.code: ("马丽", ["林晓东", "何芳"]),
            university.code: ("钱振宇", ["孔令婷"]),
            publicSecurity.code: ("韩志刚", ["曹雪", "田宇"]),
        ]
        guard let (supervisor, agents) = names[unit] else { return [] }
        return [StaffMember(id: "supervisor-0001", name: supervisor, role: .supervisor)]
            + agents.enumerated().map { StaffMember(id: String(format: "agent-%04d", $0.offset + 1), name: $0.element, role: .agent) }
    }

    private static func p(_ code: String, _ method: ObtainingMethod, _ name: String = "") -> ProofRequirement {
        ProofRequirement(proofCode: code, name: name, method: method)
    }
    /// Data sharing of the data fields the item needs (none: identity and validity only; "*": the full record).
    private static func d(_ code: String, _ fields: String...) -> ProofRequirement {
        ProofRequirement(
            proofCode: code, method: .dataSharing,
            disclosure: fields == ["*"] ? .fullRecord : fields.isEmpty ? .identityOnly : .fields(fields))
    }
    private static let publicSecurityCode = LicenceTypeCatalogue.publicSecurityBureau.code
    private static let universityCode = LicenceTypeCatalogue.zaozhuangUniversity.code

    /// The published items of each demo unit.
    package static func items(of unit: UnifiedSocialCreditCode) -> [ServiceItem] {
        switch unit {
        case taskForce.code:
            return [
                ServiceItem(
                    code: "ZB-TS-001", name: "“无证明办事”投诉受理", kind: .commitment(.workingDays(5)),
                    proofs: [
                        d("JMSFZ")
                    ])
            ]
        case civilAffairs.code:
            return [
                ServiceItem(
                    code: "MZ-HY-001", name: "内地居民结婚登记", kind: .immediate,
                    proofs: [
                        d("HKB", "household_number", "address", "registration_authority"),
                        d("JMSFZ", "gender", "birth_date"),
                        p("XWZS", .departmentVerification(issuingUnit: universityCode)),
                        p("DSZM", .cancelled, "单身证明"),
                    ]),
                ServiceItem(
                    code: "MZ-HY-002", name: "内地居民离婚登记", kind: .immediate,
                    proofs: [
                        d("HKB", "address"), d("JMSFZ", "gender", "birth_date"),
                        d("JHZ", "certificate_number", "spouse_name", "spouse_id", "registration_date"),
                    ]),
                ServiceItem(
                    code: "MZ-DB-001", name: "最低生活保障审核确认", kind: .commitment(.workingDays(10)),
                    proofs: [
                        d("HKB", "*"), d("SBJFJL", "*"), d("BDCQZS", "location", "area_m2", "ownership"), d("CJRZ", "disability_category", "disability_grade"),
                        p("JZZM", .commitment, "居住证明"),
                        p("SRZM", .commitment, "家庭收入证明"),
                    ]),
            ]
        case realEstate.code:
            return [
                ServiceItem(
                    code: "BDC-ZY-001", name: "存量房转移登记", kind: .commitment(.workingDays(3)),
                    proofs: [
                        d("JMSFZ"), d("HKB"), d("JHZ", "spouse_name", "spouse_id"), d("BDCQZS", "*"),
                        d("YYZZ", "entity_type", "legal_representative", "address"),
                        p("HYZK", .commitment, "婚姻状况声明"),
                    ]),
                ServiceItem(
                    code: "BDC-DY-002", name: "不动产抵押登记", kind: .commitment(.hours(24)),
                    proofs: [
                        d("BDCQZS", "*"), d("YYZZ", "legal_representative"),
                        p(
                            "ZXBG",
                            .excluded(
                                ExclusionReason(
                                    ground: .highRisk(.financialSupervision),
                                    note: "个人征信报告属金融审慎监管事项，由申请人自行提供")), "个人信用报告"),
                        p("SJPZ", .excluded(ExclusionReason(ground: .provincialDecision, note: "省级不动产登记机构审核决定事项所需材料")), "省级审批意见"),
                    ]),
            ]
        case water.code:
            return [
                ServiceItem(
                    code: "SW-KH-001", name: "居民用水新开户", kind: .immediate,
                    proofs: [
                        d("JMSFZ"), d("BDCQZS", "location", "unit_number"),
                        p("ZLHT", .commitment, "房屋租赁合同"),
                        p("WYZM", .cancelled, "物业证明"),
                    ]),
                ServiceItem(
                    code: "SW-GH-002", name: "用水户名变更（过户）", kind: .commitment(.workingDays(2)),
                    proofs: [
                        d("JMSFZ"), d("BDCQZS", "location", "unit_number"), d("YYZZ", "legal_representative"),
                    ]),
            ]
        case bank.code:
            return [
                ServiceItem(
                    code: "YH-KH-001", name: "个人结算账户开立", kind: .immediate,
                    proofs: [
                        d("JMSFZ", "gender", "birth_date", "address", "issuing_authority"), d("HKB", "address"),
                        p("GZZM", .excluded(ExclusionReason(ground: .highRisk(.financialSupervision), note: "反洗钱尽职调查要求，须核对原件")), "工作证明"),
                    ]),
                ServiceItem(
                    code: "YH-DK-002", name: "个人住房贷款申请", kind: .commitment(.workingDays(15)),
                    proofs: [
                        d("JMSFZ", "gender", "birth_date", "address", "issuing_authority"), d("JHZ", "spouse_name", "spouse_id"),
                        d("BDCQZS", "location", "area_m2", "ownership"), d("SBJFJL", "employer", "contribution_months", "last_paid_month"),
                        p("WFZJL", .departmentVerification(issuingUnit: publicSecurityCode)),
                    ]),
            ]
        case hospital.code:
            return [
                ServiceItem(
                    code: "YY-CS-001", name: "出生医学证明首次签发", kind: .immediate,
                    proofs: [
                        d("JMSFZ", "birth_date"), d("JHZ", "certificate_number", "spouse_name"), d("HKB", "address"),
                    ]),
                ServiceItem(
                    code: "YY-YB-002", name: "异地就医费用报销材料审核", kind: .commitment(.workingDays(5)),
                    proofs: [
                        d("JMSFZ"), d("SBJFJL", "insurance_type", "insured_status"),
                        p("WDZY", .excluded(ExclusionReason(ground: .outOfCity, note: "外地医疗机构出具的住院证明无法在线核验")), "外地住院证明"),
                        p("XWZS", .departmentVerification(issuingUnit: universityCode)),
                        // A proof with no database behind it: the 24-hour commitment limit applies.
                        p("ZDZM", .departmentVerification(issuingUnit: universityCode), "在读证明"),
                    ]),
            ]
        default:
            return []
        }
    }
}
