import ArgumentParser
import Foundation
import NoProofCodec
import NoProofMessages

/// Readable, JSON and CSV forms of commitments, ledger entries, mismatch cases and complaints.
/// Each record is printed as labelled lines; `--json` prints the same fields as an object.
enum OversightPrinter {
    typealias Fields = [(String, String)]

    static func t(_ millis: Int64) -> String { ListPrinter.time(millis) ?? "" }

    static func print(_ title: String, _ fields: Fields, replayed: Bool, json: Bool) throws {
        if json {
            var object = jsonObject(fields)
            if replayed { object["replayed"] = "true" }
            try printJSON(object)
            return
        }
        Swift.print(title + (replayed ? " (unchanged: this was a retry)" : ""))
        let width = fields.map(\.0.count).max() ?? 0
        for (label, value) in fields where !value.isEmpty {
            Swift.print("  " + (label + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + value)
        }
    }

    /// The non-empty fields with snake_case keys ("check due" → "check_due").
    static func jsonObject(_ fields: Fields) -> [String: String] {
        Dictionary(
            fields.filter { !$0.1.isEmpty }.map { ($0.0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_"), $0.1) },
            uniquingKeysWith: { a, _ in a })
    }

    static func printList<T>(_ items: [T], empty: String, json: Bool, fields: (T) -> Fields, line: (T) -> String) throws {
        if json {
            try printJSON(items.map { jsonObject(fields($0)) })
            return
        }
        if items.isEmpty { Swift.print(empty) }
        for item in items { Swift.print(line(item)) }
    }

    // MARK: Commitments

    static func fields(_ c: APICommitmentRecord) -> Fields {
        [
            ("commitment", c.commitmentID), ("unit", "\(c.unitName) (\(c.unitCode))"),
            ("applicant", c.holderID + (c.holderName.isEmpty ? "" : " (\(c.holderName))")),
            ("item", c.itemCode + (c.itemName.isEmpty ? "" : " \(c.itemName)")), ("case", c.caseReference),
            ("replaces", c.proofType + (c.proofName.isEmpty ? "" : " \(c.proofName)")), ("text", c.text), ("channel", c.channel),
            ("recorded", "\(t(c.recordedAtMillis)) by \(c.recordedBy)"), ("risk", c.riskLevel),
            ("check due", t(c.checkDueAtMillis) + (c.overdue ? "  [CHECK OVERDUE]" : "")),
            (
                "check",
                c.checkOutcome.isEmpty
                    ? "not yet"
                    : "\(c.checkOutcome == "found_false" ? "FOUND FALSE" : c.checkOutcome) at \(t(c.checkedAtMillis)) by \(c.checkedBy)\(c.checkedLate ? " (late)" : "")"
            ),
            ("evidence", c.evidence),
            ("earlier false", c.earlierFalseCommitments.joined(separator: ", ")),
            ("rule risk", c.ruleRiskLevel.isEmpty ? "" : "\(c.ruleRiskLevel) (raised to \(c.riskLevel): earlier commitment found false)"),
            ("warning", c.warning),
        ]
    }

    static func line(_ c: APICommitmentRecord) -> String {
        var flags: [String] = []
        if c.overdue { flags.append("CHECK OVERDUE") }
        if c.checkOutcome == "found_false" { flags.append("FOUND FALSE") }
        if c.checkedLate { flags.append("checked late") }
        if !c.earlierFalseCommitments.isEmpty { flags.append("FLAGGED: earlier false") }
        let check = c.checkOutcome.isEmpty ? "unchecked" : c.checkOutcome
        return
            "\(c.commitmentID)  \(c.unitCode)  \(c.itemCode)/\(c.proofType)  holder=\(c.holderID)  case=\(c.caseReference)  \(c.channel)  recorded \(t(c.recordedAtMillis))  risk=\(c.riskLevel)  due \(t(c.checkDueAtMillis))  \(check)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")"
    }

    // MARK: Correction notices

    static func fields(_ n: APICorrectionNoticeRecord) -> Fields {
        [
            ("notice", n.noticeID), ("unit", n.unitCode), ("mismatch", n.mismatchID),
            ("corrected by", "\(n.issuingUnitName) (\(n.issuingUnitCode)) at \(t(n.noticedAtMillis))"),
            ("licence", "\(n.licenceID) (\(n.typeCode)) of holder \(n.holderID): now version \(n.newVersion); earlier versions superseded"),
            ("fields corrected", n.correctedFields.joined(separator: ", ")),
            (
                "your fetches",
                n.fetchCaseReferences.isEmpty ? "" : "cases \(n.fetchCaseReferences.joined(separator: ", ")) (latest audit #\(n.lastFetchSequence))"
            ),
            ("raised the case", n.raisedTheCase ? "yes" : "no"),
            (
                "corrected proof",
                n.correctedProof.map { proof in
                    let serial = (try? ProtoCodec.decode(APIProofBody.self, from: proof.body).proofSerial) ?? "?"
                    return "\(serial), verification seal, key \(proof.keyID)"
                } ?? ""
            ),
        ]
    }

    static func line(_ n: APICorrectionNoticeRecord) -> String {
        "\(n.noticeID)  \(t(n.noticedAtMillis))  \(n.mismatchID)  licence \(n.licenceID) v\(n.newVersion)  fields=\(n.correctedFields.joined(separator: ","))"
            + (n.fetchCaseReferences.isEmpty ? "" : "  your cases \(n.fetchCaseReferences.joined(separator: ","))")
            + (n.raisedTheCase ? "  [CORRECTED PROOF ATTACHED]" : "  [RE-FETCH: the version you used is superseded]")
    }

    // MARK: Ledger

    static func fields(_ e: APILedgerEntryRecord) -> Fields {
        [
            ("entry", e.entryID), ("unit", "\(e.unitName) (\(e.unitCode))"),
            ("applicant", e.holderID + (e.holderName.isEmpty ? "" : " (\(e.holderName))")), ("item", e.itemCode), ("case", e.caseReference),
            ("proof", e.proofType + (e.proofName.isEmpty ? "" : " \(e.proofName)")), ("volunteered", e.volunteered ? "yes" : "no"),
            ("list says", e.listedMethod + (e.notToBeAskedFor ? " — NOT to be asked for" : " — may be supplied")),
            ("recorded", "\(t(e.recordedAtMillis)) by \(e.recordedBy)"), ("note", e.note),
        ]
    }

    static func line(_ e: APILedgerEntryRecord) -> String {
        "\(e.entryID)  \(t(e.recordedAtMillis))  \(e.unitCode)  \(e.itemCode)/\(e.proofType)\(e.proofName.isEmpty ? "" : " \(e.proofName)")  holder=\(e.holderID)  case=\(e.caseReference)  list: \(e.listedMethod)\(e.notToBeAskedFor ? "  [NOT TO BE ASKED FOR]" : "")"
    }

    static let csvHeader =
        "entry_id,unit_code,unit_name,recorded_at,recorded_by,holder_id,holder_name,item_code,case_reference,proof_type,proof_name,volunteered,listed_method,not_to_be_asked_for,note"

    static func csv(_ e: APILedgerEntryRecord) -> String {
        [
            e.entryID, e.unitCode, e.unitName, t(e.recordedAtMillis), e.recordedBy, e.holderID, e.holderName, e.itemCode, e.caseReference,
            e.proofType, e.proofName, e.volunteered ? "true" : "false", e.listedMethod, e.notToBeAskedFor ? "true" : "false", e.note,
        ]
        .map(csvField).joined(separator: ",")
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Mismatches

    static func fields(_ m: APIMismatchRecord) -> Fields {
        var links: [String] = []
        if !m.proofSerial.isEmpty { links.append("proof \(m.proofSerial)") }
        if m.auditSequence > 0 { links.append("audit #\(m.auditSequence)") }
        if !m.verificationRequestID.isEmpty { links.append("verification \(m.verificationRequestID)") }
        var fields: Fields = [
            ("mismatch", m.mismatchID), ("status", m.status), ("unit", "\(m.unitName) (\(m.unitCode))"),
            ("issuing unit", "\(m.issuingUnitName) (\(m.issuingUnitCode))"), ("applicant", m.holderID), ("item", m.itemCode),
            ("case", m.caseReference), ("proof", m.proofType), ("links", links.joined(separator: ", ")),
            ("opened", "\(t(m.openedAtMillis)) by \(m.openedBy)"),
        ]
        for fact in m.facts {
            fields.append(
                ("fact \(fact.key)", "declared \(fact.declared) / fetched \(fact.fetched)\(fact.corrected.isEmpty ? "" : " / corrected \(fact.corrected)")"))
        }
        if !m.supplementRequest.isEmpty { fields.append(("asked for", "\(m.supplementRequest) (\(t(m.supplementRequestedAtMillis)))")) }
        if !m.supplement.isEmpty { fields.append(("supplement", "\(m.supplement) (\(t(m.supplementReceivedAtMillis)))")) }
        if !m.finding.isEmpty {
            fields.append(
                (
                    "finding",
                    "\(m.finding) — \(m.findingNote) (issuing unit, \(t(m.reverifiedAtMillis)) by \(m.reverifiedBy), credential \(m.reverifiedCredential))"
                ))
        }
        if !m.correctedLicenceID.isEmpty {
            fields.append(
                (
                    "corrected",
                    "licence \(m.correctedLicenceID) amended to v\(m.correctedLicenceVersion); corrected proof \(m.correctedProofSerial) to \(m.unitCode)"
                ))
            fields.append(("units told", m.noticedUnits.joined(separator: ", ")))
        }
        if !m.appealReference.isEmpty { fields.append(("appeal", "\(m.appealReference) filed \(t(m.appealFiledAtMillis))")) }
        if !m.appealOutcome.isEmpty {
            fields.append(("appeal outcome", "\(m.appealOutcome)\(m.appealNote.isEmpty ? "" : " — \(m.appealNote)") (\(t(m.appealDecidedAtMillis)))"))
        }
        return fields
    }

    static func line(_ m: APIMismatchRecord) -> String {
        "\(m.mismatchID)  \(m.status.padding(toLength: 19, withPad: " ", startingAt: 0))  \(m.unitCode) → \(m.issuingUnitCode)  \(m.itemCode)/\(m.proofType)  holder=\(m.holderID)  case=\(m.caseReference)  opened \(t(m.openedAtMillis))\(m.finding.isEmpty ? "" : "  finding=\(m.finding)")\(m.appealOutcome.isEmpty ? "" : "  appeal=\(m.appealOutcome)")"
    }

    // MARK: Complaints

    static func fields(_ c: APIComplaintRecord) -> Fields {
        [
            ("complaint", c.complaintID), ("status", c.status), ("channel", "\(c.channel) \(c.channelReference)"),
            ("about", "\(c.unitName) (\(c.unitCode))"), ("breach", c.breachType), ("summary", c.summary), ("complainant", c.complainant),
            ("linked", c.linkedRecords.joined(separator: ", ")), ("registered", "\(t(c.registeredAtMillis)) by \(c.registeredBy)"),
            ("routed to", c.routedToCode.isEmpty ? "" : "\(c.routedToName) (\(c.routedToCode)) at \(t(c.routedAtMillis))"),
            ("answer", c.answer.isEmpty ? "" : "\(c.answer) (\(t(c.answeredAtMillis)) by \(c.answeredBy))"),
            (
                "closed",
                c.closedAtMillis == 0
                    ? ""
                    : "\(t(c.closedAtMillis)), \(c.substantiated ? "substantiated" : "not substantiated")\(c.closingNote.isEmpty ? "" : " — \(c.closingNote)")"
            ),
        ]
    }

    static func line(_ c: APIComplaintRecord) -> String {
        "\(c.complaintID)  \(c.status.padding(toLength: 10, withPad: " ", startingAt: 0))  \(c.channel) \(c.channelReference)  about \(c.unitCode)  \(c.breachType)  registered \(t(c.registeredAtMillis))\(c.routedToCode.isEmpty ? "" : "  routed to \(c.routedToCode)")"
    }

    // MARK: Options

    /// KEY=VALUE pairs.
    static func pairs(_ values: [String], option: String) throws -> [(String, String)] {
        try values.map { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("\(option) takes KEY=VALUE, got '\(pair)'") }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
    }

    /// A time option: ISO 8601 date-time, or a date (midnight, UTC+8). 0 when nil.
    static func millis(_ text: String?, option: String) throws -> Int64 {
        guard let text else { return 0 }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        if let date = day.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        throw ValidationError("\(option): a date (2026-11-01) or ISO 8601 time (2026-11-01T09:00:00+08:00), got '\(text)'")
    }
}
