import NoProofCodec
package import NoProofMessages
import NoProofProtocol

/// Typed calls of the audit log's heads and proofs (noproof.v1.Audit).
extension NoProofClient {
    /// The newest signed tree head and the audit public key.
    package func auditTreeHead() async throws -> APIGetTreeHeadResponse {
        try await unary(AuditMethods.getTreeHead, request: APIGetTreeHeadRequest(), as: APIGetTreeHeadResponse.self)
    }

    /// An inclusion proof of audit record `sequence` in the newest signed head (the citizen portal names the holder).
    package func proveAuditRecord(sequence: UInt64, holderID: String = "") async throws -> APIProveRecordResponse {
        try await unary(
            AuditMethods.proveRecord, request: APIProveRecordRequest(sequence: sequence, holderID: holderID),
            as: APIProveRecordResponse.self)
    }

    /// A consistency proof from the tree of `first` records to the newest signed head.
    package func proveAuditConsistency(first: UInt64) async throws -> APIProveConsistencyResponse {
        try await unary(
            AuditMethods.proveConsistency, request: APIProveConsistencyRequest(first: first, second: 0),
            as: APIProveConsistencyResponse.self)
    }
}
