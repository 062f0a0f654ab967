import ArgumentParser
import Foundation
import NoProofStore

/// `noproof audit verify --data-dir DIR`: offline check of the audit trail's hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: verify its hash chain (offline, on the server's data folder).",
        subcommands: [AuditVerifyCommand.self]
    )
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail's hash chain and report the first edited, deleted or reordered record.",
        discussion: """
        Opens DIR/audit.sqlite read-only (the server may be running) and recomputes every record's chain hash \
        (docs/AUDIT.md). Prints the records checked and the chain head (SEQUENCE:HASH, the form --anchor takes). \
        Exit status 0 when the chain verifies, 1 with the first broken sequence when it does not, 2 when the \
        trail cannot be read.
        """
    )

    @Option(name: .customLong("data-dir"), help: "The server's data folder (holding audit.sqlite).")
    var dataDir: String

    @Option(help: "A head published earlier (SEQUENCE:HEX, from the server log or `noproof stats`): the record at that sequence must still carry that hash.")
    var anchor: String?

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
        let result: ChainVerification
        do {
            let log = try AuditLog.openReadOnly(directory: URL(fileURLWithPath: dataDir, isDirectory: true))
            result = try log.verifyChain(anchor: parsedAnchor)
        } catch {
            FileHandle.standardError.write(Data("noproof: cannot verify the audit trail: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            struct Output: Encodable {
                var intact: Bool; var recordsChecked: Int; var headSequence: Int64; var headHash: String
                var firstBrokenSequence: Int64?; var reason: String?
            }
            let output = Output(intact: result.isIntact, recordsChecked: result.recordsChecked, headSequence: result.head.sequence,
                                headHash: result.head.hashHex, firstBrokenSequence: result.firstBreak?.sequence,
                                reason: result.firstBreak?.description)
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
        if !result.isIntact { throw ExitCode(1) }
    }
}
