// libFuzzer target for the codec layer: protobuf-c unpacking, NoProof's string validator
// (noproof_validate_strings) and the Swift message mapping in NoProofCodec.
//
// Input: byte 0 picks the message type (modulo the table below), the rest is the payload.
// Property checked for every input that decodes: encode(m) decodes again, to a value equal to m,
// and encoding is stable (encode(decode(encode(m))) == encode(m)). A mismatch traps.
//
// Built by scripts/fuzz.sh together with Sources/NoProofCodec as one module (no import needed).

/// Decodes `payload` as `M`; on success checks the round trip. Returns whether it decoded.
@inline(never)
func roundTrip<M: ProtoMessage & Equatable>(_ type: M.Type, _ payload: UnsafeRawBufferPointer) -> Bool {
    let first: M
    do { first = try ProtoCodec.decode(M.self, from: payload) } catch { return false }
    let encoded = ProtoCodec.encode(first)
    let second: M
    do {
        second = try ProtoCodec.decode(M.self, from: encoded)
    } catch {
        fatalError("round trip: \(M.protoName) decoded, but its re-encoding did not: \(error)")
    }
    guard second == first else {
        fatalError("round trip: \(M.protoName) re-decoded to a different value\n first: \(first)\nsecond: \(second)")
    }
    let reencoded = ProtoCodec.encode(second)
    guard reencoded == encoded else {
        fatalError("round trip: \(M.protoName) encoding not stable: \(encoded) vs \(reencoded)")
    }
    return true
}

