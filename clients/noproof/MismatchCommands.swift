import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol

/// `noproof mismatch open|supplement|reverify|appeal|show|list`: mismatch cases and appeals (Art. 11).
struct MismatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mismatch",
        abstract: "Mismatch cases (Art. 11): declared vs fetched facts, supplementary material, re-verification, appeals.",
        discussion: """
            The unit that fetched the facts opens the case (linking the proof serial or audit sequence of its lookup, \
            or its verification request), asks for and records supplementary material, and records the applicant's \
            administrative review (行政复议) and its outcome. Only the issuing unit re-verifies; its finding prevails.
            States: open → awaiting_supplement → supplement_received → resolved → appealed → appeal_decided \
            (re-verification may also follow 'open' directly).
            record_corrected (by the issuing unit's staff signed in with their own credential) amends the licence to the \
            --corrected values, issues the opening unit a corrected proof (verification seal, serial C-<case>-V<version>) \
            and tells every unit that fetched the old version: 'noproof mismatch notices'.
            """,
        subcommands: [
            MismatchOpenCommand.self, MismatchSupplementCommand.self, MismatchReverifyCommand.self, MismatchAppealCommand.self,
            MismatchShowCommand.self, MismatchListCommand.self, MismatchNoticesCommand.self,
        ]
    )

    static func show(_ answer: APIMismatchResponse, json: Bool) throws {
        guard let m = answer.mismatch else { return }
        try OversightPrinter.print("mismatch \(m.mismatchID): \(m.status)", OversightPrinter.fields(m), replayed: answer.replayed, json: json)
    }
}

struct MismatchOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a case: fetched facts differ from what the applicant declared.",
        discussion:
            "Example:\n  noproof mismatch open --issuing-unit 12370000495570452X --holder 370404199306107807 --item MZ-HY-001 --case HY-7 --proof XWZS --proof-serial P...-1 --declared degree=硕士 --fetched degree=学士 --staff agent-0001"
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Option(help: "The issuing unit whose record was fetched (credit code).") var issuingUnit: String
    @Option(help: "The applicant's resident ID or credit code.") var holder: String
    @Option(name: .customLong("item"), help: "Service item code.") var itemCode: String
    @Option(name: .customLong("case"), help: "Your case reference.") var caseReference: String
    @Option(help: "Proof type code.") var proof: String
    @Option(help: "Link: the proof serial of the lookup.") var proofSerial: String = ""
    @Option(help: "Link: the audit sequence of your lookup.") var auditSequence: Int64 = 0
    @Option(help: "Link: your verification request id (VR-...).") var verificationRequest: String = ""
    @Option(help: "What the applicant declared, KEY=VALUE (repeatable).") var declared: [String] = []
    @Option(help: "What was fetched, KEY=VALUE (repeatable; same keys as --declared).") var fetched: [String] = []
    func run() async throws {
        let declaredPairs = try OversightPrinter.pairs(declared, option: "--declared")
        let fetchedValues = Dictionary(try OversightPrinter.pairs(fetched, option: "--fetched"), uniquingKeysWith: { a, _ in a })
        let facts = try declaredPairs.map { key, value in
            guard let got = fetchedValues[key] else { throw ValidationError("--fetched: give the fetched value of \(key) (--fetched \(key)=...)") }
            return APIMismatchFact(key: key, declared: value, fetched: got)
        }
        let request = APIOpenMismatchRequest(
            issuingUnitCode: issuingUnit, holderID: holder, itemCode: itemCode, caseReference: caseReference,
            proofType: proof, proofSerial: proofSerial, auditSequence: auditSequence,
            verificationRequestID: verificationRequest, facts: facts)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in try await client.openMismatch(request, staff: staffID) }
        try MismatchCommand.show(answer, json: connection.json)
    }
}

struct MismatchSupplementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supplement", abstract: "Ask the applicant for supplementary material (--request), or record it (--received).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Mismatch id (MM-...).") var id: String
    @Option(help: "What the applicant is asked to supply.") var request: String?
    @Option(help: "The material the applicant supplied.") var received: String?
    func validate() throws {
        guard (request == nil) != (received == nil) else { throw ValidationError("give either --request or --received") }
    }
    func run() async throws {
        let (id, staffID) = (id, staff.resolved)
        let method = request != nil ? OversightMethods.requestSupplement : OversightMethods.recordSupplement
        let text = request ?? received ?? ""
        let answer = try await connection.withClient { client in
            try await client.oversight(method, APIMismatchSupplementRequest(mismatchID: id, text: text), as: APIMismatchResponse.self, staff: staffID)
        }
        try MismatchCommand.show(answer, json: connection.json)
    }
}

