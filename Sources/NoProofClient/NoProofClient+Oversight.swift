import NoProofCodec
package import NoProofMessages
package import NoProofProtocol

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

    package func recordCommitment(_ request: APIRecordCommitmentRequest, staff: String?) async throws -> APICommitmentResponse {
        try await oversight(OversightMethods.recordCommitment, request, as: APICommitmentResponse.self, staff: staff)
    }

    package func checkCommitment(id: String, outcome: String, evidence: String, staff: String?) async throws -> APICommitmentResponse {
        try await oversight(
            OversightMethods.checkCommitment, APICheckCommitmentRequest(commitmentID: id, outcome: outcome, evidence: evidence),
            as: APICommitmentResponse.self, staff: staff)
    }

    package func commitment(id: String) async throws -> APICommitmentResponse {
        try await oversight(OversightMethods.getCommitment, APIGetOversightRecordRequest(id: id), as: APICommitmentResponse.self)
    }

    package func commitments(unitCode: String = "", filter: String = "", limit: UInt32 = 0) async throws -> [APICommitmentRecord] {
        try await oversight(
            OversightMethods.listCommitments, APIListCommitmentsRequest(unitCode: unitCode, filter: filter, limit: limit),
            as: APIListCommitmentsResponse.self
        ).commitments
    }

    package func addLedgerEntry(_ request: APIAddLedgerEntryRequest, staff: String?) async throws -> APILedgerEntryResponse {
        try await oversight(OversightMethods.addLedgerEntry, request, as: APILedgerEntryResponse.self, staff: staff)
    }

    package func ledger(_ request: APIListLedgerRequest) async throws -> [APILedgerEntryRecord] {
        try await oversight(OversightMethods.listLedger, request, as: APIListLedgerResponse.self).entries
    }

    package func openMismatch(_ request: APIOpenMismatchRequest, staff: String?) async throws -> APIMismatchResponse {
        try await oversight(OversightMethods.openMismatch, request, as: APIMismatchResponse.self, staff: staff)
    }

    package func mismatch(id: String) async throws -> APIMismatchResponse {
        try await oversight(OversightMethods.getMismatch, APIGetOversightRecordRequest(id: id), as: APIMismatchResponse.self)
    }

    package func mismatches(limit: UInt32 = 0) async throws -> [APIMismatchRecord] {
        try await oversight(OversightMethods.listMismatches, APIListMismatchesRequest(limit: limit), as: APIListMismatchesResponse.self).mismatches
    }

    /// The correction notices told to this unit (the task force office: one unit's or all).
    package func correctionNotices(unitCode: String = "", limit: UInt32 = 0) async throws -> [APICorrectionNoticeRecord] {
        try await oversight(
            OversightMethods.listCorrectionNotices, APIListCorrectionNoticesRequest(unitCode: unitCode, limit: limit),
            as: APIListCorrectionNoticesResponse.self
        ).notices
    }

    /// Correction notices pushed as they are written (with `includeExisting`, the stored ones first).
    package func watchCorrectionNotices(
        unitCode: String = "", includeExisting: Bool = false,
        limit: UInt32 = 0
    ) -> AsyncThrowingStream<APICorrectionNoticeRecord, Error> {
        serverStreaming(
            OversightMethods.watchCorrectionNotices,
            request: APIWatchCorrectionNoticesRequest(unitCode: unitCode, includeExisting: includeExisting, limit: limit),
            as: APICorrectionNoticeRecord.self)
    }

    package func fileComplaint(_ request: APIFileComplaintRequest, staff: String?) async throws -> APIComplaintResponse {
        try await oversight(OversightMethods.fileComplaint, request, as: APIComplaintResponse.self, staff: staff)
    }

    package func complaint(id: String) async throws -> APIComplaintResponse {
        try await oversight(OversightMethods.getComplaint, APIGetOversightRecordRequest(id: id), as: APIComplaintResponse.self)
    }

    package func complaints(unitCode: String = "", status: String = "", limit: UInt32 = 0) async throws -> [APIComplaintRecord] {
        try await oversight(
            OversightMethods.listComplaints, APIListComplaintsRequest(unitCode: unitCode, status: status, limit: limit),
            as: APIListComplaintsResponse.self
        ).complaints
    }

    package func oversightCounts(_ request: APIOversightCountsRequest) async throws -> APIOversightCountsResponse {
        try await oversight(OversightMethods.counts, request, as: APIOversightCountsResponse.self)
    }
}
