/// What a unit's published list tells a clerk to do about one proof of one item: whether the
/// applicant brings it (only an excluded proof, Art. 2) and, if not, how the unit obtains it
/// instead. The answer of `noproof item show` and of a lookup for a cancelled or excluded proof.
/// Pure.
package struct ProofGuidance: Hashable, Sendable {
    package var itemCode: String
    package var proof: ProofRequirement
    /// The published list version the guidance comes from.
    package var listVersion: Int

    package init(itemCode: String, proof: ProofRequirement, listVersion: Int) {
        self.itemCode = itemCode
        self.proof = proof
        self.listVersion = listVersion
    }

    /// Only an excluded proof is still brought by the applicant; every other one is not asked for.
    package var applicantBrings: Bool {
        if case .excluded = proof.method { return true }
        return false
    }

    /// The proof's code and, when the list names it, its name: `WYZM (物业证明)`.
    package var proofLabel: String { proof.name.isEmpty ? proof.proofCode : "\(proof.proofCode) (\(proof.name))" }

    /// What to do, in words, with the CLI command where there is one.
    package var whatToDo: String {
        let code = proof.proofCode
        switch proof.method {
        case .dataSharing:
            return "do not ask the applicant: look it up by data sharing (数据共享): noproof lookup --item \(itemCode) --type \(code) --holder ID --case REF"
                + " (the proof carries \(proof.disclosure.summary))"
        case .commitment:
            return
                "do not ask for it: the applicant signs a notification-commitment (告知承诺) instead: noproof commitment record --item \(itemCode) --proof \(code) ..."
        case .departmentVerification(let unit):
            return
                "do not ask the applicant: ask the issuing unit \(unit) by department verification (部门核验): noproof verify-request file --to \(unit) --item \(itemCode) --proof \(code) ..."
        case .cancelled:
            return
                "do not ask for it and do not look it up: it is cancelled (取消, no legal basis); handle the application without it (a copy the applicant volunteers is accepted and recorded: noproof ledger add)"
        case .excluded(let reason):
            return "the applicant brings it: it is excluded from the no-proof rules (\(reason.summary)) and the system does not serve it"
        }
    }

    /// The answer to a request to fetch this proof when the list cancels or excludes it (nil
    /// for the other methods, which the access policy decides).
    package var refusal: String? {
        switch proof.method {
        case .cancelled:
            return "\(proofLabel) of item \(itemCode) is cancelled in list version \(listVersion): \(whatToDo)"
        case .excluded:
            return "\(proofLabel) of item \(itemCode) is excluded in list version \(listVersion): \(whatToDo)"
        case .dataSharing, .commitment, .departmentVerification:
            return nil
        }
    }

    /// The token of a refused request's result: `cancelled` or `excluded` (nil otherwise).
    package var refusalToken: String? {
        switch proof.method {
        case .cancelled: "cancelled"
        case .excluded: "excluded"
        case .dataSharing, .commitment, .departmentVerification: nil
        }
    }
}
