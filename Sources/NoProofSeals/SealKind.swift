/// The two seals of Art. 9. Each has its own key; a key seals nothing else, except that the
/// data-sharing key also signs GetProofStatus answers, under their own domain tag
/// (`ProofStatusStatement`), which no proof body or batch root can be mistaken for.
package enum SealKind: String, CaseIterable, Sendable, Hashable {
    /// 证照数据共享查询核验专用章: proofs from data sharing (lookups).
    case dataSharing = "data-sharing"
    /// 电子证明核实信息专用章: proofs verified by the issuing unit (department verification).
    case verification = "verification"

    package var nameZh: String {
        switch self {
        case .dataSharing: "证照数据共享查询核验专用章"
        case .verification: "电子证明核实信息专用章"
        }
    }
}
