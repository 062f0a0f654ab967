import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof ledger add|list|export`: the voluntary-proof ledger (台账, Art. 2).
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The voluntary-proof ledger (台账): paper proofs applicants volunteered (Art. 2).",
        discussion: """
            Each entry records what the unit's published list says of that proof for the item; entries for proofs the \
            list says NOT to ask for (anything but excluded) are what supervision flags. A unit sees its own ledger; the \
            task force office every unit's (--unit to pick one).
            """,
        subcommands: [LedgerAddCommand.self, LedgerListCommand.self, LedgerExportCommand.self]
    )
}

/// --unit, --from, --to of the ledger listings.
struct LedgerPeriodOptions: ParsableArguments {
    @Option(help: "Task force office: one unit's credit code (default: all units).") var unit: String = ""
    @Option(help: "Period start: a date (UTC+8) or ISO 8601 time.") var from: String?
    @Option(help: "Period end (exclusive).") var to: String?
    @Option(help: "At most this many (default 1000).") var limit: UInt32 = 0

    func request() throws -> APIListLedgerRequest {
        APIListLedgerRequest(
            unitCode: unit, fromMillis: try OversightPrinter.millis(from, option: "--from"),
            toMillis: try OversightPrinter.millis(to, option: "--to"), limit: limit)
    }
}

struct LedgerAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a paper proof the applicant volunteered.",
        discussion: "Example:\n  noproof ledger add --holder 370404199306107807 --item MZ-HY-001 --case HY-9 --proof HKB --proof-name 户口簿复印件 --staff agent-0001"
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Option(help: "The applicant's resident ID or credit code.") var holder: String
    @Option(help: "The applicant's name.") var holderName: String = ""
    @Option(name: .customLong("item"), help: "Service item code of your list.") var itemCode: String
    @Option(name: .customLong("case"), help: "Your case reference.") var caseReference: String
    @Option(help: "Proof type code of what was volunteered.") var proof: String
    @Option(help: "What it is (default: the list's name for it).") var proofName: String = ""
    @Option(help: "Note.") var note: String = ""
    func run() async throws {
        let request = APIAddLedgerEntryRequest(
            holderID: holder, holderName: holderName, itemCode: itemCode, caseReference: caseReference,
            proofType: proof, proofName: proofName, note: note)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in try await client.addLedgerEntry(request, staff: staffID) }
        if let e = answer.entry {
            try OversightPrinter.print("ledger entry \(e.entryID) recorded", OversightPrinter.fields(e), replayed: answer.replayed, json: connection.json)
        }
    }
}

struct LedgerListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Ledger entries of a period, oldest first.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var period: LedgerPeriodOptions
    @Flag(help: "Print CSV (as 'export').") var csv = false
    func run() async throws {
        let request = try period.request()
        let entries = try await connection.withClient { client in try await client.ledger(request) }
        if csv { return try LedgerExportCommand.write(entries, to: nil) }
        try OversightPrinter.printList(entries, empty: "no ledger entries", json: connection.json, fields: OversightPrinter.fields, line: OversightPrinter.line)
    }
}

struct LedgerExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Ledger entries of a period as CSV (for inspection).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var period: LedgerPeriodOptions
    @Flag(help: "CSV (the only format; accepted for clarity).") var csv = false
    @Option(help: "Write to this file instead of standard output.") var output: String?
    func run() async throws {
        let request = try period.request()
        let entries = try await connection.withClient { client in try await client.ledger(request) }
        try Self.write(entries, to: output)
        if let output { FileHandle.standardError.write(Data("wrote \(entries.count) entries to \(output)\n".utf8)) }
    }

    static func write(_ entries: [APILedgerEntryRecord], to path: String?) throws {
        let text = ([OversightPrinter.csvHeader] + entries.map(OversightPrinter.csv)).joined(separator: "\n") + "\n"
        if let path {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("--output: cannot write \(path): \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
    }
}
