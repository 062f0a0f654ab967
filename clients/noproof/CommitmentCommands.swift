import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof commitment record|check|list|show`: notification-commitments (告知承诺, Art. 7, 12).
struct CommitmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commitment",
        abstract: "Notification-commitments (告知承诺): record them and their post-checks (Art. 7, 12).",
        discussion: """
            A unit records the applicant's commitment for a proof its published list obtains by commitment; the check \
            is due by the risk rule (high 7 days, medium 30, low 90; data folder file commitment-risk.json). The check \
            outcome is confirmed or found_false; found-false commitments and overdue checks are listed for the unit and \
            the task force office. A commitment by an applicant with an earlier commitment found false (at any unit) \
            prints a WARNING and is flagged: its risk is raised to high (checked within the high days, 7 standard). \
            Acting commands need --staff (or NOPROOF_STAFF).
            """,
        subcommands: [CommitmentRecordCommand.self, CommitmentCheckCommand.self, CommitmentListCommand.self, CommitmentShowCommand.self]
    )
}

struct CommitmentRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record the applicant's commitment instead of a proof.",
        discussion:
            "Example (civil affairs, subsistence allowance, residence proof by commitment):\n  noproof commitment record --holder 370404199306107807 --item MZ-DB-001 --case DB-1 --proof JZZM --channel app --text '本人承诺…' --staff agent-0001"
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Option(help: "The applicant's resident ID or credit code.") var holder: String
    @Option(help: "The applicant's name.") var holderName: String = ""
    @Option(name: .customLong("item"), help: "Service item code of your list.") var itemCode: String
    @Option(name: .customLong("case"), help: "Your case reference.") var caseReference: String
    @Option(help: "The proof the commitment replaces (the item must list it as obtained by commitment).") var proof: String
    @Option(help: "The commitment text shown to the applicant.") var text: String
    @Option(help: "counter_face_check, app or online.") var channel: String
    func run() async throws {
        let request = APIRecordCommitmentRequest(
            holderID: holder, holderName: holderName, itemCode: itemCode, caseReference: caseReference,
            proofType: proof, text: text, channel: channel)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in try await client.recordCommitment(request, staff: staffID) }
        if let c = answer.commitment {
            // Commitments with memory: the warning comes first, so the clerk cannot miss it.
            if !c.warning.isEmpty && !connection.json { print("WARNING: \(c.warning)") }
            try OversightPrinter.print(
                "commitment \(c.commitmentID) recorded; check due \(OversightPrinter.t(c.checkDueAtMillis)) (risk \(c.riskLevel))"
                    + (c.earlierFalseCommitments.isEmpty ? "" : "  [FLAGGED FOR POST-CHECK: earlier commitment found false]"),
                OversightPrinter.fields(c), replayed: answer.replayed, json: connection.json)
        }
    }
}

struct CommitmentCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Record the post-check: confirmed or found_false.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Commitment id (CM-...).") var id: String
    @Option(help: "confirmed or found_false.") var outcome: String
    @Option(help: "Evidence notes (required for found_false).") var evidence: String = ""
    func run() async throws {
        let (id, outcome, evidence, staffID) = (id, outcome, evidence, staff.resolved)
        let answer = try await connection.withClient { client in
            try await client.checkCommitment(id: id, outcome: outcome, evidence: evidence, staff: staffID)
        }
        if let c = answer.commitment {
            let title =
                c.checkOutcome == "found_false"
                ? "commitment \(c.commitmentID) FOUND FALSE: flagged for the unit and the task force office"
                : "commitment \(c.commitmentID) \(c.checkOutcome)"
            try OversightPrinter.print(title, OversightPrinter.fields(c), replayed: answer.replayed, json: connection.json)
        }
    }
}

struct CommitmentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Commitments: all, unchecked, overdue checks or found false.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "all, unchecked, overdue or found_false.") var filter: String = "all"
    @Option(help: "Task force office: one unit's credit code (default: all units).") var unit: String = ""
    @Option(help: "At most this many (default 100).") var limit: UInt32 = 0
    func run() async throws {
        let (unit, filter, limit) = (unit, filter, limit)
        let found = try await connection.withClient { client in try await client.commitments(unitCode: unit, filter: filter, limit: limit) }
        try OversightPrinter.printList(found, empty: "no commitments", json: connection.json, fields: OversightPrinter.fields, line: OversightPrinter.line)
    }
}

struct CommitmentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One commitment.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Commitment id (CM-...).") var id: String
    func run() async throws {
        let id = self.id
        let answer = try await connection.withClient { client in try await client.commitment(id: id) }
        if let c = answer.commitment {
            try OversightPrinter.print("commitment \(c.commitmentID)", OversightPrinter.fields(c), replayed: false, json: connection.json)
        }
    }
}
