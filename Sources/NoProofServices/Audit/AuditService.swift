import Foundation
package import Logging
import NoProofCodec
package import NoProofMessages
package import NoProofProtocol
package import NoProofSeals
package import NoProofServer
package import NoProofAudit
package import NoProofAuditChain

/// `noproof.v1.Audit`: the audit log's signed heads and its proofs (docs/AUDIT.md). Anyone
/// holding a head can check, with these, that a record is in the log (inclusion) and that the
/// log only grew since (consistency), against the published audit public key alone.
package struct AuditService: Sendable {
    let audit: any AuditTrail
    let heads: AuditHeadPublisher
    let logger: Logger

    package init(audit: any AuditTrail, heads: AuditHeadPublisher, logger: Logger) {
        self.audit = audit
        self.heads = heads
        self.logger = logger
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(AuditMethods.getTreeHead, APIGetTreeHeadRequest.self, APIGetTreeHeadResponse.self) { _, context in
            guard context.unit != nil else {
                throw RPCError(.unauthenticated, "authenticate the connection with /noproof.v1.Session/Authenticate first")
            }
            return APIGetTreeHeadResponse(
                head: try await latestHead().message, auditPublicKey: heads.publicKey, auditKeyID: heads.keyID,
                witnesses: heads.witnesses.map(\.name), witnessFailures: UInt64(heads.witnessFailures.count))
        }
        registry.unary(AuditMethods.proveRecord, APIProveRecordRequest.self, APIProveRecordResponse.self) { request, context in
            try await proveRecord(request, context: context)
        }
        registry.unary(AuditMethods.proveConsistency, APIProveConsistencyRequest.self, APIProveConsistencyResponse.self) { request, context in
            guard context.unit != nil else {
                throw RPCError(.unauthenticated, "authenticate the connection with /noproof.v1.Session/Authenticate first")
            }
            return try await proveConsistency(request)
        }
    }

    /// The newest signed head; one is signed now when none exists yet.
    private func latestHead() async throws -> SignedTreeHead {
        if let head = heads.latest { return head }
        do {
            return try await heads.publishNow()
        } catch {
            logger.error("no audit tree head could be signed", metadata: ["error": "\(error)"])
            throw RPCError(.unavailable, "the audit log's tree head could not be signed; retry")
        }
    }

    /// A head of `size` records: the newest when it has that size, else one signed now
    /// (the tree of any size up to the log's is computable; signing is cheap).
    private func head(ofSize size: UInt64) async throws -> SignedTreeHead {
        let newest = try await latestHead()
        if size == 0 || size == newest.treeSize { return newest }
        throw RPCError(.invalidArgument, "tree_size \(size): proofs are given against the newest signed head (\(newest.treeSize) records); pass 0")
    }

    /// The proof; the read is audited (`Audit.ProveRecord`, the record's sequence in `licence_id`), as who-looked is.
    func proveRecord(_ request: APIProveRecordRequest, context: CallContext) async throws -> APIProveRecordResponse {
        guard let caller = context.unit else {
            throw RPCError(.unauthenticated, "authenticate the connection with /noproof.v1.Session/Authenticate first")
        }
        guard request.sequence >= 1, request.sequence <= UInt64(Int64.max) else {
            throw RPCError(.invalidArgument, "sequence: the audit record's sequence (WhoLookedEntry.audit_sequence), from 1")
        }
        if caller.isCitizenPortal, request.holderID.isEmpty {
            throw RPCError(.invalidArgument, "holder_id: the citizen portal names the holder the record is about")
        }
        let head = try await head(ofSize: request.treeSize)
        guard request.sequence <= head.treeSize else {
            throw RPCError(
                .notFound,
                "record \(request.sequence) is not in the newest signed head (\(head.treeSize) records); heads are signed every second — retry shortly")
        }
        let proof: AuditInclusionProof?
        do {
            proof = try await audit.inclusionProof(sequence: Int64(request.sequence), treeSize: head.treeSize)
        } catch {
            logger.error("audit inclusion proof failed", metadata: ["sequence": "\(request.sequence)", "error": "\(error)"])
            throw RPCError(.unavailable, "the audit log could not give the proof: \(error)")
        }
        // Who may see the record: the portal for the holder it names, the task force, the record's own unit.
        // Anyone else gets the same NOT_FOUND as for a record that does not exist.
        let allowed: Bool = {
            guard let record = proof?.record else { return false }
            if caller.isCitizenPortal { return record.holderID == request.holderID && !record.holderID.isEmpty }
            return caller.isTaskForce || record.unitCode == caller.unitCode
        }()
        guard let proof, allowed else {
            throw RPCError(.notFound, "no audit record \(request.sequence)\(caller.isCitizenPortal ? " about this holder" : " of your unit")")
        }
        let record = proof.record
        do {
            _ = try await audit.append(
                AuditRecord(
                    atMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)), unitCode: caller.unitCode,
                    credentialID: caller.credentialID, staff: context.staff ?? "", action: .auditProveRecord, itemCode: "",
                    caseReference: "", holderID: record.holderID, typeCode: "", licenceID: "\(record.sequence)", result: .proved))
        } catch {
            logger.error("audit write failed", metadata: ["action": "Audit.ProveRecord", "error": "\(error)"])
        }
        return APIProveRecordResponse(
            record: APIAuditRecordFields(
                sequence: UInt64(record.sequence), atMillis: record.atMillis, unitCode: record.unitCode,
                credentialID: record.credentialID, staff: record.staff, action: record.action.rawValue,
                itemCode: record.itemCode, caseReference: record.caseReference, holderID: record.holderID,
                typeCode: record.typeCode, licenceID: record.licenceID, result: record.result.rawValue,
                proofSerial: record.proofSerial, counterpartUnit: record.counterpartUnit),
            previousChainHash: proof.previousChainHash, chainHash: proof.chainHash, head: head.message, path: proof.path)
    }

    func proveConsistency(_ request: APIProveConsistencyRequest) async throws -> APIProveConsistencyResponse {
        let head = try await head(ofSize: request.second)
        guard request.first <= head.treeSize else {
            throw RPCError(.invalidArgument, "first \(request.first) is beyond the newest signed head (\(head.treeSize) records)")
        }
        do {
            let proof = try await audit.consistencyProof(first: request.first, second: head.treeSize)
            let firstRoot = try await audit.treeRoot(size: request.first)
            return APIProveConsistencyResponse(head: head.message, firstRoot: firstRoot, proof: proof)
        } catch {
            logger.error("audit consistency proof failed", metadata: ["first": "\(request.first)", "error": "\(error)"])
            throw RPCError(.unavailable, "the audit log could not give the proof: \(error)")
        }
    }
}

extension SignedTreeHead {
    package var message: APITreeHead {
        APITreeHead(treeSize: treeSize, timestampMs: timestampMillis, root: root, keyID: keyID, signature: signature)
    }

    package init(_ message: APITreeHead) {
        self.init(
            treeSize: message.treeSize, timestampMillis: message.timestampMs, root: message.root, keyID: message.keyID,
            signature: message.signature)
    }
}

extension APIProveRecordRequest: LengthLimitedRequest {
    package func checkLengths() throws(RPCError) {
        try FieldLimits.check(holderID, "holder_id", max: FieldLimits.code)
    }
}
