import NoProofProtocol

/// Supervision's RPC methods and their stable ids (80-89).
package enum SupervisionMethods {
    static let service = "noproof.v1.Supervision"

    package static let report = MethodDescriptor(
        service: service, method: "Report", id: 80,
        requestType: "noproof.v1.SupervisionReportRequest", responseType: "noproof.v1.SupervisionReportResponse",
        requiredRole: "taskforce (all units) or the unit itself",
        summary: "Per unit and period: lookups by result, verification requests, overdue, second breaches, denials, late list changes, oversight figures and flags"
    )
    package static let whoLooked = MethodDescriptor(
        service: service, method: "WhoLooked", id: 81,
        requestType: "noproof.v1.WhoLookedRequest", responseType: "noproof.v1.WhoLookedResponse",
        requiredRole: "citizen-portal",
        summary: "Every unit that obtained (or tried to obtain) one holder's data: when, unit, item, licence type, result (paged)"
    )

    package static let exemptFlag = MethodDescriptor(
        service: service, method: "ExemptFlag", id: 82,
        requestType: "noproof.v1.ExemptFlagRequest", responseType: "noproof.v1.ExemptFlagResponse",
        requiredRole: "taskforce staff signed in with their own staff credential",
        summary: "Records an Art. 17 exemption against one flag of one unit for one period (ground, reason; audited, fail-closed)"
    )
    package static let listExemptions = MethodDescriptor(
        service: service, method: "ListExemptions", id: 83,
        requestType: "noproof.v1.ListExemptionsRequest", responseType: "noproof.v1.ListExemptionsResponse",
        requiredRole: "taskforce (all units) or the unit itself",
        summary: "The Art. 17 exemptions whose period overlaps the given days"
    )

    package static let all = [report, whoLooked, exemptFlag, listExemptions]
}
