package import NoProofProtocol
package import NoProofUnits

/// What the licence service asks before it serves a unit's lookup, get or check: the access gate
/// (`AccessGate`: the unit's item list in force, staff identity, rate and volume limits, the
/// harvesting detector, the denial log). A required dependency — there is no "no gate" mode that
/// serves every unit; tests that exercise the library alone pass an explicit double that says so
/// in its name.
package protocol LookupAccess: Sendable {
    /// The refusal, with the list's guidance, of a proof that the cited item lists as cancelled or
    /// excluded; nil when the item does not list it so (the normal decision follows).
    func listedNoProof(
        unitCode: String, staff: String, itemCode: String, caseReference: String, proofCode: String,
        signedInStaff: String?
    ) -> (refusal: AccessGate.Refusal, guidance: ProofGuidance?)?

    /// The decision; when allowed, the data fields the answer may carry.
    func admission(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String, signedInStaff: String?, holder: String
    ) -> AccessGate.Admission

    /// Waits until the denial record with `ticket` (and every one queued before it) is durable.
    func recorded(_ ticket: UInt64) async

    /// Notes a lookup that found nothing (guessing identifiers is harvesting too).
    func noteMiss(unitCode: String, staff: String, credentialID: String)
}

extension LookupAccess {
    /// The data fields the answer may carry, or the refusal once its denial record is durable.
    package func checkedAdmission(
        unitCode: String, staff: String, itemCode: String, caseReference: String, typeCode: String,
        credentialID: String = "", signedInStaff: String? = nil, holder: String = ""
    ) async throws(RPCError) -> FieldDisclosure {
        switch admission(
            unitCode: unitCode, staff: staff, itemCode: itemCode, caseReference: caseReference, typeCode: typeCode,
            credentialID: credentialID, signedInStaff: signedInStaff, holder: holder)
        {
        case .allowed(let disclosure):
            return disclosure
        case .refused(let refusal):
            await recorded(refusal.ticket)
            throw refusal.error
        }
    }
}
