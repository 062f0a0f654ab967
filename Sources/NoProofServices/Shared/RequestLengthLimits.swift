import NoProofCodec
package import NoProofMessages
package import NoProofProtocol

// The documented maximum length of every string field of every request that can reach storage
// (the audit trail, the denial log, a store) — the table in docs/PROTOCOL.md, "Limits". The
// registry checks them after decoding and before the method runs (`RPCRegistry.admit`), so an
// oversized value is refused with INVALID_ARGUMENT naming the field and is never written anywhere.
// Requests without strings (listings by flag or limit) need no conformance.

private typealias L = FieldLimits

private func limitCode(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.code) }
private func limitName(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.name) }
private func limitReason(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.reason) }
private func limitText(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.text) }
private func limitLicenceID(_ value: String, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(value, field(), max: L.licenceID) }
private func limitEntries(_ count: Int, _ field: @autoclosure () -> String) throws(RPCError) { try L.check(count: count, field()) }

private func dotted(_ prefix: String, _ field: String) -> String { prefix.isEmpty ? field : "\(prefix).\(field)" }

extension APIPurpose {
    func checkLengths(_ prefix: String = "purpose") throws(RPCError) {
        try limitCode(itemCode, dotted(prefix, "item_code"))
        try limitCode(caseReference, dotted(prefix, "case_reference"))
    }
}

extension APILicenceField {
    func checkLengths(_ prefix: String) throws(RPCError) {
        try limitCode(key, "\(prefix).key")
        try limitReason(value, "\(prefix).value")
    }
}

extension [APILicenceField] {
    func checkLengths(_ field: String) throws(RPCError) {
        try limitEntries(count, field)
        for (i, entry) in enumerated() { try entry.checkLengths("\(field)[\(i)]") }
    }
}

extension APILicence {
    /// Also used row by row by ImportLicences, where a row over a limit is a rejection of that row.
    func checkLengths(_ prefix: String = "licence") throws(RPCError) {
        try limitLicenceID(licenceID, dotted(prefix, "licence_id"))
        try limitCode(typeCode, dotted(prefix, "type_code"))
        try limitCode(holderID, dotted(prefix, "holder_id"))
        try limitName(holderName, dotted(prefix, "holder_name"))
        try limitCode(issuerCode, dotted(prefix, "issuer_code"))
        try limitName(issuerName, dotted(prefix, "issuer_name"))
        try limitCode(issueDate, dotted(prefix, "issue_date"))
        try limitCode(validFrom, dotted(prefix, "valid_from"))
        try limitCode(validTo, dotted(prefix, "valid_to"))
        try limitCode(status, dotted(prefix, "status"))
        try fields.checkLengths(dotted(prefix, "fields"))
    }
}

// MARK: Licences

extension APILookupRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(holderID, "holder_id")
        try limitCode(typeCode, "type_code")
        try purpose?.checkLengths()
    }
}

extension APIProofStatusRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(proof?.keyID ?? "", "proof.key_id")
    }
}

extension APIGetLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitLicenceID(licenceID, "licence_id")
        try purpose?.checkLengths()
    }
}

extension APICheckLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(holderID, "holder_id")
        try limitCode(typeCode, "type_code")
        try declared.checkLengths("declared")
        try purpose?.checkLengths()
    }
}

extension APIIssueLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try licence?.checkLengths() }
}

extension APIAmendLicenceRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitLicenceID(licenceID, "licence_id")
        try fields.checkLengths("fields")
        try limitName(holderName, "holder_name")
        try limitCode(validTo, "valid_to")
        try limitReason(reason, "reason")
    }
}

extension APIChangeLicenceStatusRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitLicenceID(licenceID, "licence_id")
        try limitReason(reason, "reason")
    }
}

// ImportLicencesRequest: the call's rows and bytes are limited before decoding
// (`LicenceService.admitImport`), and each row's fields row by row (a rejection of that row).

// MARK: Units

