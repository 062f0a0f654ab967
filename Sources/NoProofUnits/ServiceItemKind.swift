/// Whether a service item is handled on the spot or by a promised date (Art. 10 deadlines depend
/// on it).
package enum ServiceItemKind: Hashable, Sendable {
    /// 即办件 — handled immediately.
    case immediate
    /// 承诺件 — completed within the promised time.
    case commitment(PromisedTime)

    /// `immediate` or `commitment`.
    package var token: String {
        switch self {
        case .immediate: "immediate"
        case .commitment: "commitment"
        }
    }

    /// The promised completion time of a commitment item.
    package var promisedTime: PromisedTime? {
        if case .commitment(let time) = self { return time }
        return nil
    }
}
