import NoProofCodec
package import NoProofMessages
import NoProofProtocol

/// Typed calls of department verification (noproof.v1.Verification). Calls that act name the
/// staff member with `staff` (the "staff" metadata entry).
extension NoProofClient {
    private static func metadata(_ staff: String?) -> Metadata {
        var metadata: Metadata = [:]
        if let staff, !staff.isEmpty { metadata["staff"] = staff }
        return metadata
    }

    private func verification<Request>(
        _ method: UnaryMethod<Request, APIVerificationResponse>, _ request: Request,
        staff: String?
    ) async throws -> APIVerificationResponse {
        try await unary(method, request: request, metadata: Self.metadata(staff))
    }

    /// Files a request; a retry with the same `requestKey` returns the same request (`replayed`).
    package func fileVerification(_ request: APIFileVerificationRequest, staff: String?) async throws -> APIVerificationResponse {
        try await verification(VerificationMethods.file, request, staff: staff)
    }

    package func verificationRequest(id: String) async throws -> APIVerificationResponse {
        try await verification(VerificationMethods.get, APIGetVerificationRequest(requestID: id), staff: nil)
    }

    package func takeVerification(id: String, staff: String?) async throws -> APIVerificationResponse {
        try await verification(VerificationMethods.take, APITakeVerificationRequest(requestID: id), staff: staff)
    }

    package func answerVerification(_ request: APIAnswerVerificationRequest, staff: String?) async throws -> APIVerificationResponse {
        try await verification(VerificationMethods.answer, request, staff: staff)
    }

    package func returnVerification(id: String, reason: String, suggestedUnit: String, staff: String?) async throws -> APIVerificationResponse {
        try await verification(
            VerificationMethods.returnRequest, APIReturnVerificationRequest(requestID: id, reason: reason, suggestedUnitCode: suggestedUnit), staff: staff)
    }

    package func refileVerification(id: String, to unit: String = "", staff: String?) async throws -> APIVerificationResponse {
        try await verification(VerificationMethods.refile, APIRefileVerificationRequest(requestID: id, issuingUnitCode: unit), staff: staff)
    }

    /// The connection's unit's queue (requests addressed to it).
    package func verificationQueue(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [APIVerificationRecord] {
        try await unary(
            VerificationMethods.listQueue, request: APIListVerificationsRequest(includeFinished: includeFinished, limit: limit),
            as: APIListVerificationsResponse.self
        ).requests
    }

    /// Requests the connection's unit filed.
    package func filedVerifications(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [APIVerificationRecord] {
        try await unary(
            VerificationMethods.listFiled, request: APIListVerificationsRequest(includeFinished: includeFinished, limit: limit),
            as: APIListVerificationsResponse.self
        ).requests
    }

    package func watchVerificationQueue(includeOpen: Bool, staff: String?) -> AsyncThrowingStream<APIVerificationEvent, Error> {
        serverStreaming(
            VerificationMethods.watchQueue, request: APIWatchVerificationQueueRequest(includeOpen: includeOpen),
            as: APIVerificationEvent.self, metadata: Self.metadata(staff))
    }

    package func watchVerification(id: String) -> AsyncThrowingStream<APIVerificationEvent, Error> {
        serverStreaming(VerificationMethods.watchRequest, request: APIWatchVerificationRequest(requestID: id), as: APIVerificationEvent.self)
    }
}
