package import NoProofDomain
/// The high-risk matters of Art. 2 whose proofs are excluded from the no-proof rules.
package enum HighRiskCategory: String, CaseIterable, Hashable, Sendable, Codable {
    /// 国家安全.
    case nationalSecurity = "national_security"
    /// 国家秘密.
    case stateSecrets = "state_secrets"
    /// 公共安全.
    case publicSafety = "public_safety"
    /// 金融审慎监管.
    case financialSupervision = "financial_supervision"
    /// 生态环境保护.
    case ecologicalProtection = "ecological_protection"
    /// 直接关系人身健康、生命财产安全.
    case lifeHealthProperty = "life_health_property"
    /// 重要涉外等.
    case foreignAffairs = "foreign_affairs"
    /// Other high-risk matters that are hard to undo (风险较大、纠错成本较高).
    case otherHighRisk = "other_high_risk"

    /// Chinese wording of the category.
    package var nameZh: String {
        switch self {
        case .nationalSecurity: "国家安全"
        case .stateSecrets: "国家秘密"
        case .publicSafety: "公共安全"
        case .financialSupervision: "金融审慎监管"
        case .ecologicalProtection: "生态环境保护"
        case .lifeHealthProperty: "人身健康、生命财产安全"
        case .foreignAffairs: "重要涉外"
        case .otherHighRisk: "其他高风险事项"
        }
    }

    /// Parses a category name (`public_safety`, ...).
    /// - Throws: `ValidationError` naming `field` and listing the accepted names.
    package static func parse(_ text: String, field: String) throws(ValidationError) -> HighRiskCategory {
        guard let category = HighRiskCategory(rawValue: text) else {
            throw ValidationError(
                field: field,
                reason: "unknown high-risk category \"\(text)\"; use one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return category
    }
}
