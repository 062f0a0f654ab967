import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof report --from D --to D [--unit CODE] [--csv FILE|-]`: the supervision report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Supervision report per unit and period (task force: every unit; a unit: its own).",
        discussion: """
            Figures per unit for the civil days FROM through TO (China Standard Time): data-sharing calls by result, \
            verification requests sent and received, answered in time or late, returned, overdue (escalated), second \
            breaches, denied and rate-limited calls, late list changes, and the oversight figures (commitments, ledger, \
            mismatches, complaints) when the server records them — with the flags the figures raise and each flag's rule. \
            Printed as a table (figures down, units across, at most 8 units per block); --csv writes one row per unit.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day of the period, YYYY-MM-DD (inclusive).")
    var to: String

    @Option(help: "One unit's unified social credit code (default: every unit; task force only).")
    var unit: String?

    @Option(help: "Write the report as CSV to this file ('-' for standard output instead of the table).")
    var csv: String?

    func run() async throws {
        let (from, to, unit) = (self.from, self.to, self.unit ?? "")
        let report = try await connection.withClient { client in try await client.supervisionReport(from: from, to: to, unitCode: unit) }
        if let csv {
            let text = Self.csv(report)
            if csv == "-" {
                print(text, terminator: "")
                return
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        }
        if connection.json {
            struct Figure: Encodable { var key, label: String; var value: UInt64?; var recorded: Bool }
            struct Flag: Encodable { var code, rule, detail: String; var exempted: Bool; var exemption: String }
            struct Row: Encodable { var unitCode, unitName: String; var figures: [Figure]; var flags: [Flag] }
            struct Output: Encodable { var from, to: String; var units: [Row]; var rules: [String] }
            try printJSON(
                Output(
                    from: report.fromDate, to: report.toDate,
                    units: report.units.map { row in
                        Row(
                            unitCode: row.unitCode, unitName: row.unitName,
                            figures: row.figures.map { Figure(key: $0.key, label: $0.label, value: $0.recorded ? $0.value : nil, recorded: $0.recorded) },
                            flags: row.flags.map { Flag(code: $0.code, rule: $0.rule, detail: $0.detail, exempted: $0.exempted, exemption: $0.exemption) })
                    }, rules: report.rules))
            return
        }
        print(Self.table(report), terminator: "")
        if let csv { print("CSV written to \(csv)") }
    }

    /// Figures down, units across (8 per block, so the table stays within 100 columns), a legend
    /// naming the units, the oversight figures as "not recorded" when the server has none, and
    /// the flags with their rules.
    static func table(_ report: APISupervisionReportResponse) -> String {
        var out = "supervision report \(report.fromDate) .. \(report.toDate)  (\(report.units.count) unit\(report.units.count == 1 ? "" : "s"))\n"
        if report.units.isEmpty { return out + "no units\n" }
        let perBlock = 8
        for start in stride(from: 0, to: report.units.count, by: perBlock) {
            let block = Array(report.units[start..<min(report.units.count, start + perBlock)])
            out += "\n"
            for (offset, unit) in block.enumerated() { out += "  U\(start + offset + 1) = \(unit.unitCode)  \(unit.unitName)\n" }
            var keys: [String] = []
            var unrecorded: [String] = []
            for unit in block {
                for figure in unit.figures {
                    if figure.recorded {
                        if !keys.contains(figure.key) { keys.append(figure.key) }
                    } else if !unrecorded.contains(figure.key) {
                        unrecorded.append(figure.key)
                    }
                }
            }
            // Wide enough for the longest figure name (e.g. complaints.demanded_no_proof_item), within
            // 100 columns for a block of 8 units.
            let keyWidth = min(36, max(32, (keys.map(\.count).max() ?? 0) + 1))
            out += pad("", keyWidth) + block.indices.map { leftPad("U\(start + $0 + 1)", 8) }.joined() + "\n"
            for key in keys {
                out += pad(key, keyWidth)
                for unit in block {
                    let figure = unit.figures.first { $0.key == key && $0.recorded }
                    out += leftPad(figure.map { String($0.value) } ?? "-", 8)
                }
                out += "\n"
            }
            if !unrecorded.isEmpty {
                out += wrap("not recorded yet by this server: " + unrecorded.joined(separator: ", "), indent: "    ")
            }
        }
        let flagged = report.units.filter { !$0.flags.isEmpty }
        out += "\nflags" + (flagged.isEmpty ? ": none\n" : "\n")
        for unit in flagged {
            for flag in unit.flags {
                out += wrap("  \(unit.unitCode)  \(flag.code)  (\(flag.detail))" + (flag.exempted ? "  EXEMPTED \(flag.exemption)" : ""), indent: "      ")
            }
        }
        out += "rules\n"
        for rule in report.rules { out += wrap("  \(rule)", indent: "      ") }
        return out
    }

    /// One row per unit: unit_code, unit_name, from, to, every recorded figure, flags.
    static func csv(_ report: APISupervisionReportResponse) -> String {
        var keys: [String] = []
        for unit in report.units {
            for figure in unit.figures where !keys.contains(figure.key) { keys.append(figure.key) }
        }
        var lines = [(["unit_code", "unit_name", "from", "to"] + keys + ["flags"]).map(field).joined(separator: ",")]
        for unit in report.units {
            var cells = [unit.unitCode, unit.unitName, report.fromDate, report.toDate]
            for key in keys {
                let figure = unit.figures.first { $0.key == key }
                cells.append(figure.map { $0.recorded ? String($0.value) : "" } ?? "")
            }
            cells.append(unit.flags.map { $0.exempted ? "\($0.code)(exempted)" : $0.code }.joined(separator: ";"))
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` broken at spaces into lines of at most `width` characters, continuation lines indented.
    static func wrap(_ text: String, width: Int = 100, indent: String) -> String {
        let lead = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var line = lead
        var empty = true
        for word in text.dropFirst(lead.count).split(separator: " ") {
            if empty {
                line += word
                empty = false
            } else if line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + word
            } else {
                line += " " + word
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

/// `noproof who-looked --holder ID`: every unit that obtained one holder's data (citizen portal).
struct WhoLookedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-looked",
        abstract: "Citizen portal: every unit that obtained (or tried to obtain) one holder's data, newest first.",
        discussion: "Needs the citizen portal's credential (demo: demo-citizen-portal:demo-secret); units are refused."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The holder's resident ID or unified social credit code.")
    var holder: String

    @Option(help: "Entries per page (default 50, at most 500).")
    var limit: UInt32 = 50

    @Option(help: "Continue from a previous page's token.")
    var page: String?

    @Flag(help: "Follow every page.")
    var all = false

    func run() async throws {
        let (holder, limit, all) = (self.holder, self.limit, self.all)
        var token = page ?? ""
        let pages = try await connection.withClient { client in
            var pages: [APIWhoLookedResponse] = []
            repeat {
                let page = try await client.whoLooked(holderID: holder, limit: limit, pageToken: token)
                pages.append(page)
                token = page.nextPageToken
            } while all && !token.isEmpty
            return pages
        }
        let entries = pages.flatMap(\.entries)
        let next = pages.last?.nextPageToken ?? ""
        if connection.json {
            struct Entry: Encodable {
                var at, unitCode, unitName, action, itemCode, itemName, typeCode, typeName, result: String
                var auditSequence: UInt64
            }
            struct Output: Encodable { var holderID: String; var entries: [Entry]; var nextPageToken: String }
            try printJSON(
                Output(
                    holderID: pages.first?.holderID ?? holder,
                    entries: entries.map {
                        Entry(
                            at: ListPrinter.time($0.atMillis) ?? "", unitCode: $0.unitCode, unitName: $0.unitName, action: $0.action,
                            itemCode: $0.itemCode, itemName: $0.itemName, typeCode: $0.typeCode, typeName: $0.typeName, result: $0.result,
                            auditSequence: $0.auditSequence)
                    }, nextPageToken: next))
            return
        }
        print(
            "who obtained the data of \(pages.first?.holderID ?? holder): \(entries.count) entr\(entries.count == 1 ? "y" : "ies")\(next.isEmpty ? "" : " (more)")"
        )
        for entry in entries {
            print("\(ListPrinter.time(entry.atMillis) ?? "-")  \(entry.unitName.isEmpty ? entry.unitCode : entry.unitName) (\(entry.unitCode))")
            let item = entry.itemName.isEmpty ? entry.itemCode : "\(entry.itemCode) \(entry.itemName)"
            let type = entry.typeName.isEmpty ? entry.typeCode : "\(entry.typeCode) \(entry.typeName)"
            print("    \(entry.action)  item \(item)  licence \(type)  → \(entry.result)")
        }
        if !next.isEmpty { print("older entries: noproof who-looked --holder \(holder) --page \(next)") }
    }
}

/// `noproof exemption record|list`: Art. 17 exemptions against supervision flags.
struct ExemptionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exemption",
        abstract: "Art. 17 exemptions (免于追责) against a supervision flag of one unit for one period.",
        discussion: """
            The report still raises an exempted flag and shows it as EXEMPTED with the record. Only the task force \
            office's staff, signed in with their own staff credential (demo: demo-taskforce/supervisor-0001:demo-secret), \
            record one; every exemption is audited (Supervision.Exempt) before it is stored.
            """,
        subcommands: [ExemptionRecordCommand.self, ExemptionListCommand.self]
    )
}

