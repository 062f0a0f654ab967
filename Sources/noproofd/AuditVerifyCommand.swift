import ArgumentParser
import Foundation
import NoProofAuditChain
import NoProofAudit
import NoProofPostgres
import NoProofSeals
import NoProofUnitStore

/// `noproofd audit-verify --data-dir DIR [--database URL]`: the audit trail's chain, tree, tallies
/// and denial log checked offline against witnessed heads (docs/AUDIT.md); with `--database`
/// naming PostgreSQL the trail (chain and tree, against the heads kept in the database) and the
/// denial log checked are the ones kept there. The online checks (signed
/// heads, inclusion and consistency proofs) are `noproof audit head|prove|consistency`.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-verify",
        abstract: "Recompute the audit trail's hash chain and report the first edited, deleted or reordered record.",
        discussion: """
            Opens DIR/audit.sqlite read-only (the server may be running) and recomputes every record's chain hash \
            (docs/AUDIT.md), then the Merkle tree over them, and compares it with every signed tree head in each \
            --witness file (and those kept in the trail): a trail shorter than a witnessed head (records deleted) or \
            with another root at a head's size (records rewritten, even with every later hash recomputed) fails, naming \
            the records. Heads are checked with the audit public key (--audit-key, as published; else the key in \
            DIR/seals). The denial log's chain is checked too: DIR/units.sqlite's. With --database postgres://… the audit \
            trail, its signed heads, its supervision tallies and the denial log verified are those in that PostgreSQL \
            database (read only). Exit status 0 when \
            everything verifies, 1 naming the first break, 2 when the trail or the denial log cannot be read.
            """
    )

    @Option(name: .customLong("data-dir"), help: "The server's data folder (holding audit.sqlite). Required.")
    var dataDir: String?

    /// `--data-dir`, wherever ArgumentParser put it (`SubcommandDataFolder`).
    private func dataFolder() throws -> String {
        guard let folder = SubcommandDataFolder.resolve(dataDir) else { throw ValidationError("--data-dir DIR is required") }
        return folder
    }

    @Option(
        help: ArgumentHelp(
            "Verify the audit trail and the denial log kept in this PostgreSQL database (postgres://USER@HOST/DATABASE[?schema=NAME], as noproofd --database) instead of DIR's.",
            valueName: "URL"))
    var database: String?

    @Option(help: "A head published earlier (SEQUENCE:HEX, from the server log or `noproof stats`): the record at that sequence must still carry that hash.")
    var anchor: String?

    @Option(name: .customLong("witness"), help: "A witness file of signed tree heads (--audit-witness of noproofd); repeatable.")
    var witnesses: [String] = []

    @Option(
        name: .customLong("audit-key"), help: "The audit public key as published (64 hex digits, from `noproof audit head`); default: the key in DIR/seals.")
    var auditKey: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        var parsedAnchor: AuditHead?
        if let anchor {
            guard let parsed = AuditHead(parsing: anchor) else {
                throw ValidationError("--anchor takes SEQUENCE:HEX with 64 hex digits, e.g. 1042:9f86d0…")
            }
            parsedAnchor = parsed
        }
        let directory = URL(fileURLWithPath: try dataFolder(), isDirectory: true)
        let result: ChainVerification
        let tree: TreeVerification
        var headProblems: [String] = []
        var headsChecked = 0
        var tallies: (checked: Int, differences: [String]) = (0, [])
        var denials: (checked: Int, firstBreak: String?)?
        var denialsInPostgres = false
        /// Where the trail verified is, when in PostgreSQL (for the report).
        var trailInPostgres: String?
        do {
            let publicKey: [UInt8]?
            if let auditKey {
                guard let key = [UInt8](hex: auditKey), key.count == 32 else {
                    throw ValidationError("--audit-key takes the audit public key: 64 hex digits (noproof audit head prints it)")
                }
                publicKey = key
            } else {
                publicKey = try? AuditSigningKey.load(directory: directory.appendingPathComponent("seals")).publicKey
            }
            /// The heads to check the tree against: those kept beside the trail and the witnesses'.
            func signedHeads(kept: [SignedTreeHead], epochStart: Int64) throws -> [SignedTreeHead] {
                var heads = kept.filter { $0.timestampMillis >= epochStart }
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
                return heads
            }
            switch try DaemonDatabase(parsing: SubcommandDataFolder.resolve(database, option: "--database")) {
            case .embedded:
                let log = try AuditLog.openReadOnly(directory: directory)
                result = try log.verifyChain(anchor: parsedAnchor)
                let heads = try signedHeads(kept: try log.storedHeads(), epochStart: try await log.epochStartMillis())
                tree = try log.verifyTree(against: heads)
                tallies = try log.verifyTallies()
                denials = try DenialChain.verify(directory: directory)
            case .postgres(let url):
                (result, tree, tallies, trailInPostgres) = try await Self.verifyPostgresTrail(url: url, anchor: parsedAnchor) { kept, epochStart in
                    try signedHeads(kept: kept, epochStart: epochStart)
                }
                denials = try await Self.verifyPostgresDenials(url: url)
                denialsInPostgres = true
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("noproofd audit-verify: cannot verify the audit trail: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var treeBreaks: [String] = headProblems
        if let mismatch = tree.firstMismatch { treeBreaks.append("\(mismatch)") }
        if trailInPostgres != nil, let problem = tree.treeProblem { treeBreaks.append(problem) }
        treeBreaks += tallies.differences.map { "supervision tally differs from the records: \($0)" }
        if let broken = denials?.firstBreak { treeBreaks.append(broken) }
        if let range = tree.firstSubtreeMismatch {
            treeBreaks.append(
                "the stored tree over records \(range.lowerBound)–\(range.upperBound) differs from those records: one of them was rewritten after it was written"
            )
        }
        if json {
            struct Output: Encodable {
                var intact: Bool; var recordsChecked: Int; var headSequence: Int64; var headHash: String
                var firstBrokenSequence: Int64?; var reason: String?
                var treeSize: UInt64; var treeRoot: String; var signedHeadsChecked: Int; var signedHeadsMatched: Int; var treeBreaks: [String]
            }
            let output = Output(
                intact: result.isIntact && treeBreaks.isEmpty, recordsChecked: result.recordsChecked,
                headSequence: result.head.sequence, headHash: result.head.hashHex,
                firstBrokenSequence: result.firstBreak?.sequence, reason: result.firstBreak?.description,
                treeSize: tree.treeSize, treeRoot: tree.root.hex, signedHeadsChecked: headsChecked,
                signedHeadsMatched: tree.headsMatched, treeBreaks: treeBreaks)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else if let broken = result.firstBreak {
            print("audit chain BROKEN at sequence \(broken.sequence)")
            print("  \(broken)")
            print("records checked \(result.recordsChecked) (intact up to sequence \(result.head.sequence))")
            print("last good head  \(result.head)")
        } else {
            print("audit chain verifies\(trailInPostgres.map { " (\($0))" } ?? "")")
            print("records checked \(result.recordsChecked)")
            print("head            \(result.head)")
        }
        if !json {
            if treeBreaks.isEmpty {
                print("audit tree verifies: \(tree.treeSize) records, root \(tree.root.hex)")
                print(
                    "signed heads    \(headsChecked) checked, \(tree.headsMatched) matched\(witnesses.isEmpty ? " (no --witness given: only the heads kept in the trail)" : "")"
                )
                print("tallies         \(tallies.checked) supervision counters recomputed from the records: all match")
                if let denials { print("denial log      chain verifies (\(denials.checked) entries\(denialsInPostgres ? ", in PostgreSQL" : ""))") }
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

    /// The audit trail in PostgreSQL (`PostgresAuditTrail`): its chain and its tree against the
    /// heads kept in `audit_signed_head` (with the witnesses', `heads`). Read only, no migration, so
    /// noproofd may be serving the database meanwhile.
    private static func verifyPostgresTrail(
        url: String, anchor: AuditHead?, heads: ([SignedTreeHead], Int64) throws -> [SignedTreeHead]
    ) async throws -> (ChainVerification, TreeVerification, (checked: Int, differences: [String]), String) {
        let database: PostgresStoreDatabase
        do { database = try PostgresStoreDatabase.connect(url: url, maximumConnections: 1) } catch {
            throw ValidationError("--database: \(error.message)")
        }
        let place = "PostgreSQL \(database.url), schema \(database.schema)"
        do {
            let trail = PostgresAuditTrail.reader(database)
            let chain = try await trail.verifyChain(anchor: anchor)
            let checked = try heads(try await trail.storedHeads(limit: 100_000), try await trail.epochStartMillis())
            let tree = try await trail.verifyTree(against: checked)
            let tallies = try await trail.verifyTallies()
            await database.shutdown()
            return (chain, tree, tallies, place)
        } catch let error as ValidationError {
            await database.shutdown()
            throw error
        } catch {
            await database.shutdown()
            throw ConfigurationError("the audit trail in \(place): \(error)")
        }
    }

    /// The denial log's chain in PostgreSQL (`PostgresUnitStore.verifyDenialChain(in:)`): read only,
    /// no migration, so noproofd may be serving the database meanwhile.
    private static func verifyPostgresDenials(url: String) async throws -> (checked: Int, firstBreak: String?) {
        let database: PostgresStoreDatabase
        do { database = try PostgresStoreDatabase.connect(url: url, maximumConnections: 1) } catch {
            throw ValidationError("--database: \(error.message)")
        }
        do {
            let result = try await PostgresUnitStore.verifyDenialChain(in: database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw ConfigurationError("the denial log in PostgreSQL (\(database.url), schema \(database.schema)): \(error.message)")
        }
    }
}
