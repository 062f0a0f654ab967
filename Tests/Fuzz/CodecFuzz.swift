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
    ("AddLedgerEntryRequest", { roundTrip(APIAddLedgerEntryRequest.self, $0) }),
    ("AmendLicenceRequest", { roundTrip(APIAmendLicenceRequest.self, $0) }),
    ("AnswerComplaintRequest", { roundTrip(APIAnswerComplaintRequest.self, $0) }),
    ("AnswerVerificationRequest", { roundTrip(APIAnswerVerificationRequest.self, $0) }),
    ("AppealMismatchRequest", { roundTrip(APIAppealMismatchRequest.self, $0) }),
    ("ApproveListRequest", { roundTrip(APIApproveListRequest.self, $0) }),
    ("AuthenticateRequest", { roundTrip(AuthenticateRequest.self, $0) }),
    ("AuthenticateResponse", { roundTrip(AuthenticateResponse.self, $0) }),
    ("BreachCount", { roundTrip(APIBreachCount.self, $0) }),
    ("CacheStats", { roundTrip(APICacheStats.self, $0) }),
    ("CallHeader", { roundTrip(CallHeader.self, $0) }),
    ("CallStatus", { roundTrip(CallStatus.self, $0) }),
    ("ChangeLicenceStatusRequest", { roundTrip(APIChangeLicenceStatusRequest.self, $0) }),
    ("CheckCommitmentRequest", { roundTrip(APICheckCommitmentRequest.self, $0) }),
    ("CheckLicenceRequest", { roundTrip(APICheckLicenceRequest.self, $0) }),
    ("CheckLicenceResponse", { roundTrip(APICheckLicenceResponse.self, $0) }),
    ("CloseComplaintRequest", { roundTrip(APICloseComplaintRequest.self, $0) }),
    ("CommitmentRecord", { roundTrip(APICommitmentRecord.self, $0) }),
    ("CommitmentResponse", { roundTrip(APICommitmentResponse.self, $0) }),
    ("ComplaintRecord", { roundTrip(APIComplaintRecord.self, $0) }),
    ("ComplaintResponse", { roundTrip(APIComplaintResponse.self, $0) }),
    ("CreateDraftRequest", { roundTrip(APICreateDraftRequest.self, $0) }),
    ("CreateUnitRequest", { roundTrip(APICreateUnitRequest.self, $0) }),
    ("CredentialInfo", { roundTrip(APICredentialInfo.self, $0) }),
    ("CredentialResponse", { roundTrip(APICredentialResponse.self, $0) }),
    ("DeclaredChange", { roundTrip(APIDeclaredChange.self, $0) }),
    ("DenialEntry", { roundTrip(APIDenialEntry.self, $0) }),
    ("FieldCheck", { roundTrip(APIFieldCheck.self, $0) }),
    ("FileComplaintRequest", { roundTrip(APIFileComplaintRequest.self, $0) }),
    ("FileVerificationRequest", { roundTrip(APIFileVerificationRequest.self, $0) }),
    ("GetItemListRequest", { roundTrip(APIGetItemListRequest.self, $0) }),
    ("GetItemListResponse", { roundTrip(APIGetItemListResponse.self, $0) }),
    ("GetLicenceRequest", { roundTrip(APIGetLicenceRequest.self, $0) }),
    ("GetLicenceResponse", { roundTrip(APIGetLicenceResponse.self, $0) }),
    ("GetOversightRecordRequest", { roundTrip(APIGetOversightRecordRequest.self, $0) }),
    ("GetSealKeysRequest", { roundTrip(APIGetSealKeysRequest.self, $0) }),
    ("GetSealKeysResponse", { roundTrip(APIGetSealKeysResponse.self, $0) }),
    ("GetStatsRequest", { roundTrip(APIGetStatsRequest.self, $0) }),
    ("GetStatsResponse", { roundTrip(APIGetStatsResponse.self, $0) }),
    ("GetUnitRequest", { roundTrip(APIGetUnitRequest.self, $0) }),
    ("GetUnitResponse", { roundTrip(APIGetUnitResponse.self, $0) }),
    ("GetVerificationRequest", { roundTrip(APIGetVerificationRequest.self, $0) }),
    ("GoAway", { roundTrip(GoAway.self, $0) }),
    ("HealthCheckRequest", { roundTrip(HealthCheckRequest.self, $0) }),
    ("HealthCheckResponse", { roundTrip(HealthCheckResponse.self, $0) }),
    ("ImportLicencesRequest", { roundTrip(APIImportLicencesRequest.self, $0) }),
    ("ImportLicencesResponse", { roundTrip(APIImportLicencesResponse.self, $0) }),
    ("ImportRejection", { roundTrip(APIImportRejection.self, $0) }),
    ("IssueCredentialRequest", { roundTrip(APIIssueCredentialRequest.self, $0) }),
    ("IssueCredentialResponse", { roundTrip(APIIssueCredentialResponse.self, $0) }),
    ("IssueLicenceRequest", { roundTrip(APIIssueLicenceRequest.self, $0) }),
    ("ItemList", { roundTrip(APIItemList.self, $0) }),
    ("ItemListResponse", { roundTrip(APIItemListResponse.self, $0) }),
    ("ItemProof", { roundTrip(APIItemProof.self, $0) }),
    ("LedgerEntryRecord", { roundTrip(APILedgerEntryRecord.self, $0) }),
    ("LedgerEntryResponse", { roundTrip(APILedgerEntryResponse.self, $0) }),
    ("Licence", { roundTrip(APILicence.self, $0) }),
    ("LicenceField", { roundTrip(APILicenceField.self, $0) }),
    ("LicenceFieldDescriptor", { roundTrip(APILicenceFieldDescriptor.self, $0) }),
    ("LicenceResponse", { roundTrip(APILicenceResponse.self, $0) }),
    ("LicenceType", { roundTrip(APILicenceType.self, $0) }),
    ("ListCommitmentsRequest", { roundTrip(APIListCommitmentsRequest.self, $0) }),
    ("ListCommitmentsResponse", { roundTrip(APIListCommitmentsResponse.self, $0) }),
    ("ListComplaintsRequest", { roundTrip(APIListComplaintsRequest.self, $0) }),
    ("ListComplaintsResponse", { roundTrip(APIListComplaintsResponse.self, $0) }),
    ("ListCredentialsRequest", { roundTrip(APIListCredentialsRequest.self, $0) }),
    ("ListCredentialsResponse", { roundTrip(APIListCredentialsResponse.self, $0) }),
    ("ListDenialsRequest", { roundTrip(APIListDenialsRequest.self, $0) }),
    ("ListDenialsResponse", { roundTrip(APIListDenialsResponse.self, $0) }),
    ("ListHistoryEntry", { roundTrip(APIListHistoryEntry.self, $0) }),
    ("ListItem", { roundTrip(APIListItem.self, $0) }),
    ("ListLedgerRequest", { roundTrip(APIListLedgerRequest.self, $0) }),
    ("ListLedgerResponse", { roundTrip(APIListLedgerResponse.self, $0) }),
    ("ListLicenceTypesRequest", { roundTrip(APIListLicenceTypesRequest.self, $0) }),
    ("ListLicenceTypesResponse", { roundTrip(APIListLicenceTypesResponse.self, $0) }),
    ("ListMethodsRequest", { roundTrip(ListMethodsRequest.self, $0) }),
    ("ListMethodsResponse", { roundTrip(ListMethodsResponse.self, $0) }),
    ("ListMismatchesRequest", { roundTrip(APIListMismatchesRequest.self, $0) }),
    ("ListMismatchesResponse", { roundTrip(APIListMismatchesResponse.self, $0) }),
    ("ListStaffRequest", { roundTrip(APIListStaffRequest.self, $0) }),
    ("ListStaffResponse", { roundTrip(APIListStaffResponse.self, $0) }),
    ("ListUnitsRequest", { roundTrip(APIListUnitsRequest.self, $0) }),
    ("ListUnitsResponse", { roundTrip(APIListUnitsResponse.self, $0) }),
    ("ListVerificationsRequest", { roundTrip(APIListVerificationsRequest.self, $0) }),
    ("ListVerificationsResponse", { roundTrip(APIListVerificationsResponse.self, $0) }),
    ("ListVersionRequest", { roundTrip(APIListVersionRequest.self, $0) }),
    ("LoadItemListsRequest", { roundTrip(APILoadItemListsRequest.self, $0) }),
    ("LoadItemListsResponse", { roundTrip(APILoadItemListsResponse.self, $0) }),
    ("LoadProblem", { roundTrip(APILoadProblem.self, $0) }),
    ("LoadedList", { roundTrip(APILoadedList.self, $0) }),
    ("LookupRequest", { roundTrip(APILookupRequest.self, $0) }),
    ("LookupResponse", { roundTrip(APILookupResponse.self, $0) }),
    ("Metadata.Entry", { roundTrip(Metadata.Entry.self, $0) }),
    ("MethodInfo", { roundTrip(MethodInfo.self, $0) }),
    ("MismatchFact", { roundTrip(APIMismatchFact.self, $0) }),
    ("MismatchRecord", { roundTrip(APIMismatchRecord.self, $0) }),
    ("MismatchResponse", { roundTrip(APIMismatchResponse.self, $0) }),
    ("MismatchSupplementRequest", { roundTrip(APIMismatchSupplementRequest.self, $0) }),
    ("OpenMismatchRequest", { roundTrip(APIOpenMismatchRequest.self, $0) }),
    ("OversightCountsRequest", { roundTrip(APIOversightCountsRequest.self, $0) }),
    ("OversightCountsResponse", { roundTrip(APIOversightCountsResponse.self, $0) }),
    ("ProofBody", { roundTrip(APIProofBody.self, $0) }),
    ("Purpose", { roundTrip(APIPurpose.self, $0) }),
    ("RecordCommitmentRequest", { roundTrip(APIRecordCommitmentRequest.self, $0) }),
    ("RefileVerificationRequest", { roundTrip(APIRefileVerificationRequest.self, $0) }),
    ("RejectListRequest", { roundTrip(APIRejectListRequest.self, $0) }),
    ("ReportFigure", { roundTrip(APIReportFigure.self, $0) }),
    ("ReportFlag", { roundTrip(APIReportFlag.self, $0) }),
    ("ReturnVerificationRequest", { roundTrip(APIReturnVerificationRequest.self, $0) }),
    ("ReverifyMismatchRequest", { roundTrip(APIReverifyMismatchRequest.self, $0) }),
    ("RevokeCredentialRequest", { roundTrip(APIRevokeCredentialRequest.self, $0) }),
    ("RouteComplaintRequest", { roundTrip(APIRouteComplaintRequest.self, $0) }),
    ("SaveDraftRequest", { roundTrip(APISaveDraftRequest.self, $0) }),
    ("SealKey", { roundTrip(APISealKey.self, $0) }),
    ("SealedProof", { roundTrip(APISealedProof.self, $0) }),
    ("ServerSettings", { roundTrip(ServerSettings.self, $0) }),
    ("SetStaffRequest", { roundTrip(APISetStaffRequest.self, $0) }),
    ("StaffEntry", { roundTrip(APIStaffEntry.self, $0) }),
    ("SupervisionReportRequest", { roundTrip(APISupervisionReportRequest.self, $0) }),
    ("SupervisionReportResponse", { roundTrip(APISupervisionReportResponse.self, $0) }),
    ("TakeVerificationRequest", { roundTrip(APITakeVerificationRequest.self, $0) }),
    ("UnitInfo", { roundTrip(APIUnitInfo.self, $0) }),
    ("UnitReport", { roundTrip(APIUnitReport.self, $0) }),
    ("UpdateUnitRequest", { roundTrip(APIUpdateUnitRequest.self, $0) }),
    ("VerificationEvent", { roundTrip(APIVerificationEvent.self, $0) }),
    ("VerificationRecord", { roundTrip(APIVerificationRecord.self, $0) }),
    ("VerificationResponse", { roundTrip(APIVerificationResponse.self, $0) }),
    ("WatchVerificationQueueRequest", { roundTrip(APIWatchVerificationQueueRequest.self, $0) }),
    ("WatchVerificationRequest", { roundTrip(APIWatchVerificationRequest.self, $0) }),
    ("WhoLookedEntry", { roundTrip(APIWhoLookedEntry.self, $0) }),
    ("WhoLookedRequest", { roundTrip(APIWhoLookedRequest.self, $0) }),
    ("WhoLookedResponse", { roundTrip(APIWhoLookedResponse.self, $0) }),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let entry = messageTypes[Int(data[0]) % messageTypes.count]
    _ = entry.1(UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    return 0
}
