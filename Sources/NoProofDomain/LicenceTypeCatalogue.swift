/// The starter catalogue of licence types shipped with NoProof: the proofs most often asked for in
/// Zaozhuang's government and public services, each with a realistic issuing unit.
///
/// Issuing units carry unified social credit codes with correct check characters (Zaozhuang
/// region codes 3704xx). Two types — degree certificate and no-criminal-record proof — are
/// marked as not yet connected, so they must go through department verification.
package enum LicenceTypeCatalogue {
    /// 枣庄市公安局 — Zaozhuang Municipal Public Security Bureau.
    package static let publicSecurityBureau = IssuingUnit(name: "枣庄市公安局", code: "11370400004315203J")
    /// 枣庄市公安局交通警察支队 — traffic police detachment.
    package static let trafficPolice = IssuingUnit(name: "枣庄市公安局交通警察支队", code: "11370400MB0F60148E")
    /// 枣庄市市中区民政局 — Shizhong District civil affairs bureau (marriage registry).
    package static let shizhongCivilAffairs = IssuingUnit(name: "枣庄市市中区民政局", code: "113704020043171504")
    /// 枣庄市民政局 — municipal civil affairs bureau.
    package static let civilAffairs = IssuingUnit(name: "枣庄市民政局", code: "11370400004315119G")
    /// 枣庄市卫生健康委员会 — municipal health commission.
    package static let healthCommission = IssuingUnit(name: "枣庄市卫生健康委员会", code: "11370400MB28511765")
    /// 枣庄市自然资源和规划局 — natural resources and planning bureau (real-estate registry).
    package static let naturalResources = IssuingUnit(name: "枣庄市自然资源和规划局", code: "11370400MB1E89075N")
    /// 枣庄市行政审批服务局 — administrative approval services bureau (business registration).
    package static let administrativeApproval = IssuingUnit(name: "枣庄市行政审批服务局", code: "11370400MB1C00315D")
    /// 枣庄市社会保险事业中心 — social insurance centre.
    package static let socialInsurance = IssuingUnit(name: "枣庄市社会保险事业中心", code: "12370400MB0F132985")
    /// 枣庄学院 — Zaozhuang University.
    package static let zaozhuangUniversity = IssuingUnit(name: "枣庄学院", code: "12370000495570452X")
    /// 枣庄市残疾人联合会 — disabled persons' federation.
    package static let disabledPersonsFederation = IssuingUnit(name: "枣庄市残疾人联合会", code: "13370400MB0F20741M")

    /// An issuing unit of the starter catalogue.
    package struct IssuingUnit: Hashable, Sendable {
        /// Unit name.
        package let name: String
        /// Unit credit code.
        package let code: UnifiedSocialCreditCode

        init(name: String, code: String) {
            self.name = name
            do {
                self.code = try UnifiedSocialCreditCode.parse(code, field: "issuer_code")
            } catch {
                preconditionFailure("starter catalogue issuer \(name) has an invalid credit code: \(error)")
            }
        }
    }

    /// Type codes of the starter catalogue.
    package enum Code {
        package static let householdRegister = "HKB"
        package static let residentIDCard = "JMSFZ"
        package static let marriageCertificate = "JHZ"
        package static let divorceCertificate = "LHZ"
        package static let birthMedicalCertificate = "CSYXZM"
        package static let realEstateTitle = "BDCQZS"
        package static let businessLicence = "YYZZ"
        package static let socialInsuranceRecord = "SBJFJL"
        package static let degreeCertificate = "XWZS"
        package static let disabilityCard = "CJRZ"
        package static let subsistenceAllowance = "DBZ"
        package static let drivingLicence = "JSZ"
        package static let noCriminalRecord = "WFZJL"
    }

    private static func f(_ key: String, _ zh: String, _ en: String) -> LicenceFieldDescriptor {
        LicenceFieldDescriptor(key: key, labelZh: zh, labelEn: en)
    }

    private static func makeType(
        _ code: String, _ zh: String, _ en: String, _ unit: IssuingUnit,
        _ kinds: [HolderKind], connected: Bool = true,
        _ fields: [LicenceFieldDescriptor]
    ) -> LicenceType {
        LicenceType(
            code: code, nameZh: zh, nameEn: en, issuerName: unit.name, issuerCode: unit.code,
            holderKinds: kinds, fields: fields, connected: connected)
    }

    /// The starter licence types, in catalogue order.
    package static let starter: [LicenceType] = [
        makeType(
            Code.householdRegister, "户口簿", "Household register", publicSecurityBureau, [.person],
            [
                f("household_number", "户号", "Household number"),
                f("householder_name", "户主姓名", "Head of household"),
                f("relation", "与户主关系", "Relation to head of household"),
                f("address", "住址", "Address"),
                f("registration_authority", "登记机关", "Registration authority"),
            ]),
        makeType(
            Code.residentIDCard, "居民身份证", "Resident identity card", publicSecurityBureau, [.person],
            [
                f("gender", "性别", "Sex"),
                f("ethnicity", "民族", "Ethnicity"),
                f("birth_date", "出生日期", "Date of birth"),
                f("address", "住址", "Address"),
                f("issuing_authority", "签发机关", "Issuing authority"),
            ]),
        makeType(
            Code.marriageCertificate, "结婚证", "Marriage certificate", shizhongCivilAffairs, [.person],
            [
                f("certificate_number", "结婚证字号", "Certificate number"),
                f("spouse_name", "配偶姓名", "Spouse's name"),
                f("spouse_id", "配偶身份证件号", "Spouse's ID number"),
                f("registration_date", "登记日期", "Registration date"),
                f("registration_authority", "登记机关", "Registration authority"),
            ]),
        makeType(
            Code.divorceCertificate, "离婚证", "Divorce certificate", shizhongCivilAffairs, [.person],
            [
                f("certificate_number", "离婚证字号", "Certificate number"),
                f("former_spouse_name", "原配偶姓名", "Former spouse's name"),
                f("registration_date", "登记日期", "Registration date"),
                f("registration_authority", "登记机关", "Registration authority"),
            ]),
        makeType(
            Code.birthMedicalCertificate, "出生医学证明", "Birth medical certificate", healthCommission, [.person],
            [
                f("certificate_number", "出生医学证明编号", "Certificate number"),
                f("gender", "性别", "Sex"),
                f("birth_date", "出生日期", "Date of birth"),
                f("birth_place", "出生地点", "Place of birth"),
                f("mother_name", "母亲姓名", "Mother's name"),
                f("father_name", "父亲姓名", "Father's name"),
                f("institution", "接生机构", "Delivering institution"),
            ]),
        makeType(
            Code.realEstateTitle, "不动产权证书", "Real-estate title certificate", naturalResources, [.person, .organization],
            [
                f("certificate_number", "不动产权证号", "Certificate number"),
                f("unit_number", "不动产单元号", "Real-estate unit number"),
                f("location", "坐落", "Location"),
                f("right_type", "权利类型", "Type of right"),
                f("usage", "用途", "Usage"),
                f("area_m2", "面积（平方米）", "Area (m²)"),
                f("ownership", "共有情况", "Co-ownership"),
            ]),
        makeType(
            Code.businessLicence, "营业执照", "Business licence", administrativeApproval, [.organization],
            [
                f("entity_type", "类型", "Entity type"),
                f("legal_representative", "法定代表人", "Legal representative"),
                f("registered_capital", "注册资本", "Registered capital"),
                f("established_on", "成立日期", "Date of establishment"),
                f("address", "住所", "Domicile"),
                f("business_scope", "经营范围", "Business scope"),
            ]),
        makeType(
            Code.socialInsuranceRecord, "社会保险缴费记录", "Social-insurance contribution record", socialInsurance, [.person],
            [
                f("insurance_type", "险种", "Insurance type"),
                f("employer", "参保单位", "Employer"),
                f("contribution_months", "累计缴费月数", "Months contributed"),
                f("last_paid_month", "最近缴费年月", "Last month paid"),
                f("insured_status", "参保状态", "Insurance status"),
            ]),
        makeType(
            Code.degreeCertificate, "学位证书", "Degree certificate", zaozhuangUniversity, [.person], connected: false,
            [
                f("certificate_number", "证书编号", "Certificate number"),
                f("degree", "学位", "Degree"),
                f("discipline", "学科门类", "Discipline"),
                f("major", "专业", "Major"),
                f("conferred_on", "授予日期", "Date conferred"),
            ]),
        makeType(
            Code.disabilityCard, "残疾人证", "Disability card", disabledPersonsFederation, [.person],
            [
                f("card_number", "残疾人证号", "Card number"),
                f("disability_category", "残疾类别", "Category of disability"),
                f("disability_grade", "残疾等级", "Grade of disability"),
                f("guardian_name", "监护人", "Guardian"),
            ]),
        makeType(
            Code.subsistenceAllowance, "最低生活保障证", "Subsistence-allowance certificate", civilAffairs, [.person],
            [
                f("certificate_number", "证号", "Certificate number"),
                f("category", "保障类别", "Category"),
                f("household_size", "保障人数", "Persons covered"),
                f("monthly_amount_cny", "月保障金额（元）", "Monthly amount (CNY)"),
            ]),
        makeType(
            Code.drivingLicence, "机动车驾驶证", "Motor-vehicle driving licence", trafficPolice, [.person],
            [
                f("licence_class", "准驾车型", "Permitted vehicle class"),
                f("first_issued_on", "初次领证日期", "Date first issued"),
                f("file_number", "档案编号", "File number"),
                f("points", "累积记分", "Penalty points"),
            ]),
        makeType(
            Code.noCriminalRecord, "无犯罪记录证明", "No-criminal-record certificate", publicSecurityBureau, [.person], connected: false,
            [
                f("certificate_number", "证明编号", "Certificate number"),
                f("purpose", "用途", "Purpose"),
                f("result", "查询结果", "Result"),
            ]),
    ]

    /// The starter type with `code`, if any.
    package static func type(code: String) -> LicenceType? { byCode[code] }

    private static let byCode: [String: LicenceType] = Dictionary(uniqueKeysWithValues: starter.map { ($0.code, $0) })
}