extension APIUnitInfo {
    func checkLengths(_ prefix: String) throws(RPCError) {
        try limitCode(code, "\(prefix).code")
        try limitName(name, "\(prefix).name")
        try limitCode(kind, "\(prefix).kind")
        try limitCode(sector, "\(prefix).sector")
        try limitName(district, "\(prefix).district")
    }
}

extension [APIStaffEntry] {
    func checkLengths(_ field: String) throws(RPCError) {
        try limitEntries(count, field)
        for (i, member) in enumerated() {
            try limitCode(member.staffID, "\(field)[\(i)].staff_id")
            try limitName(member.name, "\(field)[\(i)].name")
            try limitCode(member.role, "\(field)[\(i)].role")
        }
    }
}

extension APIGetUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APIListStaffRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APISetStaffRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try staff.checkLengths("staff")
    }
}

extension APICreateUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try unit?.checkLengths("unit")
        try staff.checkLengths("staff")
    }
}

extension APIUpdateUnitRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try unit?.checkLengths("unit") }
}

extension APIIssueCredentialRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try limitName(label, "label")
        try limitCode(kind, "kind")
        // 64 hex digits, with ':' between pairs at most 95.
        try L.check(certificateSha256, "certificate_sha256", max: 128)
    }
}

extension APIRevokeCredentialRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(credentialID, "credential_id")
        try limitReason(reason, "reason")
    }
}

extension APIListCredentialsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APIGetItemListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APICreateDraftRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APISaveDraftRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try limitEntries(items.count, "items")
        for (i, item) in items.enumerated() {
            try limitCode(item.code, "items[\(i)].code")
            try limitName(item.name, "items[\(i)].name")
            try limitCode(item.kind, "items[\(i)].kind")
            try limitEntries(item.proofs.count, "items[\(i)].proofs")
            for (j, proof) in item.proofs.enumerated() {
                let at = "items[\(i)].proofs[\(j)]"
                try limitCode(proof.proof, "\(at).proof")
                try limitName(proof.name, "\(at).name")
                try limitCode(proof.method, "\(at).method")
                try limitCode(proof.issuingUnit, "\(at).issuing_unit")
                try limitCode(proof.exclusion, "\(at).exclusion")
                try limitCode(proof.exclusionCategory, "\(at).exclusion_category")
                try limitReason(proof.exclusionNote, "\(at).exclusion_note")
            }
        }
        try limitEntries(changes.count, "changes")
        for (i, change) in changes.enumerated() {
            try limitCode(change.kind, "changes[\(i)].kind")
            try limitCode(change.item, "changes[\(i)].item")
            try limitCode(change.proof, "changes[\(i)].proof")
            try limitReason(change.cause, "changes[\(i)].cause")
            try limitCode(change.causeDate, "changes[\(i)].cause_date")
            try limitCode(change.reportedOn, "changes[\(i)].reported_on")
            try limitCode(change.deadline, "changes[\(i)].deadline")
        }
    }
}

extension APIListVersionRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APIApproveListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APIRejectListRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try limitReason(reason, "reason")
    }
}

extension APILoadItemListsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(format, "format")
        try L.check(text, "text", max: L.bulkText)
    }
}

extension APIListDenialsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

// MARK: Verification

extension APIFileVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(requestKey, "request_key")
        try limitCode(issuingUnitCode, "issuing_unit_code")
        try limitCode(proofType, "proof_type")
        try limitCode(holderID, "holder_id")
        try limitName(holderName, "holder_name")
        try declared.checkLengths("declared")
        try purpose?.checkLengths()
    }
}

extension APIGetVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(requestID, "request_id") }
}

extension APIWatchVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(requestID, "request_id") }
}

extension APITakeVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(requestID, "request_id") }
}

extension APIAnswerVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(requestID, "request_id")
        try limitCode(outcome, "outcome")
        try licence?.checkLengths()
        try limitText(note, "note")
    }
}