struct ExemptionRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record an exemption against one flag.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The unit's unified social credit code.") var unit: String
    @Option(help: "The flag code (noproof report lists the rules), e.g. repeated_overdue.") var flag: String
    @Option(help: "First day of the period, YYYY-MM-DD.") var from: String
    @Option(help: "Last day of the period, YYYY-MM-DD (inclusive).") var to: String
    @Option(
        help: "The Art. 17 ground: reform_direction, no_prohibition_breached, lawful_decision, harm_remedied, issuer_data_false_remedied, other_lawful_ground.")
    var ground: String
    @Option(help: "Why the ground applies: facts, remedy, the decision's reference.") var reason: String

    func run() async throws {
        let (unit, flag, from, to, ground, reason) = (self.unit, self.flag, self.from, self.to, self.ground, self.reason)
        let response = try await connection.withClient { client in
            try await client.exemptFlag(unitCode: unit, flag: flag, from: from, to: to, ground: ground, reason: reason)
        }
        let e = response.exemption ?? APIFlagExemptionInfo()
        if connection.json {
            try printJSON(ExemptionListCommand.Output(e))
            return
        }
        print(
            "exemption \(e.exemptionID): \(response.created ? "recorded" : "already recorded") — \(e.unitCode) \(e.flag) \(e.fromDate)..\(e.toDate), Art. 17 \(e.ground), by \(e.grantedBy)"
        )
    }
}

