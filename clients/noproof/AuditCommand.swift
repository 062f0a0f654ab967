import ArgumentParser
import Foundation
import NoProofCodec
import NoProofMessages
import NoProofSeals
import NoProofAuditChain

/// `noproof audit head|prove|consistency`: the audit trail's signed heads and proofs over the socket
/// (docs/AUDIT.md). The offline check of the whole trail is `noproofd audit-verify --data-dir DIR`.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail's signed heads and proofs (online); the offline check is `noproofd audit-verify`.",
        subcommands: [AuditHeadCommand.self, AuditProveCommand.self, AuditConsistencyCommand.self]
    )
}

/// `noproof audit head`: the newest signed tree head and the audit public key.
struct AuditHeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "The audit log's newest signed tree head, the audit public key and the witnesses.",
        discussion: "Keep the head (size and root) to check later with `noproof audit consistency --size N --root HEX` that the log only grew."
    )

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let answer = try await connection.withClient { client in try await client.auditTreeHead() }
        let head = signedHead(answer.head)
        let verified = head.verifies(publicKey: answer.auditPublicKey)
        if connection.json {
            struct Output: Encodable {
                var treeSize: UInt64; var timestampMs: Int64; var root: String; var keyID: String; var signature: String
                var signatureVerifies: Bool; var auditPublicKey: String; var witnesses: [String]; var witnessFailures: UInt64
            }
            try printJSON(
                Output(
                    treeSize: head.treeSize, timestampMs: head.timestampMillis, root: head.rootHex, keyID: head.keyID,
                    signature: head.signature.hex, signatureVerifies: verified, auditPublicKey: answer.auditPublicKey.hex,
                    witnesses: answer.witnesses, witnessFailures: answer.witnessFailures))
            return
        }
        print("tree size       \(head.treeSize) records")
        print("root            \(head.rootHex)")
        print("signed at       \(head.timestampText) by \(head.keyID) (\(verified ? "signature verifies" : "SIGNATURE DOES NOT VERIFY"))")
        print("audit key       \(answer.auditPublicKey.hex)")
        print(
            "witnesses       \(answer.witnesses.isEmpty ? "none (heads kept only in the data folder)" : answer.witnesses.joined(separator: ", "))"
                + (answer.witnessFailures > 0 ? "; \(answer.witnessFailures) head(s) not taken by a witness since start" : ""))
        if !verified { throw ExitCode(1) }
    }
}

