import NoProofCodec
import NoProofProtocol

// The documented maximum length of every string field of every request that can reach storage
// (the audit trail, the denial log, a store) — the table in docs/PROTOCOL.md, "Limits". The
// registry checks them after decoding and before the method runs (`RPCRegistry.admit`), so an
// oversized value is refused with INVALID_ARGUMENT naming the field and is never written anywhere.
// Requests without strings (listings by flag or limit) need no conformance.

private typealias L = FieldLimits

private func code(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.code) }
private func name(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.name) }
private func reason(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.reason) }
private func text(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.text) }
private func licenceID(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.licenceID) }
private func entries(_ count: Int, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(count: count, field()) }

private func dotted(_ prefix: String, _ field: String) -> String { prefix.isEmpty ? field : "\(prefix).\(field)" }

extension Purpose {
    func checkLengths(_ prefix: String = "purpose") throws(RPCError) {
        try code(itemCode, dotted(prefix, "item_code"))
        try code(caseReference, dotted(prefix, "case_reference"))
    }
}

extension LicenceField {
    func checkLengths(_ prefix: String) throws(RPCError) {
        try code(key, "\(prefix).key")
        try reason(value, "\(prefix).value")
    }
}

extension [LicenceField] {
    func checkLengths(_ field: String) throws(RPCError) {
        try entries(count, field)
        for (i, entry) in enumerated() { try entry.checkLengths("\(field)[\(i)]") }
    }
}

extension NoProofCodec.Licence {
    /// Also used row by row by ImportLicences, where a row over a limit is a rejection of that row.
    func checkLengths(_ prefix: String = "licence") throws(RPCError) {
        try licenceID(licenceID, dotted(prefix, "licence_id"))
        try code(typeCode, dotted(prefix, "type_code"))
        try code(holderID, dotted(prefix, "holder_id"))
        try name(holderName, dotted(prefix, "holder_name"))
        try code(issuerCode, dotted(prefix, "issuer_code"))
        try name(issuerName, dotted(prefix, "issuer_name"))
        try code(issueDate, dotted(prefix, "issue_date"))
        try code(validFrom, dotted(prefix, "valid_from"))
        try code(validTo, dotted(prefix, "valid_to"))
        try code(status, dotted(prefix, "status"))
        try fields.checkLengths(dotted(prefix, "fields"))
    }
}

// MARK: Licences

extension LookupRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(holderID, "holder_id")
        try code(typeCode, "type_code")
        try purpose?.checkLengths()
    }
}

extension GetLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try licenceID(licenceID, "licence_id")
        try purpose?.checkLengths()
    }
}

extension CheckLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(holderID, "holder_id")
        try code(typeCode, "type_code")
        try declared.checkLengths("declared")
        try purpose?.checkLengths()
    }
}

extension IssueLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try licence?.checkLengths() }
}

extension AmendLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try licenceID(licenceID, "licence_id")
        try fields.checkLengths("fields")
        try name(holderName, "holder_name")
        try code(validTo, "valid_to")
        try reason(reason, "reason")
    }
}

extension ChangeLicenceStatusRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try licenceID(licenceID, "licence_id")
        try reason(reason, "reason")
    }
}

// ImportLicencesRequest: the call's rows and bytes are limited before decoding
// (`LicenceService.admitImport`), and each row's fields row by row (a rejection of that row).

// MARK: Units

extension UnitInfo {
    func checkLengths(_ prefix: String) throws(RPCError) {
        try code(self.code, "\(prefix).code")
        try name(self.name, "\(prefix).name")
        try code(kind, "\(prefix).kind")
        try code(sector, "\(prefix).sector")
        try name(district, "\(prefix).district")
    }
}

extension [StaffEntry] {
    func checkLengths(_ field: String) throws(RPCError) {
        try entries(count, field)
        for (i, member) in enumerated() {
            try code(member.staffID, "\(field)[\(i)].staff_id")
            try name(member.name, "\(field)[\(i)].name")
            try code(member.role, "\(field)[\(i)].role")
        }
    }
}

extension GetUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension ListStaffRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension SetStaffRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try staff.checkLengths("staff")
    }
}

extension CreateUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try unit?.checkLengths("unit")
        try staff.checkLengths("staff")
    }
}

extension UpdateUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try unit?.checkLengths("unit") }
}

extension IssueCredentialRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try name(label, "label")
        try code(kind, "kind")
        // 64 hex digits, with ':' between pairs at most 95.
        try L.check(certificateSha256, "certificate_sha256", max: 128)
    }
}

extension RevokeCredentialRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(credentialID, "credential_id")
        try reason(reason, "reason")
    }
}