/// Every ProtoMessage type of NoProofCodec, sorted by name. Byte 0 of an input indexes this table:
/// after adding a type, re-run Tests/Fuzz/make-seeds.py (it looks the indices up by name).
let messageTypes: [(String, (UnsafeRawBufferPointer) -> Bool)] = [
    ("AddLedgerEntryRequest", { roundTrip(AddLedgerEntryRequest.self, $0) }),
    ("AmendLicenceRequest", { roundTrip(AmendLicenceRequest.self, $0) }),
    ("AnswerComplaintRequest", { roundTrip(AnswerComplaintRequest.self, $0) }),
    ("AnswerVerificationRequest", { roundTrip(AnswerVerificationRequest.self, $0) }),
    ("AppealMismatchRequest", { roundTrip(AppealMismatchRequest.self, $0) }),
    ("ApproveListRequest", { roundTrip(ApproveListRequest.self, $0) }),
    ("AuthenticateRequest", { roundTrip(AuthenticateRequest.self, $0) }),
    ("AuthenticateResponse", { roundTrip(AuthenticateResponse.self, $0) }),
    ("BreachCount", { roundTrip(BreachCount.self, $0) }),
    ("CacheStats", { roundTrip(CacheStats.self, $0) }),
    ("CallHeader", { roundTrip(CallHeader.self, $0) }),
    ("CallStatus", { roundTrip(CallStatus.self, $0) }),
    ("ChangeLicenceStatusRequest", { roundTrip(ChangeLicenceStatusRequest.self, $0) }),
    ("CheckCommitmentRequest", { roundTrip(CheckCommitmentRequest.self, $0) }),
    ("CheckLicenceRequest", { roundTrip(CheckLicenceRequest.self, $0) }),
    ("CheckLicenceResponse", { roundTrip(CheckLicenceResponse.self, $0) }),
    ("CloseComplaintRequest", { roundTrip(CloseComplaintRequest.self, $0) }),
    ("CommitmentRecord", { roundTrip(CommitmentRecord.self, $0) }),
    ("CommitmentResponse", { roundTrip(CommitmentResponse.self, $0) }),
    ("ComplaintRecord", { roundTrip(ComplaintRecord.self, $0) }),
    ("ComplaintResponse", { roundTrip(ComplaintResponse.self, $0) }),
    ("CreateDraftRequest", { roundTrip(CreateDraftRequest.self, $0) }),
    ("CreateUnitRequest", { roundTrip(CreateUnitRequest.self, $0) }),
    ("CredentialInfo", { roundTrip(CredentialInfo.self, $0) }),
    ("CredentialResponse", { roundTrip(CredentialResponse.self, $0) }),
    ("DeclaredChange", { roundTrip(DeclaredChange.self, $0) }),
    ("DenialEntry", { roundTrip(DenialEntry.self, $0) }),
    ("FieldCheck", { roundTrip(FieldCheck.self, $0) }),
    ("FileComplaintRequest", { roundTrip(FileComplaintRequest.self, $0) }),
    ("FileVerificationRequest", { roundTrip(FileVerificationRequest.self, $0) }),
    ("GetItemListRequest", { roundTrip(GetItemListRequest.self, $0) }),
    ("GetItemListResponse", { roundTrip(GetItemListResponse.self, $0) }),
    ("GetLicenceRequest", { roundTrip(GetLicenceRequest.self, $0) }),
    ("GetLicenceResponse", { roundTrip(GetLicenceResponse.self, $0) }),
    ("GetOversightRecordRequest", { roundTrip(GetOversightRecordRequest.self, $0) }),
    ("GetSealKeysRequest", { roundTrip(GetSealKeysRequest.self, $0) }),
    ("GetSealKeysResponse", { roundTrip(GetSealKeysResponse.self, $0) }),
    ("GetStatsRequest", { roundTrip(GetStatsRequest.self, $0) }),
    ("GetStatsResponse", { roundTrip(GetStatsResponse.self, $0) }),
    ("GetUnitRequest", { roundTrip(GetUnitRequest.self, $0) }),
    ("GetUnitResponse", { roundTrip(GetUnitResponse.self, $0) }),
    ("GetVerificationRequest", { roundTrip(GetVerificationRequest.self, $0) }),
    ("GoAway", { roundTrip(GoAway.self, $0) }),
    ("HealthCheckRequest", { roundTrip(HealthCheckRequest.self, $0) }),
    ("HealthCheckResponse", { roundTrip(HealthCheckResponse.self, $0) }),
    ("ImportLicencesRequest", { roundTrip(ImportLicencesRequest.self, $0) }),
    ("ImportLicencesResponse", { roundTrip(ImportLicencesResponse.self, $0) }),
    ("ImportRejection", { roundTrip(ImportRejection.self, $0) }),
    ("IssueCredentialRequest", { roundTrip(IssueCredentialRequest.self, $0) }),
    ("IssueCredentialResponse", { roundTrip(IssueCredentialResponse.self, $0) }),
    ("IssueLicenceRequest", { roundTrip(IssueLicenceRequest.self, $0) }),
    ("ItemList", { roundTrip(ItemList.self, $0) }),
    ("ItemListResponse", { roundTrip(ItemListResponse.self, $0) }),
    ("ItemProof", { roundTrip(ItemProof.self, $0) }),
    ("LedgerEntryRecord", { roundTrip(LedgerEntryRecord.self, $0) }),
    ("LedgerEntryResponse", { roundTrip(LedgerEntryResponse.self, $0) }),
    ("Licence", { roundTrip(Licence.self, $0) }),
    ("LicenceField", { roundTrip(LicenceField.self, $0) }),
    ("LicenceFieldDescriptor", { roundTrip(LicenceFieldDescriptor.self, $0) }),
    ("LicenceResponse", { roundTrip(LicenceResponse.self, $0) }),
    ("LicenceType", { roundTrip(LicenceType.self, $0) }),
    ("ListCommitmentsRequest", { roundTrip(ListCommitmentsRequest.self, $0) }),
    ("ListCommitmentsResponse", { roundTrip(ListCommitmentsResponse.self, $0) }),
    ("ListComplaintsRequest", { roundTrip(ListComplaintsRequest.self, $0) }),
    ("ListComplaintsResponse", { roundTrip(ListComplaintsResponse.self, $0) }),
    ("ListCredentialsRequest", { roundTrip(ListCredentialsRequest.self, $0) }),
    ("ListCredentialsResponse", { roundTrip(ListCredentialsResponse.self, $0) }),
    ("ListDenialsRequest", { roundTrip(ListDenialsRequest.self, $0) }),
    ("ListDenialsResponse", { roundTrip(ListDenialsResponse.self, $0) }),
    ("ListHistoryEntry", { roundTrip(ListHistoryEntry.self, $0) }),
    ("ListItem", { roundTrip(ListItem.self, $0) }),
    ("ListLedgerRequest", { roundTrip(ListLedgerRequest.self, $0) }),
    ("ListLedgerResponse", { roundTrip(ListLedgerResponse.self, $0) }),
    ("ListLicenceTypesRequest", { roundTrip(ListLicenceTypesRequest.self, $0) }),
    ("ListLicenceTypesResponse", { roundTrip(ListLicenceTypesResponse.self, $0) }),
    ("ListMethodsRequest", { roundTrip(ListMethodsRequest.self, $0) }),
    ("ListMethodsResponse", { roundTrip(ListMethodsResponse.self, $0) }),
    ("ListMismatchesRequest", { roundTrip(ListMismatchesRequest.self, $0) }),
    ("ListMismatchesResponse", { roundTrip(ListMismatchesResponse.self, $0) }),
    ("ListStaffRequest", { roundTrip(ListStaffRequest.self, $0) }),
    ("ListStaffResponse", { roundTrip(ListStaffResponse.self, $0) }),
    ("ListUnitsRequest", { roundTrip(ListUnitsRequest.self, $0) }),
    ("ListUnitsResponse", { roundTrip(ListUnitsResponse.self, $0) }),
    ("ListVerificationsRequest", { roundTrip(ListVerificationsRequest.self, $0) }),
    ("ListVerificationsResponse", { roundTrip(ListVerificationsResponse.self, $0) }),
    ("ListVersionRequest", { roundTrip(ListVersionRequest.self, $0) }),
    ("LoadItemListsRequest", { roundTrip(LoadItemListsRequest.self, $0) }),
    ("LoadItemListsResponse", { roundTrip(LoadItemListsResponse.self, $0) }),
    ("LoadProblem", { roundTrip(LoadProblem.self, $0) }),
    ("LoadedList", { roundTrip(LoadedList.self, $0) }),
    ("LookupRequest", { roundTrip(LookupRequest.self, $0) }),
    ("LookupResponse", { roundTrip(LookupResponse.self, $0) }),
    ("Metadata.Entry", { roundTrip(Metadata.Entry.self, $0) }),
    ("MethodInfo", { roundTrip(MethodInfo.self, $0) }),
    ("MismatchFact", { roundTrip(MismatchFact.self, $0) }),
    ("MismatchRecord", { roundTrip(MismatchRecord.self, $0) }),
    ("MismatchResponse", { roundTrip(MismatchResponse.self, $0) }),
    ("MismatchSupplementRequest", { roundTrip(MismatchSupplementRequest.self, $0) }),
    ("OpenMismatchRequest", { roundTrip(OpenMismatchRequest.self, $0) }),
    ("OversightCountsRequest", { roundTrip(OversightCountsRequest.self, $0) }),
    ("OversightCountsResponse", { roundTrip(OversightCountsResponse.self, $0) }),
    ("ProofBody", { roundTrip(ProofBody.self, $0) }),
    ("Purpose", { roundTrip(Purpose.self, $0) }),
    ("RecordCommitmentRequest", { roundTrip(RecordCommitmentRequest.self, $0) }),
    ("RefileVerificationRequest", { roundTrip(RefileVerificationRequest.self, $0) }),
    ("RejectListRequest", { roundTrip(RejectListRequest.self, $0) }),
    ("ReportFigure", { roundTrip(ReportFigure.self, $0) }),
    ("ReportFlag", { roundTrip(ReportFlag.self, $0) }),
    ("ReturnVerificationRequest", { roundTrip(ReturnVerificationRequest.self, $0) }),
    ("ReverifyMismatchRequest", { roundTrip(ReverifyMismatchRequest.self, $0) }),
    ("RevokeCredentialRequest", { roundTrip(RevokeCredentialRequest.self, $0) }),
    ("RouteComplaintRequest", { roundTrip(RouteComplaintRequest.self, $0) }),
    ("SaveDraftRequest", { roundTrip(SaveDraftRequest.self, $0) }),
    ("SealKey", { roundTrip(SealKey.self, $0) }),
    ("SealedProof", { roundTrip(SealedProof.self, $0) }),
    ("ServerSettings", { roundTrip(ServerSettings.self, $0) }),
    ("SetStaffRequest", { roundTrip(SetStaffRequest.self, $0) }),
    ("StaffEntry", { roundTrip(StaffEntry.self, $0) }),
    ("SupervisionReportRequest", { roundTrip(SupervisionReportRequest.self, $0) }),
    ("SupervisionReportResponse", { roundTrip(SupervisionReportResponse.self, $0) }),
    ("TakeVerificationRequest", { roundTrip(TakeVerificationRequest.self, $0) }),
    ("UnitInfo", { roundTrip(UnitInfo.self, $0) }),
    ("UnitReport", { roundTrip(UnitReport.self, $0) }),
    ("UpdateUnitRequest", { roundTrip(UpdateUnitRequest.self, $0) }),
    ("VerificationEvent", { roundTrip(VerificationEvent.self, $0) }),
    ("VerificationRecord", { roundTrip(VerificationRecord.self, $0) }),
    ("VerificationResponse", { roundTrip(VerificationResponse.self, $0) }),
    ("WatchVerificationQueueRequest", { roundTrip(WatchVerificationQueueRequest.self, $0) }),
    ("WatchVerificationRequest", { roundTrip(WatchVerificationRequest.self, $0) }),
    ("WhoLookedEntry", { roundTrip(WhoLookedEntry.self, $0) }),
    ("WhoLookedRequest", { roundTrip(WhoLookedRequest.self, $0) }),
    ("WhoLookedResponse", { roundTrip(WhoLookedResponse.self, $0) }),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let entry = messageTypes[Int(data[0]) % messageTypes.count]
    _ = entry.1(UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    return 0
}
