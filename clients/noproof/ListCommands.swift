import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomainMessages
import NoProofMessages
import NoProofUnits

/// `noproof list ...`: the no-proof item lists (清单) and their life cycle.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "The item lists (清单): show, draft, submit, approve or reject, publish, bulk-load.",
        discussion: """
            Life cycle: the unit drafts (list draft) and submits; the task force office's supervisor \
            approves with an effective time or rejects with a reason; the unit or the task force office \
            publishes. A rejected version is reopened by the unit (list reopen), edited and submitted again. \
            List actions name the acting staff member with --staff (or NOPROOF_STAFF).
            """,
        subcommands: [
            ListShowCommand.self, ListDraftCommand.self, ListSubmitCommand.self, ListApproveCommand.self, ListRejectCommand.self,
            ListReopenCommand.self, ListPublishCommand.self, ListLoadCommand.self,
        ]
    )
}

/// Prints a changed list version as text or JSON.
private func report(_ list: APIItemList, json: Bool) throws {
    if json { try printJSON(ListPrinter.Version(list)) } else { ListPrinter.printVersion(list, history: true) }
}

struct ListShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "A unit's published list in force (no credential needed); --history for every version.",
        discussion: "With the unit's own or the task force's credential, versions still under work are shown too."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Unified social credit code of the unit (see 'noproof units').")
    var unitCode: String

    @Flag(help: "Show every version with its declared changes and life-cycle history.")
    var history = false

    func run() async throws {
        let unitCode = self.unitCode
        let answer = try await connection.withClient { client in try await client.itemList(of: unitCode) }
        if connection.json {
            try printJSON(
                ListPrinter.ListOutput(
                    unit: answer.unit.map(ListPrinter.Unit.init), inForce: answer.inForce.map(ListPrinter.Version.init),
                    versions: history ? answer.versions.map(ListPrinter.Version.init) : []))
            return
        }
        if let unit = answer.unit { print(ListPrinter.unitLine(unit)) }
        if let inForce = answer.inForce {
            print("in force: ", terminator: "")
            ListPrinter.printVersion(inForce, history: false)
        } else {
            print("no list in force")
        }
        if history {
            for version in answer.versions {
                print("")
                ListPrinter.printVersion(version, history: true)
            }
        } else if answer.versions.count > 1 {
            print("(\(answer.versions.count) versions; --history shows them all)")
        }
    }
}

