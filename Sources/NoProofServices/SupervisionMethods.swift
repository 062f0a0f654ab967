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

    package static let all = [report, whoLooked]
}
