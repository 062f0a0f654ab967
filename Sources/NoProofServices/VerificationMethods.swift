import NoProofProtocol

/// Department verification's RPC methods and their stable ids (50-69).
package enum VerificationMethods {
    static let service = "noproof.v1.Verification"

    package static let file = MethodDescriptor(
        service: service, method: "File", id: 50,
        requestType: "noproof.v1.FileVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        requiredRole: "requesting unit staff",
        summary: "The requesting unit: ask the issuing unit to verify a proof its list obtains by department verification (idempotent on request_key)"
    )
    package static let get = MethodDescriptor(
        service: service, method: "Get", id: 51,
        requestType: "noproof.v1.GetVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        summary: "One request (the requesting or the issuing unit only), with the sealed proof once answered"
    )
    package static let watchRequest = MethodDescriptor(
        service: service, method: "WatchRequest", id: 52, kind: .serverStreaming,
        requestType: "noproof.v1.WatchVerificationRequest", responseType: "noproof.v1.VerificationEvent",
        summary: "Follow one request until it is answered or returned (the two units only)"
    )
    package static let listQueue = MethodDescriptor(
        service: service, method: "ListQueue", id: 53,
        requestType: "noproof.v1.ListVerificationsRequest", responseType: "noproof.v1.ListVerificationsResponse",
        summary: "The issuing unit: requests addressed to it, oldest first"
    )
    package static let watchQueue = MethodDescriptor(
        service: service, method: "WatchQueue", id: 54, kind: .serverStreaming,
        requestType: "noproof.v1.WatchVerificationQueueRequest", responseType: "noproof.v1.VerificationEvent",
        requiredRole: "issuing unit staff",
        summary: "The issuing unit: agents get new and overdue requests, the supervisor new ones, escalations and second breaches"
    )
    package static let take = MethodDescriptor(
        service: service, method: "Take", id: 55,
        requestType: "noproof.v1.TakeVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        requiredRole: "issuing unit staff", summary: "The issuing unit's agent or supervisor takes a request"
    )
    package static let answer = MethodDescriptor(
        service: service, method: "Answer", id: 56,
        requestType: "noproof.v1.AnswerVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        requiredRole: "issuing unit staff, signed in (staff credential)",
        summary: "The issuing unit answers: the verified record (sealed with the verification seal) or not on record"
    )
    package static let returnRequest = MethodDescriptor(
        service: service, method: "Return", id: 57,
        requestType: "noproof.v1.ReturnVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        requiredRole: "issuing unit staff, signed in (staff credential)", summary: "The issuing unit returns a request that is not its duty, with a reason and a suggested unit"
    )
    package static let refile = MethodDescriptor(
        service: service, method: "Refile", id: 58,
        requestType: "noproof.v1.RefileVerificationRequest", responseType: "noproof.v1.VerificationResponse",
        requiredRole: "requesting unit staff", summary: "The requesting unit re-files a returned request to the suggested unit in one step"
    )
    package static let listFiled = MethodDescriptor(
        service: service, method: "ListFiled", id: 59,
        requestType: "noproof.v1.ListVerificationsRequest", responseType: "noproof.v1.ListVerificationsResponse",
        summary: "The requesting unit: requests it filed, newest first"
    )

    package static let all = [file, get, watchRequest, listQueue, watchQueue, take, answer, returnRequest, refile, listFiled]
}