struct ListDraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Start the next version of your unit's list (or edit an open draft) from a JSON file.",
        discussion: """
            The file is one list: {"unit": "<credit code>", "items": [...], "changes": [...]} — items as in \
            the bulk file ({"code", "name", "kind": "immediate"|"commitment", "promised_days"|"promised_hours", \
            "proofs": [{"proof", "name", "method", "issuing_unit", "exclusion", "exclusion_category", \
            "exclusion_note"}]}), changes as {"kind": "add"|"reduce"|"change", "item", "proof", "cause", \
            "cause_date": "YYYY-MM-DD"}. A revision holds the whole new list, and every difference from the \
            published version must be declared as a change. 'noproof list show UNIT --json' prints the list in \
            force in this shape (take .inForce.items). Without --version a new draft is created.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption

    @Option(help: "The list file (JSON).")
    var file: String

    @Option(help: "Unit (default: the file's \"unit\", else the credential's unit).")
    var unit: String?

    @Option(help: "Save into this open draft version instead of creating a new one.")
    var version: UInt32?

    /// One list as written in the draft file.
    struct DraftFile: Decodable {
        var unit: String?
        var items: [ServiceItemRecord]
        var changes: [ListPrinter.Change]?
    }

    static func item(_ record: ServiceItemRecord) -> APIListItem {
        APIListItem(
            code: record.code ?? "", name: record.name ?? "", kind: record.kind ?? "",
            promisedDays: UInt32(clamping: record.promisedDays ?? 0), promisedHours: UInt32(clamping: record.promisedHours ?? 0),
            proofs: (record.proofs ?? []).map {
                APIItemProof(
                    proof: $0.proof ?? "", name: $0.name ?? "", method: $0.method ?? "", issuingUnit: $0.issuingUnit ?? "",
                    exclusion: $0.exclusion ?? "", exclusionCategory: $0.exclusionCategory ?? "", exclusionNote: $0.exclusionNote ?? "",
                    fields: $0.fields ?? [])
            })
    }

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw ValidationError("cannot read \(file): \(error.localizedDescription)") }
        let draft: DraftFile
        do {
            draft = try JSONDecoder().decode(DraftFile.self, from: data)
        } catch {
            throw ValidationError("\(file) is not a list file: expected {\"unit\": ..., \"items\": [...], \"changes\": [...]} (\(error))")
        }
        let items = draft.items.map(Self.item)
        let changes = (draft.changes ?? []).map(\.message)
        let (explicitUnit, version, staff) = (unit ?? draft.unit, self.version, self.staff.resolved)
        let list = try await connection.withClient { client in
            let unitCode = explicitUnit ?? client.session?.unitCode ?? ""
            let number: UInt32
            if let version { number = version } else { number = try await client.createDraft(unitCode: unitCode, staff: staff).version }
            return try await client.saveDraft(unitCode: unitCode, version: number, items: items, changes: changes, staff: staff)
        }
        try report(list, json: connection.json)
        if !connection.json { print("next: noproof list submit \(list.unitCode) \(list.version) --staff \(staff ?? "STAFF")") }
    }
}

/// The unit and version a life-cycle command acts on.
struct ListVersionArguments: ParsableArguments {
    @Argument(help: "Unified social credit code of the unit.")
    var unitCode: String

    @Argument(help: "The list version.")
    var version: UInt32
}

struct ListSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "The unit: submit a draft to the task force office (changes over 3 working days after their cause are flagged late)."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: ListVersionArguments
    @OptionGroup var staff: StaffOption

    func run() async throws {
        let (unitCode, version, staff) = (target.unitCode, target.version, self.staff.resolved)
        let list = try await connection.withClient { client in try await client.submitList(unitCode: unitCode, version: version, staff: staff) }
        try report(list, json: connection.json)
    }
}

struct ListApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Task force supervisor: approve a submitted version, effective now or at --effective."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: ListVersionArguments
    @OptionGroup var staff: StaffOption

    @Option(help: "When it takes effect: ISO 8601 (2026-12-01T09:00:00+08:00) or a date (China Standard Time midnight); default now.")
    var effective: String?

    static func parseTime(_ text: String) throws -> Date {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        if let date = day.date(from: text) { return date }
        throw ValidationError("--effective must be ISO 8601, e.g. 2026-12-01T09:00:00+08:00 or 2026-12-01; got '\(text)'")
    }

    func run() async throws {
        let millis = try effective.map { Int64((try Self.parseTime($0).timeIntervalSince1970 * 1000).rounded()) } ?? 0
        let (unitCode, version, staff) = (target.unitCode, target.version, self.staff.resolved)
        let list = try await connection.withClient { client in
            try await client.approveList(unitCode: unitCode, version: version, effectiveAtMillis: millis, staff: staff)
        }
        try report(list, json: connection.json)
    }
}

struct ListRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Task force supervisor: return a submitted version to the unit with a reason."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: ListVersionArguments
    @OptionGroup var staff: StaffOption

    @Option(help: "What the unit must change (required).")
    var reason: String

    func run() async throws {
        let (unitCode, version, staff, reason) = (target.unitCode, target.version, self.staff.resolved, self.reason)
        let list = try await connection.withClient { client in
            try await client.rejectList(unitCode: unitCode, version: version, reason: reason, staff: staff)
        }
        try report(list, json: connection.json)
    }
}

struct ListReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "The unit: return a rejected version to draft.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: ListVersionArguments
    @OptionGroup var staff: StaffOption

    func run() async throws {
        let (unitCode, version, staff) = (target.unitCode, target.version, self.staff.resolved)
        let list = try await connection.withClient { client in try await client.reopenList(unitCode: unitCode, version: version, staff: staff) }
        try report(list, json: connection.json)
    }
}

struct ListPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "The unit or the task force: publish an approved version (in force from its effective time)."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: ListVersionArguments
    @OptionGroup var staff: StaffOption

    func run() async throws {
        let (unitCode, version, staff) = (target.unitCode, target.version, self.staff.resolved)
        let list = try await connection.withClient { client in try await client.publishList(unitCode: unitCode, version: version, staff: staff) }
        try report(list, json: connection.json)
    }
}

struct ListLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Bulk-load lists from a JSON or CSV file as drafts, with a validation report.",
        discussion: """
            JSON: {"lists": [{"unit", "items", "changes"}, ...]} (items and changes as in 'list draft'). CSV: a \
            header naming unit, item, item_name, item_kind (required) and promised_days, promised_hours, proof, \
            proof_name, method, issuing_unit, exclusion, exclusion_category, exclusion_note; one row per proof. \
            A unit with any problem is left untouched. Exit status 1 when there were problems.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption

    @Argument(help: "The file (.json or .csv).")
    var file: String

    @Option(help: "json or csv (default: from the extension).")
    var format: String?

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(file) as UTF-8: \(error.localizedDescription)")
        }
        let format = self.format ?? (file.lowercased().hasSuffix(".csv") ? "csv" : file.lowercased().hasSuffix(".json") ? "json" : "")
        let staff = self.staff.resolved
        let answer = try await connection.withClient { client in try await client.loadItemLists(text: text, format: format, staff: staff) }
        if connection.json {
            struct Loaded: Encodable { var unit: String; var version: UInt32; var items: UInt32 }
            struct Problem: Encodable { var location, unit, field, message: String }
            struct Output: Encodable { var loaded: [Loaded]; var problems: [Problem] }
            try printJSON(
                Output(
                    loaded: answer.loaded.map { Loaded(unit: $0.unitCode, version: $0.version, items: $0.itemCount) },
                    problems: answer.problems.map { Problem(location: $0.location, unit: $0.unit, field: $0.field, message: $0.message) }))
        } else {
            for loaded in answer.loaded { print("loaded   \(loaded.unitCode)  version \(loaded.version) (draft), \(loaded.itemCount) items") }
            for problem in answer.problems {
                print("problem  \(problem.location)\(problem.unit.isEmpty ? "" : " (\(problem.unit))"): \(problem.field): \(problem.message)")
            }
            print("\(answer.loaded.count) list(s) loaded as drafts, \(answer.problems.count) problem(s)")
        }
        if !answer.problems.isEmpty { throw ExitCode(1) }
    }
}
