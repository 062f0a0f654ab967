import NoProofCodec
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
        _ method: UnaryMethod<Request, VerificationResponse>, _ request: Request,
        staff: String?
    ) async throws -> VerificationResponse {
        try await unary(method, request: request, metadata: Self.metadata(staff))
    }

    /// Files a request; a retry with the same `requestKey` returns the same request (`replayed`).
    package func fileVerification(_ request: FileVerificationRequest, staff: String?) async throws -> VerificationResponse {
        try await verification(VerificationMethods.file, request, staff: staff)
    }

    package func verificationRequest(id: String) async throws -> VerificationResponse {
        try await verification(VerificationMethods.get, GetVerificationRequest(requestID: id), staff: nil)
    }

    package func takeVerification(id: String, staff: String?) async throws -> VerificationResponse {
        try await verification(VerificationMethods.take, TakeVerificationRequest(requestID: id), staff: staff)
    }

    package func answerVerification(_ request: AnswerVerificationRequest, staff: String?) async throws -> VerificationResponse {
        try await verification(VerificationMethods.answer, request, staff: staff)
    }

    package func returnVerification(id: String, reason: String, suggestedUnit: String, staff: String?) async throws -> VerificationResponse {
        try await verification(
            VerificationMethods.returnRequest, ReturnVerificationRequest(requestID: id, reason: reason, suggestedUnitCode: suggestedUnit), staff: staff)
    }

    package func refileVerification(id: String, to unit: String = "", staff: String?) async throws -> VerificationResponse {
        try await verification(VerificationMethods.refile, RefileVerificationRequest(requestID: id, issuingUnitCode: unit), staff: staff)
    }

    /// The connection's unit's queue (requests addressed to it).
    package func verificationQueue(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [VerificationRecord] {
        try await unary(
            VerificationMethods.listQueue, request: ListVerificationsRequest(includeFinished: includeFinished, limit: limit),
            as: ListVerificationsResponse.self
        ).requests
    }

    /// Requests the connection's unit filed.
    package func filedVerifications(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [VerificationRecord] {
        try await unary(
            VerificationMethods.listFiled, request: ListVerificationsRequest(includeFinished: includeFinished, limit: limit),
            as: ListVerificationsResponse.self
        ).requests
    }

    package func watchVerificationQueue(includeOpen: Bool, staff: String?) -> AsyncThrowingStream<VerificationEvent, Error> {
        serverStreaming(
            VerificationMethods.watchQueue, request: WatchVerificationQueueRequest(includeOpen: includeOpen),
            as: VerificationEvent.self, metadata: Self.metadata(staff))
    }

    package func watchVerification(id: String) -> AsyncThrowingStream<VerificationEvent, Error> {
        serverStreaming(VerificationMethods.watchRequest, request: WatchVerificationRequest(requestID: id), as: VerificationEvent.self)
    }
}
