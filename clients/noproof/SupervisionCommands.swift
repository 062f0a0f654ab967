import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec

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
            struct Flag: Encodable { var code, rule, detail: String }
            struct Row: Encodable { var unitCode, unitName: String; var figures: [Figure]; var flags: [Flag] }
            struct Output: Encodable { var from, to: String; var units: [Row]; var rules: [String] }
            try printJSON(Output(from: report.fromDate, to: report.toDate, units: report.units.map { row in
                Row(unitCode: row.unitCode, unitName: row.unitName,
                    figures: row.figures.map { Figure(key: $0.key, label: $0.label, value: $0.recorded ? $0.value : nil, recorded: $0.recorded) },
                    flags: row.flags.map { Flag(code: $0.code, rule: $0.rule, detail: $0.detail) })
            }, rules: report.rules))
            return
        }
        print(Self.table(report), terminator: "")
        if let csv { print("CSV written to \(csv)") }
    }

    /// Figures down, units across (8 per block, so the table stays within 100 columns), a legend
    /// naming the units, the oversight figures as "not recorded" when the server has none, and
    /// the flags with their rules.
    static func table(_ report: SupervisionReportResponse) -> String {
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
            for flag in unit.flags { out += wrap("  \(unit.unitCode)  \(flag.code)  (\(flag.detail))", indent: "      ") }
        }
        out += "rules\n"
        for rule in report.rules { out += wrap("  \(rule)", indent: "      ") }
        return out
    }

    /// One row per unit: unit_code, unit_name, from, to, every recorded figure, flags.
    static func csv(_ report: SupervisionReportResponse) -> String {
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
            cells.append(unit.flags.map(\.code).joined(separator: ";"))
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
            var pages: [WhoLookedResponse] = []
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
            try printJSON(Output(holderID: pages.first?.holderID ?? holder, entries: entries.map {
                Entry(at: ListPrinter.time($0.atMillis) ?? "", unitCode: $0.unitCode, unitName: $0.unitName, action: $0.action,
                      itemCode: $0.itemCode, itemName: $0.itemName, typeCode: $0.typeCode, typeName: $0.typeName, result: $0.result,
                      auditSequence: $0.auditSequence)
            }, nextPageToken: next))
            return
        }
        print("who obtained the data of \(pages.first?.holderID ?? holder): \(entries.count) entr\(entries.count == 1 ? "y" : "ies")\(next.isEmpty ? "" : " (more)")")
        for entry in entries {
            print("\(ListPrinter.time(entry.atMillis) ?? "-")  \(entry.unitName.isEmpty ? entry.unitCode : entry.unitName) (\(entry.unitCode))")
            let item = entry.itemName.isEmpty ? entry.itemCode : "\(entry.itemCode) \(entry.itemName)"
            let type = entry.typeName.isEmpty ? entry.typeCode : "\(entry.typeCode) \(entry.typeName)"
            print("    \(entry.action)  item \(item)  licence \(type)  → \(entry.result)")
        }
        if !next.isEmpty { print("older entries: noproof who-looked --holder \(holder) --page \(next)") }
    }
}