/// `noproof audit prove SEQUENCE`: an inclusion proof of one record, checked here.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove that an audit record (e.g. a who-looked entry's audit sequence) is in the signed audit log.",
        discussion: """
            Fetches the record, its predecessor's chain hash and the audit path, and checks here: the record's fields give \
            its chain hash, the chain hash gives the leaf, the path leads to the signed head's root, and the head's \
            signature verifies with the audit key (--audit-key as published; else the key the server names). The citizen \
            portal passes --holder. Exit 0 when the proof holds, 1 when it does not.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The audit record's sequence.")
    var sequence: UInt64

    @Option(help: "The holder the record is about (citizen portal).")
    var holder: String?

    @Option(name: .customLong("audit-key"), help: "The audit public key as published (64 hex digits).")
    var auditKey: String?

    func run() async throws {
        let (sequence, holder) = (self.sequence, self.holder ?? "")
        let (answer, published) = try await connection.withClient { client in
            (try await client.proveAuditRecord(sequence: sequence, holderID: holder), try await client.auditTreeHead())
        }
        var publicKey = published.auditPublicKey
        if let auditKey {
            guard let key = [UInt8](hex: auditKey), key.count == 32 else { throw ValidationError("--audit-key takes 64 hex digits") }
            publicKey = key
        }
        let fields = answer.record ?? APIAuditRecordFields()
        var record = AuditRecord(
            atMillis: fields.atMillis, unitCode: fields.unitCode, credentialID: fields.credentialID, staff: fields.staff,
            action: AuditAction(rawValue: fields.action), itemCode: fields.itemCode, caseReference: fields.caseReference,
            holderID: fields.holderID, typeCode: fields.typeCode, licenceID: fields.licenceID,
            result: AuditResult(rawValue: fields.result), proofSerial: fields.proofSerial, counterpartUnit: fields.counterpartUnit)
        record.sequence = Int64(clamping: fields.sequence)
        let head = signedHead(answer.head)
        let chain = AuditChainHash.hash(previous: answer.previousChainHash, record: record)
        var failures: [String] = []
        if fields.sequence != sequence { failures.append("the server answered record \(fields.sequence), not \(sequence)") }
        if chain != answer.chainHash { failures.append("the record's fields do not give its chain hash") }
        let root = MerkleTree.root(leaf: AuditChainHash.leaf(chainHash: chain), index: sequence &- 1, size: head.treeSize, path: answer.path)
        if root != head.root { failures.append("the audit path does not lead to the signed head's root") }
        if !head.verifies(publicKey: publicKey) { failures.append("the head's signature does not verify with audit key \(publicKey.hex)") }
        if connection.json {
            struct Output: Encodable {
                var verified: Bool; var sequence: UInt64; var at: String; var unitCode: String; var action: String; var result: String
                var treeSize: UInt64; var root: String; var signedAt: String; var keyID: String; var failures: [String]
            }
            try printJSON(
                Output(
                    verified: failures.isEmpty, sequence: fields.sequence, at: ListPrinter.time(fields.atMillis) ?? "",
                    unitCode: fields.unitCode, action: fields.action, result: fields.result, treeSize: head.treeSize,
                    root: head.rootHex, signedAt: head.timestampText, keyID: head.keyID, failures: failures))
        } else if failures.isEmpty {
            print("VERIFIED: audit record \(sequence) is in the audit log's signed head of \(head.treeSize) records")
            print("  \(ListPrinter.time(fields.atMillis) ?? "-")  unit \(fields.unitCode)  \(fields.action) → \(fields.result)")
            print("  root \(head.rootHex), signed at \(head.timestampText) by \(head.keyID)")
        } else {
            print("NOT VERIFIED: audit record \(sequence)")
            for failure in failures { print("  \(failure)") }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

/// `noproof audit consistency --size N --root HEX`: the log only grew since a head you kept.
struct AuditConsistencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Check that the audit log only grew since a head you kept (RFC 9162 consistency proof).",
        discussion: "Exit 0 when the newest signed head extends the kept one, 1 when the log was rewritten or cut."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The kept head's tree size.")
    var size: UInt64

    @Option(help: "The kept head's root (64 hex digits).")
    var root: String

    @Option(name: .customLong("audit-key"), help: "The audit public key as published (64 hex digits).")
    var auditKey: String?

    func run() async throws {
        guard let kept = [UInt8](hex: root), kept.count == 32 else { throw ValidationError("--root takes 64 hex digits") }
        let size = self.size
        let (answer, published) = try await connection.withClient { client in
            (try await client.proveAuditConsistency(first: size), try await client.auditTreeHead())
        }
        var publicKey = published.auditPublicKey
        if let auditKey {
            guard let key = [UInt8](hex: auditKey), key.count == 32 else { throw ValidationError("--audit-key takes 64 hex digits") }
            publicKey = key
        }
        let head = signedHead(answer.head)
        let consistent = MerkleTree.verifyConsistency(
            first: size, second: head.treeSize, firstRoot: kept, secondRoot: head.root,
            proof: answer.proof)
        let signed = head.verifies(publicKey: publicKey)
        if connection.json {
            struct Output: Encodable { var consistent: Bool; var signatureVerifies: Bool; var keptSize: UInt64; var treeSize: UInt64; var root: String }
            try printJSON(Output(consistent: consistent, signatureVerifies: signed, keptSize: size, treeSize: head.treeSize, root: head.rootHex))
        } else if consistent && signed {
            print("CONSISTENT: the signed head of \(head.treeSize) records (\(head.timestampText)) extends the kept head of \(size) records")
        } else {
            print(
                "NOT CONSISTENT: \(consistent ? "" : "the log is not an extension of the kept head (rewritten or cut); ")\(signed ? "" : "the head's signature does not verify")"
            )
        }
        if !(consistent && signed) { throw ExitCode(1) }
    }
}

/// A head as the server sent it (an absent head is an empty one, which verifies nothing).
private func signedHead(_ message: APITreeHead?) -> SignedTreeHead {
    let message = message ?? APITreeHead()
    return SignedTreeHead(
        treeSize: message.treeSize, timestampMillis: message.timestampMs, root: message.root, keyID: message.keyID,
        signature: message.signature)
}
