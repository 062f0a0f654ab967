import NoProofCodec
import NoProofProtocol

/// Typed calls of supervision (noproof.v1.Supervision).
extension NoProofClient {
    /// The supervision report for the civil days `from` through `to` (YYYY-MM-DD), of one unit or
    /// ("" — task force office only) of every unit.
    package func supervisionReport(from: String, to: String, unitCode: String = "") async throws -> SupervisionReportResponse {
        try await unary(
            SupervisionMethods.report,
            request: SupervisionReportRequest(fromDate: from, toDate: to, unitCode: unitCode),
            as: SupervisionReportResponse.self)
    }

    /// One page of "who looked at my data" (citizen portal credential only), newest first.
    package func whoLooked(holderID: String, limit: UInt32 = 0, pageToken: String = "") async throws -> WhoLookedResponse {
        try await unary(
            SupervisionMethods.whoLooked,
            request: WhoLookedRequest(holderID: holderID, limit: limit, pageToken: pageToken), as: WhoLookedResponse.self)
    }

    /// Records an Art. 17 exemption against one flag of one unit for the civil days `from` through
    /// `to` (task force staff signed in with their own staff credential).
    package func exemptFlag(unitCode: String, flag: String, from: String, to: String, ground: String, reason: String) async throws -> ExemptFlagResponse {
        try await unary(
            SupervisionMethods.exemptFlag,
            request: ExemptFlagRequest(unitCode: unitCode, flag: flag, fromDate: from, toDate: to, ground: ground, reason: reason),
            as: ExemptFlagResponse.self)
    }

    /// The Art. 17 exemptions whose period overlaps `from` through `to`, of one unit or ("" — task force office only) all.
    package func exemptions(from: String, to: String, unitCode: String = "") async throws -> ListExemptionsResponse {
        try await unary(
            SupervisionMethods.listExemptions,
            request: ListExemptionsRequest(fromDate: from, toDate: to, unitCode: unitCode), as: ListExemptionsResponse.self)
    }
}