extension ListCredentialsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension GetItemListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension CreateDraftRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension SaveDraftRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try entries(items.count, "items")
        for (i, item) in items.enumerated() {
            try code(item.code, "items[\(i)].code")
            try name(item.name, "items[\(i)].name")
            try code(item.kind, "items[\(i)].kind")
            try entries(item.proofs.count, "items[\(i)].proofs")
            for (j, proof) in item.proofs.enumerated() {
                let at = "items[\(i)].proofs[\(j)]"
                try code(proof.proof, "\(at).proof")
                try name(proof.name, "\(at).name")
                try code(proof.method, "\(at).method")
                try code(proof.issuingUnit, "\(at).issuing_unit")
                try code(proof.exclusion, "\(at).exclusion")
                try code(proof.exclusionCategory, "\(at).exclusion_category")
                try reason(proof.exclusionNote, "\(at).exclusion_note")
            }
        }
        try entries(changes.count, "changes")
        for (i, change) in changes.enumerated() {
            try code(change.kind, "changes[\(i)].kind")
            try code(change.item, "changes[\(i)].item")
            try code(change.proof, "changes[\(i)].proof")
            try reason(change.cause, "changes[\(i)].cause")
            try code(change.causeDate, "changes[\(i)].cause_date")
            try code(change.reportedOn, "changes[\(i)].reported_on")
            try code(change.deadline, "changes[\(i)].deadline")
        }
    }
}

extension ListVersionRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension ApproveListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension RejectListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try reason(reason, "reason")
    }
}

extension LoadItemListsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(format, "format")
        try L.check(text, "text", max: L.bulkText)
    }
}

extension ListDenialsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

// MARK: Verification

extension FileVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(requestKey, "request_key")
        try code(issuingUnitCode, "issuing_unit_code")
        try code(proofType, "proof_type")
        try code(holderID, "holder_id")
        try name(holderName, "holder_name")
        try declared.checkLengths("declared")
        try purpose?.checkLengths()
    }
}

extension GetVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(requestID, "request_id") }
}

extension WatchVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(requestID, "request_id") }
}

extension TakeVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(requestID, "request_id") }
}

extension AnswerVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(requestID, "request_id")
        try code(outcome, "outcome")
        try licence?.checkLengths()
        try text(note, "note")
    }
}

extension ReturnVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(requestID, "request_id")
        try reason(reason, "reason")
        try code(suggestedUnitCode, "suggested_unit_code")
    }
}

extension RefileVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(requestID, "request_id")
        try code(issuingUnitCode, "issuing_unit_code")
    }
}

// MARK: Oversight

extension RecordCommitmentRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(holderID, "holder_id")
        try name(holderName, "holder_name")
        try code(itemCode, "item_code")
        try code(caseReference, "case_reference")
        try code(proofType, "proof_type")
        try text(text, "text")
        try code(channel, "channel")
    }
}

extension CheckCommitmentRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(commitmentID, "commitment_id")
        try code(outcome, "outcome")
        try text(evidence, "evidence")
    }
}

extension GetOversightRecordRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(id, "id") }
}

extension ListCommitmentsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try code(filter, "filter")
    }
}

extension AddLedgerEntryRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(holderID, "holder_id")
        try name(holderName, "holder_name")
        try code(itemCode, "item_code")
        try code(caseReference, "case_reference")
        try code(proofType, "proof_type")
        try name(proofName, "proof_name")
        try text(note, "note")
    }
}

extension ListLedgerRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

extension OpenMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(issuingUnitCode, "issuing_unit_code")
        try code(holderID, "holder_id")
        try code(itemCode, "item_code")
        try code(caseReference, "case_reference")
        try code(proofType, "proof_type")
        try code(proofSerial, "proof_serial")
        try code(verificationRequestID, "verification_request_id")
        try entries(facts.count, "facts")
        for (i, fact) in facts.enumerated() {
            try code(fact.key, "facts[\(i)].key")
            try reason(fact.declared, "facts[\(i)].declared")
            try reason(fact.fetched, "facts[\(i)].fetched")
            try reason(fact.corrected, "facts[\(i)].corrected")
        }
    }
}

extension MismatchSupplementRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(mismatchID, "mismatch_id")
        try text(text, "text")
    }
}

extension ReverifyMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(mismatchID, "mismatch_id")
        try code(finding, "finding")
        try text(note, "note")
        try corrected.checkLengths("corrected")
    }
}

extension AppealMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(mismatchID, "mismatch_id")
        try reason(reference, "reference")
        try code(outcome, "outcome")
        try text(note, "note")
    }
}

extension FileComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(channel, "channel")
        try code(channelReference, "channel_reference")
        try code(unitCode, "unit_code")
        try code(breachType, "breach_type")
        try text(summary, "summary")
        try name(complainant, "complainant")
        try entries(linkedRecords.count, "linked_records")
        for (i, record) in linkedRecords.enumerated() { try code(record, "linked_records[\(i)]") }
    }
}

extension RouteComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(complaintID, "complaint_id")
        try code(unitCode, "unit_code")
    }
}

extension AnswerComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(complaintID, "complaint_id")
        try text(answer, "answer")
    }
}

extension CloseComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(complaintID, "complaint_id")
        try text(note, "note")
    }
}

extension ListComplaintsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(unitCode, "unit_code")
        try code(status, "status")
    }
}

extension OversightCountsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try code(unitCode, "unit_code") }
}

// MARK: Supervision

extension SupervisionReportRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(fromDate, "from_date")
        try code(toDate, "to_date")
        try code(unitCode, "unit_code")
    }
}

extension WhoLookedRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try code(holderID, "holder_id")
        try L.check(pageToken, "page_token", max: L.pageToken)
    }
}
