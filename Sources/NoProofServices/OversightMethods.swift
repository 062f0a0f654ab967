import NoProofProtocol

/// The oversight records' RPC methods and their stable ids (60-79): notification-commitments
/// (Art. 7, 12), the voluntary-proof ledger (Art. 2), mismatch cases and appeals (Art. 11),
/// complaints (Art. 18); correction notices (130, 131 their watch stream; issue 16).
package enum OversightMethods {
    static let service = "noproof.v1.Oversight"

    private static func unary(_ method: String, _ id: UInt32, _ request: String, _ response: String, role: String = "",
                              _ summary: String) -> MethodDescriptor {
        MethodDescriptor(service: service, method: method, id: id, requestType: "noproof.v1.\(request)",
                         responseType: "noproof.v1.\(response)", requiredRole: role, summary: summary)
    }

    package static let recordCommitment = unary(
        "RecordCommitment", 60, "RecordCommitmentRequest", "CommitmentResponse", role: "unit staff",
        "The unit records the applicant's commitment for a proof its list obtains by commitment; the check is due by the risk rule")
    package static let checkCommitment = unary(
        "CheckCommitment", 61, "CheckCommitmentRequest", "CommitmentResponse", role: "unit staff",
        "The unit records the post-check of a commitment: confirmed or found false (flagged for the task force)")
    package static let getCommitment = unary(
        "GetCommitment", 62, "GetOversightRecordRequest", "CommitmentResponse", "One commitment (its unit or the task force office)")
    package static let listCommitments = unary(
        "ListCommitments", 63, "ListCommitmentsRequest", "ListCommitmentsResponse",
        "Commitments: all, unchecked, overdue or found false (own unit; the task force office any or all)")
    package static let addLedgerEntry = unary(
        "AddLedgerEntry", 64, "AddLedgerEntryRequest", "LedgerEntryResponse", role: "unit staff",
        "The unit records a paper proof the applicant volunteered (台账), with what its list says of that proof")
    package static let listLedger = unary(
        "ListLedger", 65, "ListLedgerRequest", "ListLedgerResponse",
        "The voluntary-proof ledger for a period (own unit; the task force office any or all)")
    package static let openMismatch = unary(
        "OpenMismatch", 66, "OpenMismatchRequest", "MismatchResponse", role: "unit staff",
        "The unit opens a mismatch case: declared vs fetched values, linked to the lookup or verification request")
    package static let requestSupplement = unary(
        "RequestSupplement", 67, "MismatchSupplementRequest", "MismatchResponse", role: "unit staff",
        "The opening unit asks the applicant for supplementary material")
    package static let recordSupplement = unary(
        "RecordSupplement", 68, "MismatchSupplementRequest", "MismatchResponse", role: "unit staff",
        "The opening unit records the supplementary material")
    package static let reverify = unary(
        "Reverify", 69, "ReverifyMismatchRequest", "MismatchResponse", role: "issuing unit staff",
        "The issuing unit re-verifies; its finding prevails (Art. 11)")
    package static let appeal = unary(
        "Appeal", 70, "AppealMismatchRequest", "MismatchResponse", role: "unit staff",
        "The opening unit records the applicant's administrative review (行政复议), then its outcome")
    package static let getMismatch = unary(
        "GetMismatch", 71, "GetOversightRecordRequest", "MismatchResponse", "One mismatch case (the two units or the task force office)")
    package static let listMismatches = unary(
        "ListMismatches", 72, "ListMismatchesRequest", "ListMismatchesResponse",
        "Mismatch cases the unit opened or must re-verify (the task force office: all)")
    package static let fileComplaint = unary(
        "FileComplaint", 73, "FileComplaintRequest", "ComplaintResponse", role: "taskforce",
        "The task force office registers a complaint from any channel (idempotent on channel + reference)")
    package static let routeComplaint = unary(
        "RouteComplaint", 74, "RouteComplaintRequest", "ComplaintResponse", role: "taskforce",
        "The task force office routes a complaint to the unit that must answer it")
    package static let answerComplaint = unary(
        "AnswerComplaint", 75, "AnswerComplaintRequest", "ComplaintResponse", role: "unit staff",
        "The unit a complaint was routed to answers it")
    package static let closeComplaint = unary(
        "CloseComplaint", 76, "CloseComplaintRequest", "ComplaintResponse", role: "taskforce",
        "The task force office closes an answered complaint (substantiated or not)")
    package static let getComplaint = unary(
        "GetComplaint", 77, "GetOversightRecordRequest", "ComplaintResponse", "One complaint (the unit it was routed to or the task force office)")
    package static let listComplaints = unary(
        "ListComplaints", 78, "ListComplaintsRequest", "ListComplaintsResponse",
        "Complaints routed to the unit (the task force office: all, by unit and status)")
    package static let counts = unary(
        "GetCounts", 79, "OversightCountsRequest", "OversightCountsResponse",
        "A unit's oversight figures for a period: commitments and checks, ledger, mismatches, appeals, complaints by breach type")

    package static let listCorrectionNotices = unary(
        "ListCorrectionNotices", 130, "ListCorrectionNoticesRequest", "ListCorrectionNoticesResponse",
        "Notices of records corrected after a mismatch case, to the units that fetched the old version (own unit; the task force office any or all)")

    package static let watchCorrectionNotices = MethodDescriptor(
        service: service, method: "WatchCorrectionNotices", id: 131, kind: .serverStreaming,
        requestType: "noproof.v1.WatchCorrectionNoticesRequest", responseType: "noproof.v1.CorrectionNoticeRecord",
        summary: "Correction notices pushed as they are written (own unit; the task force office any or all), optionally the stored ones first"
    )

    package static let all = [
        recordCommitment, checkCommitment, getCommitment, listCommitments, addLedgerEntry, listLedger, openMismatch, requestSupplement,
        recordSupplement, reverify, appeal, getMismatch, listMismatches, fileComplaint, routeComplaint, answerComplaint, closeComplaint,
        getComplaint, listComplaints, counts, listCorrectionNotices, watchCorrectionNotices,
    ]
}
