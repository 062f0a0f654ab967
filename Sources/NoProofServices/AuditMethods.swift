import NoProofProtocol

/// The audit log's RPC methods and their stable ids (120-129): signed tree heads and proofs
/// (docs/AUDIT.md).
package enum AuditMethods {
    static let service = "noproof.v1.Audit"

    package static let getTreeHead = MethodDescriptor(
        service: service, method: "GetTreeHead", id: 120,
        requestType: "noproof.v1.GetTreeHeadRequest", responseType: "noproof.v1.GetTreeHeadResponse",
        summary: "The audit log's newest signed tree head, the audit public key and the witnesses"
    )
    package static let proveRecord = MethodDescriptor(
        service: service, method: "ProveRecord", id: 121,
        requestType: "noproof.v1.ProveRecordRequest", responseType: "noproof.v1.ProveRecordResponse",
        requiredRole: "citizen-portal (records about the holder named), taskforce, or the record's own unit",
        summary: "An inclusion proof of one audit record in a signed tree head (a citizen can prove an access was recorded)"
    )
    package static let proveConsistency = MethodDescriptor(
        service: service, method: "ProveConsistency", id: 122,
        requestType: "noproof.v1.ProveConsistencyRequest", responseType: "noproof.v1.ProveConsistencyResponse",
        summary: "A consistency proof that an earlier tree head is a prefix of a later one (append-only)"
    )

    package static let all = [getTreeHead, proveRecord, proveConsistency]
}
