import NoProofCodec
import NoProofProtocol

/// Typed calls of the audit log's heads and proofs (noproof.v1.Audit).
extension NoProofClient {
    /// The newest signed tree head and the audit public key.
    package func auditTreeHead() async throws -> GetTreeHeadResponse {
        try await unary(AuditMethods.getTreeHead, request: GetTreeHeadRequest(), as: GetTreeHeadResponse.self)
    }

    /// An inclusion proof of audit record `sequence` in the newest signed head (the citizen portal names the holder).
    package func proveAuditRecord(sequence: UInt64, holderID: String = "") async throws -> ProveRecordResponse {
        try await unary(
            AuditMethods.proveRecord, request: ProveRecordRequest(sequence: sequence, holderID: holderID),
            as: ProveRecordResponse.self)
    }

    /// A consistency proof from the tree of `first` records to the newest signed head.
    package func proveAuditConsistency(first: UInt64) async throws -> ProveConsistencyResponse {
        try await unary(
            AuditMethods.proveConsistency, request: ProveConsistencyRequest(first: first, second: 0),
            as: ProveConsistencyResponse.self)
    }
}