struct MismatchReverifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverify", abstract: "The issuing unit: record its finding after re-verification (it prevails).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Mismatch id (MM-...).") var id: String
    @Option(help: "record_stands or record_corrected.") var finding: String
    @Option(help: "What the issuing unit found.") var note: String
    @Option(help: "record_corrected: the corrected value, KEY=VALUE (repeatable).") var corrected: [String] = []
    func run() async throws {
        let values = try OversightPrinter.pairs(corrected, option: "--corrected").map { APILicenceField(key: $0.0, value: $0.1) }
        let request = APIReverifyMismatchRequest(mismatchID: id, finding: finding, note: note, corrected: values)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in
            try await client.oversight(OversightMethods.reverify, request, as: APIMismatchResponse.self, staff: staffID)
        }
        try MismatchCommand.show(answer, json: connection.json)
    }
}

struct MismatchAppealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeal", abstract: "Record the applicant's administrative review (--reference), then its outcome (--outcome).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Mismatch id (MM-...).") var id: String
    @Option(help: "The review's reference (to record the appeal).") var reference: String = ""
    @Option(help: "upheld, overturned or withdrawn (to record the decision).") var outcome: String = ""
    @Option(help: "Note on the decision.") var note: String = ""
    func validate() throws {
        guard reference.isEmpty != outcome.isEmpty else { throw ValidationError("give either --reference (the appeal) or --outcome (its decision)") }
    }
    func run() async throws {
        let request = APIAppealMismatchRequest(mismatchID: id, reference: reference, outcome: outcome, note: note)
        let staffID = staff.resolved
        let answer = try await connection.withClient { client in
            try await client.oversight(OversightMethods.appeal, request, as: APIMismatchResponse.self, staff: staffID)
        }
        try MismatchCommand.show(answer, json: connection.json)
    }
}

struct MismatchShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One mismatch case.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Mismatch id (MM-...).") var id: String
    func run() async throws {
        let id = self.id
        let answer = try await connection.withClient { client in try await client.mismatch(id: id) }
        try MismatchCommand.show(answer, json: connection.json)
    }
}

struct MismatchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Cases the unit opened or must re-verify, newest first (task force office: all).")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "At most this many (default 100).") var limit: UInt32 = 0
    func run() async throws {
        let limit = self.limit
        let found = try await connection.withClient { client in try await client.mismatches(limit: limit) }
        try OversightPrinter.printList(found, empty: "no mismatch cases", json: connection.json, fields: OversightPrinter.fields, line: OversightPrinter.line)
    }
}

struct MismatchNoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Correction notices: records corrected after a mismatch case that this unit fetched (or whose case it raised), newest first.",
        discussion: """
            With --watch: the stored notices (oldest first), then each new one as it is written, until interrupted (Ctrl-C); \
            --json prints one JSON object per line. No --timeout applies to the watch; when the connection is lost (server \
            restart, GOAWAY) it reconnects and prints the stored notices again (the notice id tells a repeat).
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The task force office: one unit's notices (default: every unit's).") var unit: String = ""
    @Option(help: "At most this many (default 100).") var limit: UInt32 = 0
    @Flag(help: "Keep watching: print each new notice as it is written.") var watch = false
    func run() async throws {
        let (unit, limit, json) = (unit, limit, connection.json)
        if watch {
            try await connection.followStream(
                endsOnItsOwn: false,
                { client, _ in
                    client.watchCorrectionNotices(unitCode: unit, includeExisting: true, limit: limit)
                },
                each: { notice in
                    if json {
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                        print(String(decoding: try encoder.encode(OversightPrinter.jsonObject(OversightPrinter.fields(notice))), as: UTF8.self))
                    } else {
                        print(OversightPrinter.line(notice))
                    }
                })
            return
        }
        let found = try await connection.withClient { client in try await client.correctionNotices(unitCode: unit, limit: limit) }
        try OversightPrinter.printList(
            found, empty: "no correction notices", json: connection.json, fields: OversightPrinter.fields,
            line: OversightPrinter.line)
    }
}
