import ArgumentParser
import Foundation
import NoProofCodec
import NoProofSeals
import NoProofUnitStore
import NoProofAudit

/// `noproof audit verify|head|prove|consistency`: the audit trail's chain and tree checked offline,
/// its signed heads and proofs over the socket (docs/AUDIT.md).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: verify its chain and tree (offline) against witnessed heads; signed heads and proofs (online).",
        subcommands: [AuditVerifyCommand.self, AuditHeadCommand.self, AuditProveCommand.self, AuditConsistencyCommand.self]
    )
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail's hash chain and report the first edited, deleted or reordered record.",
        discussion: """
        Opens DIR/audit.sqlite read-only (the server may be running) and recomputes every record's chain hash \
        (docs/AUDIT.md), then the Merkle tree over them, and compares it with every signed tree head in each \
        --witness file (and those kept in the trail): a trail shorter than a witnessed head (records deleted) or \
        with another root at a head's size (records rewritten, even with every later hash recomputed) fails, naming \
        the records. Heads are checked with the audit public key (--audit-key, as published; else the key in \
        DIR/seals). Exit status 0 when everything verifies, 1 naming the first break, 2 when the trail cannot be read.
        """
    )

    @Option(name: .customLong("data-dir"), help: "The server's data folder (holding audit.sqlite).")
    var dataDir: String

    @Option(help: "A head published earlier (SEQUENCE:HEX, from the server log or `noproof stats`): the record at that sequence must still carry that hash.")
    var anchor: String?

    @Option(name: .customLong("witness"), help: "A witness file of signed tree heads (--audit-witness of noproofd); repeatable.")
    var witnesses: [String] = []

    @Option(name: .customLong("audit-key"), help: "The audit public key as published (64 hex digits, from `noproof audit head`); default: the key in DIR/seals.")
    var auditKey: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        var parsedAnchor: AuditHead?
        if let anchor {
            guard let parsed = AuditHead(parsing: anchor) else {
                throw ValidationError("--anchor takes SEQUENCE:HEX with 64 hex digits, e.g. 1042:9f86d0…")
            }
            parsedAnchor = parsed
        }
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        let result: ChainVerification
        let tree: TreeVerification
        var headProblems: [String] = []
        var headsChecked = 0
        var tallies: (checked: Int, differences: [String]) = (0, [])
        var denials: (checked: Int, firstBreak: String?)?
        do {
            let log = try AuditLog.openReadOnly(directory: directory)
            result = try log.verifyChain(anchor: parsedAnchor)
            let publicKey: [UInt8]?
            if let auditKey {
                guard let key = [UInt8](hex: auditKey), key.count == 32 else {
                    throw ValidationError("--audit-key takes the audit public key: 64 hex digits (noproof audit head prints it)")
                }
                publicKey = key
            } else {
                publicKey = try? AuditSigningKey.load(directory: directory.appendingPathComponent("seals")).publicKey
            }
            let epochStart = try log.epochStartMillis()
            var heads = try log.storedHeads().filter { $0.timestampMillis >= epochStart }
            for path in witnesses {
                let (held, unreadable) = try FileAuditWitness(path: path).heads()
                headProblems += unreadable.map { "\($0): not a signed tree head (edited?)" }
                heads += held.filter { $0.timestampMillis >= epochStart }
            }
            if let publicKey {
                let keyID = AuditSigningKey.keyID(publicKey: publicKey)
                for head in heads where head.keyID != keyID || !head.verifies(publicKey: publicKey) {
                    headProblems.append("the head of \(head.treeSize) records signed at \(head.timestampText) does not verify with audit key \(keyID)")
                }
                heads = heads.filter { $0.keyID == keyID && $0.verifies(publicKey: publicKey) }
            } else if !heads.isEmpty {
                headProblems.append("no audit public key (no --audit-key and no readable DIR/seals/\(AuditSigningKey.fileName)): heads not checked")
                heads = []
            }
            headsChecked = heads.count
            tree = try log.verifyTree(against: heads)
            tallies = try log.verifyTallies()
            denials = try DenialChain.verify(directory: directory)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("noproof: cannot verify the audit trail: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var treeBreaks: [String] = headProblems
        if let mismatch = tree.firstMismatch { treeBreaks.append("\(mismatch)") }
        treeBreaks += tallies.differences.map { "supervision tally differs from the records: \($0)" }
        if let broken = denials?.firstBreak { treeBreaks.append(broken) }
        if let range = tree.firstSubtreeMismatch {
            treeBreaks.append("the stored tree over records \(range.lowerBound)–\(range.upperBound) differs from those records: one of them was rewritten after it was written")
        }
        if json {
            struct Output: Encodable {
                var intact: Bool; var recordsChecked: Int; var headSequence: Int64; var headHash: String
                var firstBrokenSequence: Int64?; var reason: String?
                var treeSize: UInt64; var treeRoot: String; var signedHeadsChecked: Int; var signedHeadsMatched: Int; var treeBreaks: [String]
            }
            let output = Output(intact: result.isIntact && treeBreaks.isEmpty, recordsChecked: result.recordsChecked,
                                headSequence: result.head.sequence, headHash: result.head.hashHex,
                                firstBrokenSequence: result.firstBreak?.sequence, reason: result.firstBreak?.description,
                                treeSize: tree.treeSize, treeRoot: tree.root.hex, signedHeadsChecked: headsChecked,
                                signedHeadsMatched: tree.headsMatched, treeBreaks: treeBreaks)
            try printJSON(output)
        } else if let broken = result.firstBreak {
            print("audit chain BROKEN at sequence \(broken.sequence)")
            print("  \(broken)")
            print("records checked \(result.recordsChecked) (intact up to sequence \(result.head.sequence))")
            print("last good head  \(result.head)")
        } else {
            print("audit chain verifies")
            print("records checked \(result.recordsChecked)")
            print("head            \(result.head)")
        }
        if !json {
            if treeBreaks.isEmpty {
                print("audit tree verifies: \(tree.treeSize) records, root \(tree.root.hex)")
                print("signed heads    \(headsChecked) checked, \(tree.headsMatched) matched\(witnesses.isEmpty ? " (no --witness given: only the heads kept in the trail)" : "")")
                print("tallies         \(tallies.checked) supervision counters recomputed from the records: all match")
                if let denials { print("denial log      chain verifies (\(denials.checked) entries)") }
            } else {
                print("audit tree BROKEN")
                for line in treeBreaks { print("  \(line)") }
                if let last = tree.lastMatchingHead {
                    print("last matching   head of \(last.treeSize) records signed at \(last.timestampText)")
                }
            }
        }
        if !result.isIntact || !treeBreaks.isEmpty { throw ExitCode(1) }
    }
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
            try printJSON(Output(treeSize: head.treeSize, timestampMs: head.timestampMillis, root: head.rootHex, keyID: head.keyID,
                                 signature: head.signature.hex, signatureVerifies: verified, auditPublicKey: answer.auditPublicKey.hex,
                                 witnesses: answer.witnesses, witnessFailures: answer.witnessFailures))
            return
        }
        print("tree size       \(head.treeSize) records")
        print("root            \(head.rootHex)")
        print("signed at       \(head.timestampText) by \(head.keyID) (\(verified ? "signature verifies" : "SIGNATURE DOES NOT VERIFY"))")
        print("audit key       \(answer.auditPublicKey.hex)")
        print("witnesses       \(answer.witnesses.isEmpty ? "none (heads kept only in the data folder)" : answer.witnesses.joined(separator: ", "))"
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
        let fields = answer.record ?? AuditRecordFields()
        var record = AuditRecord(atMillis: fields.atMillis, unitCode: fields.unitCode, credentialID: fields.credentialID, staff: fields.staff,
                                 action: fields.action, itemCode: fields.itemCode, caseReference: fields.caseReference,
                                 holderID: fields.holderID, typeCode: fields.typeCode, licenceID: fields.licenceID,
                                 result: fields.result, proofSerial: fields.proofSerial, counterpartUnit: fields.counterpartUnit)
        record.sequence = Int64(clamping: fields.sequence)
        let head = signedHead(answer.head)
        let chain = AuditLog.chainHash(previous: answer.previousChainHash, record: record)
        var failures: [String] = []
        if fields.sequence != sequence { failures.append("the server answered record \(fields.sequence), not \(sequence)") }
        if chain != answer.chainHash { failures.append("the record's fields do not give its chain hash") }
        let root = MerkleTree.root(leaf: AuditTree.leaf(chainHash: chain), index: sequence &- 1, size: head.treeSize, path: answer.path)
        if root != head.root { failures.append("the audit path does not lead to the signed head's root") }
        if !head.verifies(publicKey: publicKey) { failures.append("the head's signature does not verify with audit key \(publicKey.hex)") }
        if connection.json {
            struct Output: Encodable {
                var verified: Bool; var sequence: UInt64; var at: String; var unitCode: String; var action: String; var result: String
                var treeSize: UInt64; var root: String; var signedAt: String; var keyID: String; var failures: [String]
            }
            try printJSON(Output(verified: failures.isEmpty, sequence: fields.sequence, at: ListPrinter.time(fields.atMillis) ?? "",
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
        let consistent = MerkleTree.verifyConsistency(first: size, second: head.treeSize, firstRoot: kept, secondRoot: head.root,
                                                      proof: answer.proof)
        let signed = head.verifies(publicKey: publicKey)
        if connection.json {
            struct Output: Encodable { var consistent: Bool; var signatureVerifies: Bool; var keptSize: UInt64; var treeSize: UInt64; var root: String }
            try printJSON(Output(consistent: consistent, signatureVerifies: signed, keptSize: size, treeSize: head.treeSize, root: head.rootHex))
        } else if consistent && signed {
            print("CONSISTENT: the signed head of \(head.treeSize) records (\(head.timestampText)) extends the kept head of \(size) records")
        } else {
            print("NOT CONSISTENT: \(consistent ? "" : "the log is not an extension of the kept head (rewritten or cut); ")\(signed ? "" : "the head's signature does not verify")")
        }
        if !(consistent && signed) { throw ExitCode(1) }
    }
}

/// A head as the server sent it (an absent head is an empty one, which verifies nothing).
private func signedHead(_ message: TreeHead?) -> SignedTreeHead {
    let message = message ?? TreeHead()
    return SignedTreeHead(treeSize: message.treeSize, timestampMillis: message.timestampMs, root: message.root, keyID: message.keyID,
                          signature: message.signature)
}
