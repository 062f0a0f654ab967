import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof verify-request file|list|filed|watch|take|answer|return|refile|show|follow`:
/// department verification (部门核验, Art. 10) from both units' terminals.
struct VerifyRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-request",
        abstract: "Department verification (部门核验): file, work and follow requests between units (Art. 10).",
        discussion: """
            The requesting unit files (the item of its list must obtain the proof by department verification \
            from that unit), shows or follows its request, and re-files a returned one. The issuing unit's agents \
            (代办员) and supervisor (督办员) list or watch their queue, take, answer and return. Acting commands \
            need --staff (or NOPROOF_STAFF).
            """,
        subcommands: [
            VerifyFileCommand.self, VerifyListCommand.self, VerifyFiledCommand.self, VerifyWatchCommand.self, VerifyTakeCommand.self,
            VerifyAnswerCommand.self, VerifyReturnCommand.self, VerifyRefileCommand.self, VerifyShowCommand.self, VerifyFollowCommand.self,
        ]
    )
}

/// Readable and JSON forms of verification requests.
enum VerificationPrinter {
    struct Output: Encodable {
        var requestID, status, requestingUnit, issuingUnit, proofType, holderID, holderName, itemCode, caseReference, itemKind: String
        var deadlineRule, filedAt, filedBy, answerBy, returnBy: String
        var escalationBy, takenBy, overdueAt, secondBreachAt, finishedAt, finishedBy, outcome, note, returnReason, suggestedUnit: String?
        var refiledFrom, refiledAs, promisedCompletionAt, deadlineNote: String?
        var finishedLate: Bool
        var declared: [String: String]
        var checks: [String: String]
        var verificationSeconds, itemProcessingSeconds: Double
        var proof: ProofPrinter.ProofOutput?
    }

    static func output(_ r: APIVerificationRecord) -> Output {
        func opt(_ s: String) -> String? { s.isEmpty ? nil : s }
        let proof: ProofPrinter.ProofOutput? = r.proof.flatMap { sealed in
            (try? ProtoCodec.decode(APIProofBody.self, from: sealed.body)).map { ProofPrinter.output(sealed, $0) }
        }
        return Output(
            requestID: r.requestID, status: r.status, requestingUnit: "\(r.requestingUnitName) (\(r.requestingUnitCode))",
            issuingUnit: "\(r.issuingUnitName) (\(r.issuingUnitCode))", proofType: r.proofType, holderID: r.holderID, holderName: r.holderName,
            itemCode: r.purpose?.itemCode ?? "", caseReference: r.purpose?.caseReference ?? "", itemKind: r.itemKind,
            deadlineRule: r.deadlineRule, filedAt: ListPrinter.time(r.filedAtMillis) ?? "", filedBy: r.filedBy,
            answerBy: ListPrinter.time(r.answerByMillis) ?? "", returnBy: ListPrinter.time(r.returnByMillis) ?? "",
            escalationBy: ListPrinter.time(r.escalationByMillis), takenBy: opt(r.takenBy), overdueAt: ListPrinter.time(r.overdueAtMillis),
            secondBreachAt: ListPrinter.time(r.secondBreachAtMillis), finishedAt: ListPrinter.time(r.finishedAtMillis),
            finishedBy: opt(r.finishedBy), outcome: opt(r.outcome), note: opt(r.note), returnReason: opt(r.returnReason),
            suggestedUnit: opt(r.suggestedUnitCode), refiledFrom: opt(r.refiledFrom), refiledAs: opt(r.refiledAs),
            promisedCompletionAt: ListPrinter.time(r.promisedCompletionAtMillis), deadlineNote: opt(r.deadlineNote), finishedLate: r.finishedLate,
            declared: Dictionary(r.declared.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
            checks: Dictionary(r.checks.map { ($0.key, "\($0.result)") }, uniquingKeysWith: { a, _ in a }),
            verificationSeconds: Double(r.verificationMillis) / 1000, itemProcessingSeconds: Double(r.itemProcessingMillis) / 1000,
            proof: proof
        )
    }

    static func line(_ r: APIVerificationRecord) -> String {
        var flags: [String] = []
        if r.overdueAtMillis != 0 { flags.append("OVERDUE") }
        if r.secondBreachAtMillis != 0 { flags.append("SECOND BREACH") }
        if r.finishedLate { flags.append("late") }
        let by =
            r.status == "escalated"
            ? "supervisor by \(ListPrinter.time(r.escalationByMillis) ?? "-")" : "answer by \(ListPrinter.time(r.answerByMillis) ?? "-")"
        return
            "\(r.requestID)  \(r.status.padding(toLength: 9, withPad: " ", startingAt: 0))  \(r.proofType)  holder=\(r.holderID)  item=\(r.purpose?.itemCode ?? "")  case=\(r.purpose?.caseReference ?? "")  from=\(r.requestingUnitCode)  to=\(r.issuingUnitCode)  \(by)\(r.takenBy.isEmpty ? "" : "  taken by \(r.takenBy)")\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")"
    }

    static func show(_ r: APIVerificationRecord, replayed: Bool = false, json: Bool) throws {
        if json {
            try printJSON(output(r))
            return
        }
        let o = output(r)
        print("request \(o.requestID): \(o.status)\(replayed ? " (unchanged: this was a retry)" : "")")
        print("  from:        \(o.requestingUnit), filed \(o.filedAt) by \(o.filedBy)")
        print("  to:          \(o.issuingUnit)")
        print("  proof:       \(o.proofType) of \(o.holderID)\(o.holderName.isEmpty ? "" : " (\(o.holderName))")")
        print("  purpose:     item \(o.itemCode) (\(o.itemKind)), case \(o.caseReference)")
        if !o.declared.isEmpty { print("  declared:    " + o.declared.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
        print(
            "  rule:        \(o.deadlineRule); answer by \(o.answerBy), return by \(o.returnBy)\(o.promisedCompletionAt.map { "; item promised by \($0)" } ?? "")"
        )
        if let note = o.deadlineNote { print("  NOTE:        \(note)") }
        if let by = o.takenBy { print("  taken by:    \(by)") }
        if let at = o.overdueAt { print("  OVERDUE at \(at): escalated to the supervisor (督办员), finish by \(o.escalationBy ?? "-")") }
        if let at = o.secondBreachAt { print("  SECOND BREACH at \(at): the supervisor's 30 minutes passed too") }
        if let at = o.finishedAt { print("  finished:    \(at) by \(o.finishedBy ?? "-")\(o.finishedLate ? " (LATE)" : "")") }
        if let outcome = o.outcome { print("  outcome:     \(outcome)\(o.note.map { " — \($0)" } ?? "")") }
        if !o.checks.isEmpty { print("  declared vs record: " + o.checks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
        if let reason = o.returnReason { print("  returned:    \(reason); suggested unit \(o.suggestedUnit ?? "-")") }
        if let from = o.refiledFrom { print("  re-filed from \(from)") }
        if let to = o.refiledAs { print("  re-filed as \(to)") }
        print("  time:        verification \(duration(o.verificationSeconds)); item processing (excluding verification) \(duration(o.itemProcessingSeconds))")
        if let proof = o.proof {
            print(
                "  sealed proof (\(proof.seal), key \(proof.keyID)): extracted by \(proof.extractingUnit), produced by \(proof.producingUnit), at \(proof.extractedAt)"
            )
            if let licence = proof.licence {
                print("    " + licence.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
            }
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }

    static func event(_ e: APIVerificationEvent, json: Bool) throws {
        guard let r = e.request else { return }
        if json {
            struct Event: Encodable { var kind, at: String; var request: Output }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Event(kind: e.kind, at: ListPrinter.time(e.atMillis) ?? "", request: output(r))), as: UTF8.self))
        } else {
            print("\(ListPrinter.time(e.atMillis) ?? "-")  \(e.kind.uppercased())  \(line(r))")
        }
        fflush(nil)
    }

    /// NAME=VALUE pairs.
    static func fields(_ pairs: [String], option: String) throws -> [APILicenceField] {
        try pairs.map { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("\(option) takes KEY=VALUE, got '\(pair)'") }
            return APILicenceField(key: String(pair[..<eq]), value: String(pair[pair.index(after: eq)...]))
        }
    }
}

struct VerifyFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "The requesting unit: ask the issuing unit to verify a proof.",
        discussion:
            "Example (civil affairs asks Zaozhuang University about a degree for marriage registration):\n  noproof verify-request file --to 12370000495570452X --proof XWZS --holder <ID> --item MZ-HY-001 --case HY-1 --declare degree=学士 --staff agent-0001"
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Option(help: "Issuing unit's unified social credit code.") var to: String
    @Option(help: "Proof type code, e.g. XWZS.") var proof: String
    @Option(help: "The applicant's resident ID or credit code.") var holder: String
    @Option(help: "The applicant's name.") var holderName: String = ""
    @Option(name: .customLong("item"), help: "Service item code (事项) of your list the proof is for.") var itemCode: String
    @Option(name: .customLong("case"), help: "Your case reference.") var caseReference: String
    @Option(name: .customLong("declare"), help: "A fact the applicant declared, KEY=VALUE (repeatable).") var declared: [String] = []
    @Option(
        help:
            "Deprecated: the server computes the promised completion time from your published item. If given (ISO 8601), it must agree with that time within a minute, or the filing is refused naming it."
    ) var promisedBy: String?
    @Option(help: "Idempotency key (default: a new UUID; reuse it to retry safely).") var key: String?

    func run() async throws {
        var request = APIFileVerificationRequest(
            requestKey: key ?? UUID().uuidString, issuingUnitCode: to, proofType: proof, holderID: holder, holderName: holderName,
            declared: try VerificationPrinter.fields(declared, option: "--declare"),
            purpose: APIPurpose(itemCode: itemCode, caseReference: caseReference)
        )
        if let promisedBy {
            guard let date = ISO8601DateFormatter().date(from: promisedBy) else {
                throw ValidationError("--promised-by: ISO 8601 time, e.g. 2026-03-02T17:00:00+08:00")
            }
            request.promisedCompletionAtMillis = Int64(date.timeIntervalSince1970 * 1000)
            FileHandle.standardError.write(
                Data(
                    "warning: --promised-by is deprecated: the server computes the promised completion time from the item's published promised time, and refuses a different one\n"
                        .utf8))
        }
        let (staffID, filing) = (staff.resolved, request)
        let answer = try await connection.withClient { client in try await client.fileVerification(filing, staff: staffID) }
        if let record = answer.request { try VerificationPrinter.show(record, replayed: answer.replayed, json: connection.json) }
    }
}

struct VerifyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The issuing unit: requests in its queue (oldest first).")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Include answered and returned requests.") var all = false
    func run() async throws {
        let all = self.all
        let requests = try await connection.withClient { client in try await client.verificationQueue(includeFinished: all) }
        if connection.json { try printJSON(requests.map(VerificationPrinter.output)); return }
        if requests.isEmpty { print("the queue is empty") }
        for r in requests { print(VerificationPrinter.line(r)) }
    }
}

struct VerifyFiledCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "filed", abstract: "The requesting unit: requests it filed (newest first).")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Include answered and returned requests.") var all = false
    func run() async throws {
        let all = self.all
        let requests = try await connection.withClient { client in try await client.filedVerifications(includeFinished: all) }
        if connection.json { try printJSON(requests.map(VerificationPrinter.output)); return }
        if requests.isEmpty { print("no open requests") }
        for r in requests { print(VerificationPrinter.line(r)) }
    }
}

struct VerifyWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "The issuing unit: follow the queue (agents: new and overdue; supervisor: new, escalated, second breach).",
        discussion: """
            Prints the open requests first, then one line per event, until interrupted (Ctrl-C). --json prints one JSON object per line. \
            No --timeout applies to the watch; when the connection is lost (server restart, GOAWAY) it reconnects and prints the open requests again.
            """
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Flag(help: "Do not print the open requests first.") var newOnly = false
    func run() async throws {
        let (staffID, includeOpen, json) = (staff.resolved, !newOnly, connection.json)
        // After a reconnection the open requests are listed again: events missed meanwhile show there.
        try await connection.followStream(
            endsOnItsOwn: false,
            { client, attempt in
                client.watchVerificationQueue(includeOpen: includeOpen || attempt > 0, staff: staffID)
            }, each: { event in try VerificationPrinter.event(event, json: json) })
    }
}

struct VerifyFollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow", abstract: "Either unit: follow one request until it is answered or returned.",
        discussion: "No --timeout applies; when the connection is lost (server restart, GOAWAY) it reconnects and follows the request again."
    )
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Request id (VR-...).") var requestID: String
    func run() async throws {
        let (id, json) = (requestID, connection.json)
        try await connection.followStream(
            endsOnItsOwn: true, { client, _ in client.watchVerification(id: id) },
            each: { event in try VerificationPrinter.event(event, json: json) })
    }
}

struct VerifyTakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "take", abstract: "The issuing unit: take a request from the queue.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Request id (VR-...).") var requestID: String
    func run() async throws {
        let (id, staffID) = (requestID, staff.resolved)
        let answer = try await connection.withClient { client in try await client.takeVerification(id: id, staff: staffID) }
        if let record = answer.request { try VerificationPrinter.show(record, replayed: answer.replayed, json: connection.json) }
    }
}

struct VerifyAnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "The issuing unit: answer with the verified record, or --not-on-record.",
        discussion: "The proof goes back sealed with the verification seal (电子证明核实信息专用章), annotated with the extracting unit, the producing unit and the time."
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Request id (VR-...).") var requestID: String
    @Option(name: .customLong("field"), help: "A field of the record, KEY=VALUE (repeatable).") var fields: [String] = []
    @Option(help: "The holder's name on record.") var holderName: String = ""
    @Option(help: "Licence or certificate number on record.") var licenceID: String = ""
    @Option(help: "Issue date on record (YYYY-MM-DD).") var issueDate: String = ""
    @Flag(help: "The fact is not on record.") var notOnRecord = false
    @Option(help: "A note for the requesting unit.") var note: String = ""
    @Option(help: "Save the sealed proof to this file (for 'noproof verify').") var out: String?

    func run() async throws {
        var request = APIAnswerVerificationRequest(requestID: requestID, outcome: notOnRecord ? "not_on_record" : "verified", note: note)
        if !notOnRecord {
            request.licence = APILicence(
                licenceID: licenceID, holderName: holderName, issueDate: issueDate,
                fields: try VerificationPrinter.fields(fields, option: "--field"))
        }
        let (answering, staffID) = (request, staff.resolved)
        let answer = try await connection.withClient { client in try await client.answerVerification(answering, staff: staffID) }
        if let out, let proof = answer.request?.proof { try ProoFile.write(proof, to: out) }
        if let record = answer.request { try VerificationPrinter.show(record, replayed: answer.replayed, json: connection.json) }
    }
}

struct VerifyReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return", abstract: "The issuing unit: return a request that is not its duty (within 30 minutes).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Request id (VR-...).") var requestID: String
    @Option(help: "Why it is not this unit's duty.") var reason: String
    @Option(name: .customLong("suggest"), help: "Unified social credit code of the unit to send it to.") var suggested: String
    func run() async throws {
        let (id, reason, suggested, staffID) = (requestID, self.reason, self.suggested, staff.resolved)
        let answer = try await connection.withClient { client in
            try await client.returnVerification(id: id, reason: reason, suggestedUnit: suggested, staff: staffID)
        }
        if let record = answer.request { try VerificationPrinter.show(record, replayed: answer.replayed, json: connection.json) }
    }
}

struct VerifyRefileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refile", abstract: "The requesting unit: re-file a returned request (default: to the suggested unit).",
        discussion:
            "The target must be the unit your published list names as the verifier of the proof for the request's item; a return's suggestion does not change that. If the suggested unit is right, have the list changed first ('noproof list draft', then the task force office approves), then re-file."
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption
    @Argument(help: "Request id of the returned request.") var requestID: String
    @Option(help: "Another unit than the one suggested (it must be the one your list names).") var to: String = ""
    func run() async throws {
        let (id, to, staffID) = (requestID, self.to, staff.resolved)
        let answer = try await connection.withClient { client in try await client.refileVerification(id: id, to: to, staff: staffID) }
        if let record = answer.request { try VerificationPrinter.show(record, replayed: answer.replayed, json: connection.json) }
    }
}

struct VerifyShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Either unit: one request, with the sealed proof once answered.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Request id (VR-...).") var requestID: String
    @Option(help: "Save the sealed proof to this file (for 'noproof verify').") var out: String?
    func run() async throws {
        let id = requestID
        let answer = try await connection.withClient { client in try await client.verificationRequest(id: id) }
        if let out {
            guard let proof = answer.request?.proof else { throw ValidationError("request \(id) has no sealed proof (yet)") }
            try ProoFile.write(proof, to: out)
        }
        if let record = answer.request { try VerificationPrinter.show(record, json: connection.json) }
    }
}
