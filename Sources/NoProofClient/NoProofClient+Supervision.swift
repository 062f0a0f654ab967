import NoProofCodec
import NoProofProtocol

/// Typed calls of supervision (noproof.v1.Supervision).
extension NoProofClient {
    /// The supervision report for the civil days `from` through `to` (YYYY-MM-DD), of one unit or
    /// ("" — task force office only) of every unit.
    package func supervisionReport(from: String, to: String, unitCode: String = "") async throws -> SupervisionReportResponse {
        try await unary(.path("/noproof.v1.Supervision/Report"),
                        request: SupervisionReportRequest(fromDate: from, toDate: to, unitCode: unitCode),
                        as: SupervisionReportResponse.self)
    }

    /// One page of "who looked at my data" (citizen portal credential only), newest first.
    package func whoLooked(holderID: String, limit: UInt32 = 0, pageToken: String = "") async throws -> WhoLookedResponse {
        try await unary(.path("/noproof.v1.Supervision/WhoLooked"),
                        request: WhoLookedRequest(holderID: holderID, limit: limit, pageToken: pageToken), as: WhoLookedResponse.self)
    }
}