struct ExemptionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Exemptions whose period overlaps the given days.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "First day, YYYY-MM-DD.") var from: String
    @Option(help: "Last day, YYYY-MM-DD (inclusive).") var to: String
    @Option(help: "One unit (default: every unit; task force only).") var unit: String?

    struct Output: Encodable {
        var id, unitCode, flag, from, to, ground, reason, grantedBy, grantedAt: String
        init(_ e: APIFlagExemptionInfo) {
            id = e.exemptionID
            unitCode = e.unitCode
            flag = e.flag
            from = e.fromDate
            to = e.toDate
            ground = e.ground
            reason = e.reason
            grantedBy = e.grantedBy
            grantedAt = ListPrinter.time(e.grantedAtMillis) ?? ""
        }
    }

    func run() async throws {
        let (from, to, unit) = (self.from, self.to, self.unit ?? "")
        let response = try await connection.withClient { client in try await client.exemptions(from: from, to: to, unitCode: unit) }
        if connection.json {
            try printJSON(response.exemptions.map(Output.init))
            return
        }
        if response.exemptions.isEmpty { print("no exemptions overlap \(from)..\(to)") }
        for e in response.exemptions {
            print(
                "\(e.exemptionID)  \(e.unitCode)  \(e.flag)  \(e.fromDate)..\(e.toDate)  Art. 17 \(e.ground)  by \(e.grantedBy) at \(ListPrinter.time(e.grantedAtMillis) ?? "-")"
            )
            print("    \(e.reason)")
        }
    }
}

/// `noproof item show CODE [--unit U]`: what the applicant must bring for one item.
struct ItemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item", abstract: "Service items of the published lists.", subcommands: [ItemShowCommand.self]
    )
}

struct ItemShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "What the applicant must bring for item CODE, from the published list in force.",
        discussion: "Each proof with how the unit obtains it and what to do; only an excluded proof is brought by the applicant (Art. 2)."
    )
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The item code, e.g. SW-KH-001.") var code: String
    @Option(help: "The unit whose list names the item (default: the calling unit).") var unit: String?

    func run() async throws {
        let (code, unit) = (self.code, self.unit ?? "")
        let item = try await connection.withClient { client in try await client.showItem(code, unitCode: unit) }
        if connection.json {
            struct Proof: Encodable { var proof, name, method, issuingUnit: String; var fields: [String]; var applicantBrings: Bool; var whatToDo: String }
            struct Output: Encodable {
                var unitCode, unitName: String; var listVersion: UInt32; var effectiveAt, itemCode, itemName, itemKind: String; var proofs: [Proof]
            }
            try printJSON(
                Output(
                    unitCode: item.unitCode, unitName: item.unitName, listVersion: item.listVersion,
                    effectiveAt: ListPrinter.time(item.effectiveAtMillis) ?? "", itemCode: item.itemCode, itemName: item.itemName,
                    itemKind: item.itemKind,
                    proofs: item.proofs.map {
                        Proof(
                            proof: $0.proof, name: $0.name, method: $0.method, issuingUnit: $0.issuingUnit, fields: $0.fields,
                            applicantBrings: $0.applicantBrings, whatToDo: $0.whatToDo)
                    }))
            return
        }
        print(
            "item \(item.itemCode) \(item.itemName) (\(item.itemKind)) — \(item.unitName) (\(item.unitCode)), list version \(item.listVersion) in force since \(ListPrinter.time(item.effectiveAtMillis) ?? "-")"
        )
        let brings = item.proofs.filter(\.applicantBrings)
        print(
            brings.isEmpty
                ? "the applicant brings no proof"
                : "the applicant brings: " + brings.map { $0.name.isEmpty ? $0.proof : "\($0.proof) \($0.name)" }.joined(separator: ", "))
        for proof in item.proofs {
            print(
                "  \(proof.proof)\(proof.name.isEmpty ? "" : " " + proof.name)  [\(proof.method)\(proof.issuingUnit.isEmpty ? "" : " by " + proof.issuingUnit)]"
            )
            print(ReportCommand.wrap("      \(proof.whatToDo)", indent: "      "), terminator: "")
        }
    }
}
