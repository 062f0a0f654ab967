import NoProofServices
import NoProofUnits

/// The test double of the access gate for tests of the licence library and its RPCs alone: every
/// unit is allowed every lookup, with the full record, and nothing is recorded. The server always
/// runs the real `AccessGate`; this exists only so that such tests say, by name, that they skip it.
struct EveryUnitAllowed: LookupAccess {
    func listedNoProof(
        unitCode: String, staff: String, itemCode: String, caseReference: String, proofCode: String,
        signedInStaff: String?
    ) -> (refusal: AccessGate.Refusal, guidance: ProofGuidance?)? {
        nil
    }

    func admission(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String, signedInStaff: String?, holder: String
    ) -> AccessGate.Admission {
        .allowed(.fullRecord)
    }

    func recorded(_ ticket: UInt64) async {}

    func noteMiss(unitCode: String, staff: String, credentialID: String) {}
}
