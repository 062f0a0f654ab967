/// One audited access: who asked what, why, and what they got (Art. 16, 20 supervision).
package struct AuditRecord: Hashable, Sendable {
    /// Assigned by the log when the record is committed.
    package var sequence: Int64 = 0
    package var atMillis: Int64
    package var unitCode: String
    package var credentialID: String
    package var staff: String
    /// The RPC or event, e.g. `.lookup` (stored and chained as its raw value).
    package var action: AuditAction
    package var itemCode: String
    package var caseReference: String
    /// The holder asked about (full ID: the audit store is access-controlled; logs mask it).
    package var holderID: String
    package var typeCode: String
    package var licenceID: String
    /// What it came to, e.g. `.found`, `.notFound`, `.denied` (stored and chained as its raw value).
    package var result: AuditResult
    package var proofSerial: String
    /// The other unit an event concerns (e.g. the issuing unit of a verification request the
    /// record's unit filed), so the supervision tallies count it for that unit too. Stored and
    /// chained (since schema v6; an optional last field of the chain encoding), so the tallies can
    /// be recomputed from chained records (see docs/SUPERVISION.md, docs/AUDIT.md).
    package var counterpartUnit: String = ""

    package init(
        atMillis: Int64, unitCode: String, credentialID: String, staff: String, action: AuditAction,
        itemCode: String, caseReference: String, holderID: String, typeCode: String,
        licenceID: String = "", result: AuditResult, proofSerial: String = "", counterpartUnit: String = ""
    ) {
        self.atMillis = atMillis
        self.unitCode = unitCode
        self.credentialID = credentialID
        self.staff = staff
        self.action = action
        self.itemCode = itemCode
        self.caseReference = caseReference
        self.holderID = holderID
        self.typeCode = typeCode
        self.licenceID = licenceID
        self.result = result
        self.proofSerial = proofSerial
        self.counterpartUnit = counterpartUnit
    }
}