extension APIReturnVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(requestID, "request_id")
        try limitReason(reason, "reason")
        try limitCode(suggestedUnitCode, "suggested_unit_code")
    }
}

extension APIRefileVerificationRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(requestID, "request_id")
        try limitCode(issuingUnitCode, "issuing_unit_code")
    }
}

// MARK: Oversight

extension APIRecordCommitmentRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(holderID, "holder_id")
        try limitName(holderName, "holder_name")
        try limitCode(itemCode, "item_code")
        try limitCode(caseReference, "case_reference")
        try limitCode(proofType, "proof_type")
        try limitText(text, "text")
        try limitCode(channel, "channel")
    }
}

extension APICheckCommitmentRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(commitmentID, "commitment_id")
        try limitCode(outcome, "outcome")
        try limitText(evidence, "evidence")
    }
}

extension APIGetOversightRecordRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(id, "id") }
}

extension APIListCommitmentsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try limitCode(filter, "filter")
    }
}

extension APIAddLedgerEntryRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(holderID, "holder_id")
        try limitName(holderName, "holder_name")
        try limitCode(itemCode, "item_code")
        try limitCode(caseReference, "case_reference")
        try limitCode(proofType, "proof_type")
        try limitName(proofName, "proof_name")
        try limitText(note, "note")
    }
}

extension APIListLedgerRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

extension APIOpenMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(issuingUnitCode, "issuing_unit_code")
        try limitCode(holderID, "holder_id")
        try limitCode(itemCode, "item_code")
        try limitCode(caseReference, "case_reference")
        try limitCode(proofType, "proof_type")
        try limitCode(proofSerial, "proof_serial")
        try limitCode(verificationRequestID, "verification_request_id")
        try limitEntries(facts.count, "facts")
        for (i, fact) in facts.enumerated() {
            try limitCode(fact.key, "facts[\(i)].key")
            try limitReason(fact.declared, "facts[\(i)].declared")
            try limitReason(fact.fetched, "facts[\(i)].fetched")
            try limitReason(fact.corrected, "facts[\(i)].corrected")
        }
    }
}

extension APIMismatchSupplementRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(mismatchID, "mismatch_id")
        try limitText(text, "text")
    }
}

extension APIReverifyMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(mismatchID, "mismatch_id")
        try limitCode(finding, "finding")
        try limitText(note, "note")
        try corrected.checkLengths("corrected")
    }
}

extension APIAppealMismatchRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(mismatchID, "mismatch_id")
        try limitReason(reference, "reference")
        try limitCode(outcome, "outcome")
        try limitText(note, "note")
    }
}

extension APIFileComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(channel, "channel")
        try limitCode(channelReference, "channel_reference")
        try limitCode(unitCode, "unit_code")
        try limitCode(breachType, "breach_type")
        try limitText(summary, "summary")
        try limitName(complainant, "complainant")
        try limitEntries(linkedRecords.count, "linked_records")
        for (i, record) in linkedRecords.enumerated() { try limitCode(record, "linked_records[\(i)]") }
    }
}

extension APIRouteComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(complaintID, "complaint_id")
        try limitCode(unitCode, "unit_code")
    }
}

extension APIAnswerComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(complaintID, "complaint_id")
        try limitText(answer, "answer")
    }
}

extension APICloseComplaintRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(complaintID, "complaint_id")
        try limitText(note, "note")
    }
}

extension APIListComplaintsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(unitCode, "unit_code")
        try limitCode(status, "status")
    }
}

extension APIOversightCountsRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) { try limitCode(unitCode, "unit_code") }
}

// MARK: Supervision

extension APISupervisionReportRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(fromDate, "from_date")
        try limitCode(toDate, "to_date")
        try limitCode(unitCode, "unit_code")
    }
}

extension APIWhoLookedRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try limitCode(holderID, "holder_id")
        try L.check(pageToken, "page_token", max: L.pageToken)
    }
}
