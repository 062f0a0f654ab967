import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol

/// `noproof complaint file|route|answer|close|list|show`: complaints and reports (Art. 18).
struct ComplaintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint",
        abstract: "Complaints (Art. 18): the task force office registers, routes and closes; the unit answers.",
        discussion: """
            Channels: complaint_platform, review (好差评), letter, email, hotline_12345. Breach types (Art. 16): \
            refused_to_verify, demanded_no_proof_item, did_not_use_system, false_proof_content, seal_misuse, \
            no_legal_basis, missing_or_stale_list, other. States: registered → routed → answered → closed.
            """,
        subcommands: [
            ComplaintFileCommand.self, ComplaintRouteCommand.self, ComplaintAnswerCommand.self, ComplaintCloseCommand.self,
            ComplaintListCommand.self, ComplaintShowCommand.self,
        ]
    )

    static func show(_ answer: APIComplaintResponse, json: Bool) throws {
        guard let c = answer.complaint else { return }
        try OversightPrinter.print("complaint \(c.complaintID): \(c.status)", OversightPrinter.fields(c), replayed: answer.replayed, json: json)
    }
}

struct ComplaintFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "The task force office registers a complaint.",
        discussion:
            "Example:\n  noproof complaint file --channel hotline_12345 --reference 12345-0001 --unit 91370400MA3C7WX81 --breach demanded_no_proof_item --summary '…' --staff agent-0001"
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Option(help: "complaint_platform, review, letter, email or hotline_12345.") var channel: String
    @Option(help: "The channel's own reference (ticket, letter number, review id).") var reference: String
    @Option(help: "The unit complained about (credit code).") var unit: String
    @Option(help: "The Art. 16 breach type.") var breach: String
    @Option(help: "What the complainant reports.") var summary: String
    @Option(help: "Who complained and how to reach them.") var complainant: String = ""
    @Option(help: "A related record id (repeatable).") var link: [String] = []
    func run() async throws {
        let request = APIFileComplaintRequest(
            channel: channel, channelReference: reference, unitCode: unit, breachType: breach, summary: summary,
            complainant: complainant, linkedRecords: link)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in try await client.fileComplaint(request, staff: staffID) }
        try ComplaintCommand.show(answer, json: connection.json)
    }
}

struct ComplaintRouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route", abstract: "The task force office routes a complaint to a unit.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Complaint id (CP-...).") var id: String
    @Option(help: "The unit that must answer (default: the unit complained about).") var unit: String = ""
    func run() async throws {
        let (request, staffID) = (APIRouteComplaintRequest(complaintID: id, unitCode: unit), staff.resolved)
        let answer = try await connection.withClient { client in
            try await client.oversight(OversightMethods.routeComplaint, request, as: APIComplaintResponse.self, staff: staffID)
        }
        try ComplaintCommand.show(answer, json: connection.json)
    }
}

struct ComplaintAnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "answer", abstract: "The unit answers a complaint routed to it.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Complaint id (CP-...).") var id: String
    @Option(help: "The answer.") var answer: String
    func run() async throws {
        let (request, staffID) = (APIAnswerComplaintRequest(complaintID: id, answer: answer), staff.resolved)
        let response = try await connection.withClient { client in
            try await client.oversight(OversightMethods.answerComplaint, request, as: APIComplaintResponse.self, staff: staffID)
        }
        try ComplaintCommand.show(response, json: connection.json)
    }
}

struct ComplaintCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "The task force office closes an answered complaint.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Complaint id (CP-...).") var id: String
    @Flag(help: "The complaint was substantiated (default: not).") var substantiated = false
    @Option(help: "Closing note.") var note: String = ""
    func run() async throws {
        let (request, staffID) = (APICloseComplaintRequest(complaintID: id, substantiated: substantiated, note: note), staff.resolved)
        let answer = try await connection.withClient { client in
            try await client.oversight(OversightMethods.closeComplaint, request, as: APIComplaintResponse.self, staff: staffID)
        }
        try ComplaintCommand.show(answer, json: connection.json)
    }
}

struct ComplaintListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Complaints routed to the unit (task force office: all), newest first.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Task force office: complaints routed to this unit.") var unit: String = ""
    @Option(help: "registered, routed, answered or closed.") var status: String = ""
    @Option(help: "At most this many (default 100).") var limit: UInt32 = 0
    func run() async throws {
        let (unit, status, limit) = (unit, status, limit)
        let found = try await connection.withClient { client in try await client.complaints(unitCode: unit, status: status, limit: limit) }
        try OversightPrinter.printList(found, empty: "no complaints", json: connection.json, fields: OversightPrinter.fields, line: OversightPrinter.line)
    }
}

struct ComplaintShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One complaint.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Complaint id (CP-...).") var id: String
    func run() async throws {
        let id = self.id
        let answer = try await connection.withClient { client in try await client.complaint(id: id) }
        try ComplaintCommand.show(answer, json: connection.json)
    }
}

/// `noproof oversight-counts`: one unit's figures for a period.
struct OversightCountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oversight-counts",
        abstract: "A unit's oversight figures for a period: commitments and checks, ledger, mismatches, appeals, complaints by breach type.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The unit (default: your own; other units: task force office only).") var unit: String = ""
    @Option(help: "Period start (default: 30 days before --to).") var from: String?
    @Option(help: "Period end, exclusive (default: now).") var to: String?
    @Option(help: "Count overdue checks as of this time (default: now).") var asOf: String?
    func run() async throws {
        let request = APIOversightCountsRequest(
            unitCode: unit, fromMillis: try OversightPrinter.millis(from, option: "--from"),
            toMillis: try OversightPrinter.millis(to, option: "--to"),
            asOfMillis: try OversightPrinter.millis(asOf, option: "--as-of"))
        let c = try await connection.withClient { client in try await client.oversightCounts(request) }
        let fields: OversightPrinter.Fields =
            [
                ("unit", c.unitCode), ("period", "\(OversightPrinter.t(c.fromMillis)) to \(OversightPrinter.t(c.toMillis))"),
                ("as of", OversightPrinter.t(c.asOfMillis)),
                ("commitments recorded", "\(c.commitmentsRecorded)"), ("checks confirmed", "\(c.checksConfirmed)"),
                ("checks found false", "\(c.checksFoundFalse)"), ("checks overdue", "\(c.checksOverdue)"),
                ("ledger entries", "\(c.ledgerEntries)"), ("  not to be asked for", "\(c.ledgerEntriesNotToBeAskedFor)"),
                ("mismatches opened", "\(c.mismatchesOpened)"), ("mismatches resolved", "\(c.mismatchesResolved)"),
                ("appeals filed", "\(c.appealsFiled)"), ("appeals decided", "\(c.appealsDecided)"),
                ("complaints", "\(c.complaints.reduce(0) { $0 + $1.count })"),
            ] + c.complaints.map { ("  \($0.breachType)", "\($0.count)") }
        try OversightPrinter.print("oversight figures", fields, replayed: false, json: connection.json)
    }
}
