import NoProofCodec
package import NoProofMessages
import NoProofProtocol

/// Typed calls of supervision (noproof.v1.Supervision).
extension NoProofClient {
    /// The supervision report for the civil days `from` through `to` (YYYY-MM-DD), of one unit or
    /// ("" — task force office only) of every unit.
    package func supervisionReport(from: String, to: String, unitCode: String = "") async throws -> APISupervisionReportResponse {
        try await unary(
            SupervisionMethods.report,
            request: APISupervisionReportRequest(fromDate: from, toDate: to, unitCode: unitCode),
            as: APISupervisionReportResponse.self)
    }

    /// One page of "who looked at my data" (citizen portal credential only), newest first.
    package func whoLooked(holderID: String, limit: UInt32 = 0, pageToken: String = "") async throws -> APIWhoLookedResponse {
        try await unary(
            SupervisionMethods.whoLooked,
            request: APIWhoLookedRequest(holderID: holderID, limit: limit, pageToken: pageToken), as: APIWhoLookedResponse.self)
    }

    /// Records an Art. 17 exemption against one flag of one unit for the civil days `from` through
    /// `to` (task force staff signed in with their own staff credential).
    package func exemptFlag(unitCode: String, flag: String, from: String, to: String, ground: String, reason: String) async throws -> APIExemptFlagResponse {
        try await unary(
            SupervisionMethods.exemptFlag,
            request: APIExemptFlagRequest(unitCode: unitCode, flag: flag, fromDate: from, toDate: to, ground: ground, reason: reason),
            as: APIExemptFlagResponse.self)
    }

    /// The Art. 17 exemptions whose period overlaps `from` through `to`, of one unit or ("" — task force office only) all.
    package func exemptions(from: String, to: String, unitCode: String = "") async throws -> APIListExemptionsResponse {
        try await unary(
            SupervisionMethods.listExemptions,
            request: APIListExemptionsRequest(fromDate: from, toDate: to, unitCode: unitCode), as: APIListExemptionsResponse.self)
    }
}
