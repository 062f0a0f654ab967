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

    private func verification<Request: ProtoMessage>(_ method: String, _ request: Request, staff: String?) async throws -> VerificationResponse {
        try await unary(.path("/noproof.v1.Verification/\(method)"), request: request, as: VerificationResponse.self,
                        metadata: Self.metadata(staff))
    }

    /// Files a request; a retry with the same `requestKey` returns the same request (`replayed`).
    package func fileVerification(_ request: FileVerificationRequest, staff: String?) async throws -> VerificationResponse {
        try await verification("File", request, staff: staff)
    }

    package func verificationRequest(id: String) async throws -> VerificationResponse {
        try await verification("Get", GetVerificationRequest(requestID: id), staff: nil)
    }

    package func takeVerification(id: String, staff: String?) async throws -> VerificationResponse {
        try await verification("Take", TakeVerificationRequest(requestID: id), staff: staff)
    }

    package func answerVerification(_ request: AnswerVerificationRequest, staff: String?) async throws -> VerificationResponse {
        try await verification("Answer", request, staff: staff)
    }

    package func returnVerification(id: String, reason: String, suggestedUnit: String, staff: String?) async throws -> VerificationResponse {
        try await verification("Return", ReturnVerificationRequest(requestID: id, reason: reason, suggestedUnitCode: suggestedUnit), staff: staff)
    }

    package func refileVerification(id: String, to unit: String = "", staff: String?) async throws -> VerificationResponse {
        try await verification("Refile", RefileVerificationRequest(requestID: id, issuingUnitCode: unit), staff: staff)
    }

    /// The connection's unit's queue (requests addressed to it).
    package func verificationQueue(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [VerificationRecord] {
        try await unary(.path("/noproof.v1.Verification/ListQueue"), request: ListVerificationsRequest(includeFinished: includeFinished, limit: limit),
                        as: ListVerificationsResponse.self).requests
    }

    /// Requests the connection's unit filed.
    package func filedVerifications(includeFinished: Bool = false, limit: UInt32 = 0) async throws -> [VerificationRecord] {
        try await unary(.path("/noproof.v1.Verification/ListFiled"), request: ListVerificationsRequest(includeFinished: includeFinished, limit: limit),
                        as: ListVerificationsResponse.self).requests
    }

    package func watchVerificationQueue(includeOpen: Bool, staff: String?) -> AsyncThrowingStream<VerificationEvent, Error> {
        serverStreaming(.path("/noproof.v1.Verification/WatchQueue"), request: WatchVerificationQueueRequest(includeOpen: includeOpen),
                        as: VerificationEvent.self, metadata: Self.metadata(staff))
    }

    package func watchVerification(id: String) -> AsyncThrowingStream<VerificationEvent, Error> {
        serverStreaming(.path("/noproof.v1.Verification/WatchRequest"), request: WatchVerificationRequest(requestID: id), as: VerificationEvent.self)
    }
}
