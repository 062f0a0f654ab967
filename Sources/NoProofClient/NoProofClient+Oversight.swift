import NoProofCodec
import NoProofProtocol

/// Typed calls of the oversight records (noproof.v1.Oversight): commitments, the voluntary-proof
/// ledger, mismatch cases, complaints, and a unit's figures. Calls that act name the staff member
/// with `staff` (the "staff" metadata entry).
extension NoProofClient {
    /// Calls a method of `OversightMethods`.
    package func oversight<Request, Response>(
        _ method: UnaryMethod<Request, Response>, _ request: Request,
        as response: Response.Type = Response.self, staff: String? = nil
    ) async throws -> Response {
        var metadata: Metadata = [:]
        if let staff, !staff.isEmpty { metadata["staff"] = staff }
        return try await unary(method, request: request, metadata: metadata)
    }

    package func recordCommitment(_ request: RecordCommitmentRequest, staff: String?) async throws -> CommitmentResponse {
        try await oversight(OversightMethods.recordCommitment, request, as: CommitmentResponse.self, staff: staff)
    }

    package func checkCommitment(id: String, outcome: String, evidence: String, staff: String?) async throws -> CommitmentResponse {
        try await oversight(
            OversightMethods.checkCommitment, CheckCommitmentRequest(commitmentID: id, outcome: outcome, evidence: evidence),
            as: CommitmentResponse.self, staff: staff)
    }

    package func commitment(id: String) async throws -> CommitmentResponse {
        try await oversight(OversightMethods.getCommitment, GetOversightRecordRequest(id: id), as: CommitmentResponse.self)
    }

    package func commitments(unitCode: String = "", filter: String = "", limit: UInt32 = 0) async throws -> [CommitmentRecord] {
        try await oversight(
            OversightMethods.listCommitments, ListCommitmentsRequest(unitCode: unitCode, filter: filter, limit: limit),
            as: ListCommitmentsResponse.self
        ).commitments
    }

    package func addLedgerEntry(_ request: AddLedgerEntryRequest, staff: String?) async throws -> LedgerEntryResponse {
        try await oversight(OversightMethods.addLedgerEntry, request, as: LedgerEntryResponse.self, staff: staff)
    }

    package func ledger(_ request: ListLedgerRequest) async throws -> [LedgerEntryRecord] {
        try await oversight(OversightMethods.listLedger, request, as: ListLedgerResponse.self).entries
    }

    package func openMismatch(_ request: OpenMismatchRequest, staff: String?) async throws -> MismatchResponse {
        try await oversight(OversightMethods.openMismatch, request, as: MismatchResponse.self, staff: staff)
    }

    package func mismatch(id: String) async throws -> MismatchResponse {
        try await oversight(OversightMethods.getMismatch, GetOversightRecordRequest(id: id), as: MismatchResponse.self)
    }

    package func mismatches(limit: UInt32 = 0) async throws -> [MismatchRecord] {
        try await oversight(OversightMethods.listMismatches, ListMismatchesRequest(limit: limit), as: ListMismatchesResponse.self).mismatches
    }

    /// The correction notices told to this unit (the task force office: one unit's or all).
    package func correctionNotices(unitCode: String = "", limit: UInt32 = 0) async throws -> [CorrectionNoticeRecord] {
        try await oversight(
            OversightMethods.listCorrectionNotices, ListCorrectionNoticesRequest(unitCode: unitCode, limit: limit),
            as: ListCorrectionNoticesResponse.self
        ).notices
    }

    /// Correction notices pushed as they are written (with `includeExisting`, the stored ones first).
    package func watchCorrectionNotices(
        unitCode: String = "", includeExisting: Bool = false,
        limit: UInt32 = 0
    ) -> AsyncThrowingStream<CorrectionNoticeRecord, Error> {
        serverStreaming(
            OversightMethods.watchCorrectionNotices,
            request: WatchCorrectionNoticesRequest(unitCode: unitCode, includeExisting: includeExisting, limit: limit),
            as: CorrectionNoticeRecord.self)
    }

    package func fileComplaint(_ request: FileComplaintRequest, staff: String?) async throws -> ComplaintResponse {
        try await oversight(OversightMethods.fileComplaint, request, as: ComplaintResponse.self, staff: staff)
    }

    package func complaint(id: String) async throws -> ComplaintResponse {
        try await oversight(OversightMethods.getComplaint, GetOversightRecordRequest(id: id), as: ComplaintResponse.self)
    }

    package func complaints(unitCode: String = "", status: String = "", limit: UInt32 = 0) async throws -> [ComplaintRecord] {
        try await oversight(
            OversightMethods.listComplaints, ListComplaintsRequest(unitCode: unitCode, status: status, limit: limit),
            as: ListComplaintsResponse.self
        ).complaints
    }

    package func oversightCounts(_ request: OversightCountsRequest) async throws -> OversightCountsResponse {
        try await oversight(OversightMethods.counts, request, as: OversightCountsResponse.self)
    }
}
