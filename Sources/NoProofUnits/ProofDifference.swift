/// One difference between a revision of a list and the version it revises, at the level Art. 5
/// asks changes to be reported: an item added or removed, a proof added or removed, a proof's
/// obtaining method changed — or, for data sharing, the data fields it needs (a `change`).
package struct ProofDifference: Hashable, Sendable, CustomStringConvertible {
    /// The item.
    package var itemCode: String
    /// The proof, or `nil` for a whole item.
    package var proofCode: String?
    /// What kind of change this is.
    package var kind: ListChangeKind
    /// The method before (`nil` when added).
    package var before: ObtainingMethod?
    /// The method after (`nil` when removed).
    package var after: ObtainingMethod?
    /// When only the data fields a data-sharing proof needs changed: before and after.
    package var fields: (before: FieldDisclosure, after: FieldDisclosure)? {
        get { fieldsBefore.flatMap { before in fieldsAfter.map { (before, $0) } } }
        set { fieldsBefore = newValue?.before; fieldsAfter = newValue?.after }
    }
    private var fieldsBefore: FieldDisclosure?
    private var fieldsAfter: FieldDisclosure?

    /// Creates a difference.
    package init(
        itemCode: String, proofCode: String?, kind: ListChangeKind, before: ObtainingMethod?, after: ObtainingMethod?,
        fields: (before: FieldDisclosure, after: FieldDisclosure)? = nil
    ) {
        self.itemCode = itemCode
        self.proofCode = proofCode
        self.kind = kind
        self.before = before
        self.after = after
        self.fieldsBefore = fields?.before
        self.fieldsAfter = fields?.after
    }

    /// Whether a declared change may account for this difference: same item, same proof (or a
    /// whole-item change for a whole-item difference), and a matching kind; cancelling a proof
    /// may be declared as `reduce` or `change`.
    package func isDeclared(by change: ListChange) -> Bool {
        guard change.itemCode == itemCode, change.proofCode == proofCode else { return false }
        if change.kind == kind { return true }
        if case .cancelled = after, kind == .reduce, change.kind == .change { return true }
        return false
    }

    /// The differences between `base` and `revised`, item by item in `revised` order, then
    /// removed items in `base` order.
    package static func between(_ base: [ServiceItem], _ revised: [ServiceItem]) -> [ProofDifference] {
        var result: [ProofDifference] = []
        let baseByCode = Dictionary(base.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let revisedCodes = Set(revised.map(\.code))
        for item in revised {
            guard let old = baseByCode[item.code] else {
                result.append(ProofDifference(itemCode: item.code, proofCode: nil, kind: .add, before: nil, after: nil))
                continue
            }
            let newCodes = Set(item.proofs.map(\.proofCode))
            for proof in item.proofs {
                guard let oldProof = old.proof(proof.proofCode) else {
                    result.append(ProofDifference(itemCode: item.code, proofCode: proof.proofCode, kind: .add, before: nil, after: proof.method))
                    continue
                }
                guard oldProof.method != proof.method else {
                    if oldProof.disclosure != proof.disclosure {
                        result.append(
                            ProofDifference(
                                itemCode: item.code, proofCode: proof.proofCode, kind: .change, before: oldProof.method,
                                after: proof.method, fields: (oldProof.disclosure, proof.disclosure)))
                    }
                    continue
                }
                let kind: ListChangeKind
                switch (oldProof.method, proof.method) {
                case (.cancelled, _): kind = .add
                case (_, .cancelled): kind = .reduce
                default: kind = .change
                }
                result.append(ProofDifference(itemCode: item.code, proofCode: proof.proofCode, kind: kind, before: oldProof.method, after: proof.method))
            }
            for oldProof in old.proofs where !newCodes.contains(oldProof.proofCode) {
                result.append(ProofDifference(itemCode: item.code, proofCode: oldProof.proofCode, kind: .reduce, before: oldProof.method, after: nil))
            }
        }
        for item in base where !revisedCodes.contains(item.code) {
            result.append(ProofDifference(itemCode: item.code, proofCode: nil, kind: .reduce, before: nil, after: nil))
        }
        return result
    }

    /// `proof JMSFZ of item SW-001 changed from data sharing to commitment`.
    package var description: String {
        let subject = proofCode.map { "proof \($0) of item \(itemCode)" } ?? "item \(itemCode)"
        switch kind {
        case .add:
            if let before { return "\(subject) required again (was \(before.summary)), now \(after?.summary ?? "-")" }
            return proofCode == nil ? "\(subject) added" : "\(subject) added (\(after?.summary ?? "-"))"
        case .reduce:
            if let after { return "\(subject) changed from \(before?.summary ?? "-") to \(after.summary)" }
            return "\(subject) removed"
        case .change:
            if let fields { return "\(subject): fields needed changed from \(fields.before.summary) to \(fields.after.summary)" }
            return "\(subject) changed from \(before?.summary ?? "-") to \(after?.summary ?? "-")"
        }
    }
}
