import Foundation
import NoProofAuditChain
package import NoProofDomain
import NoProofOversight
import NoProofProtocol
import NoProofUnits
import Logging
import NoProofUnitStore

extension SupervisionUseCases {
    /// The inputs of one unit's row of a report: its tallies, oversight figures, list facts and
    /// the exemptions covering the period, from which `SupervisionFigures` makes the figures and
    /// flags.
    package struct ReportRow: Hashable, Sendable {
        package var unitCode: String
        /// The registered name, or "(not registered)" for a code only the trail names.
        package var unitName: String
        /// The audit trail's per-metric tallies of the unit over the period.
        package var tallies: [String: Int64]
        /// The oversight figures; nil when this server records none.
        package var oversight: OversightFigures?
        /// The list facts; nil for a unit not registered.
        package var list: UnitListFacts?
        package var exemptions: [SupervisionFigures.ExemptionNote]
    }

    /// A supervision report: the period, one row per unit (by code), and the thresholds its flags use.
    package struct Report: Hashable, Sendable {
        package var from: CivilDate
        package var to: CivilDate
        package var rows: [ReportRow]
        package var thresholds: SupervisionThresholds
        /// The period's length in days.
        package var periodDays: Int { to.daysSinceEpoch - from.daysSinceEpoch + 1 }
    }

    /// The report of `unitCode` (nil: every unit, for the task force office only; a unit reads its
    /// own) over `from`...`to`, audited as `Supervision.Report` (`reported`).
    package func report(from: CivilDate, to: CivilDate, unitCode requested: UnifiedSocialCreditCode?, caller: Caller) async throws -> Report {
        let unit = caller.unit
        let unitCode = try scope(
            requested, caller: caller,
            everyUnit: "only the task force office (工作专班办公室) reads every unit's report; give your own unit_code \(unit.unitCode) (noproof report --unit)",
            ownOnly: "a unit reads only its own report (\(unit.unitCode)); the task force office reads any")
        var registered = try await units.units()
        if let unitCode {
            registered = registered.filter { $0.code.value == unitCode }
            if registered.isEmpty { throw NoProofError(.notFound, "unit \(unitCode) is not registered; 'noproof units' lists the registered units") }
        }
        let tallies: [String: [String: Int64]]
        do {
            tallies = try await audit.tallies(fromDay: from.daysSinceEpoch, throughDay: to.daysSinceEpoch, unitCode: unitCode)
        } catch {
            logger.error("supervision tallies unreadable", metadata: ["error": "\(error)"])
            throw NoProofError(.unavailable, "the audit trail's tallies could not be read; retry")
        }
        var oversightCounts: [String: OversightFigures]?
        if let oversight {
            do {
                oversightCounts = try await oversight.oversightCounts(from: from, through: to, unitCode: unitCode)
            } catch {
                logger.error("oversight counts unreadable", metadata: ["error": "\(error)"])
                throw NoProofError(.unavailable, "the oversight records (commitments, ledger, complaints) could not be read; retry")
            }
        }
        var names = Dictionary(registered.map { ($0.code.value, $0.name) }, uniquingKeysWith: { first, _ in first })
        // Codes in the trail that are not (or no longer) registered still get their row.
        for code in tallies.keys where !code.isEmpty && names[code] == nil && (unitCode == nil || code == unitCode) { names[code] = "(not registered)" }
        // The lists as of the period's end (or now, while it runs), for the Art. 16 (1), (3), (4), (7) figures.
        let asOf = min(OversightStoreFigures.startOfDay(to.adding(days: 1)).addingTimeInterval(-0.001), now())
        // Every unit's history, for the issuing units the lists name, though the report may be of one unit.
        let everyUnit = unitCode == nil ? registered : try await units.units()
        var histories: [String: [ItemListVersion]] = [:]
        for unit in everyUnit {
            histories[unit.code.value] = try await units.listHistory(unit: unit.code)
        }
        let issuingUnits = issuers.union(UnitListFacts.verificationIssuers(Array(histories.values)))
        var listFacts: [String: UnitListFacts] = [:]
        for unit in registered {
            listFacts[unit.code.value] = UnitListFacts.make(
                unit: unit, history: histories[unit.code.value] ?? [], asOf: asOf,
                staleDays: thresholds.staleListDays, issuingUnits: issuingUnits)
        }
        let notes = try await exemptionNotes(from: from, through: to, unitCode: unitCode)
        let rows = names.keys.sorted().map { code in
            ReportRow(
                unitCode: code, unitName: names[code] ?? "", tallies: tallies[code] ?? [:],
                oversight: oversightCounts.map { $0[code] ?? OversightFigures() }, list: listFacts[code], exemptions: notes[code] ?? [])
        }
        await record(
            AuditRecord(
                atMillis: Self.millis(now()), unitCode: unit.unitCode, credentialID: unit.credentialID,
                staff: caller.claimedStaff ?? "", action: .supervisionReport, itemCode: "",
                caseReference: "\(from)..\(to)", holderID: "", typeCode: "", licenceID: unitCode ?? "all units",
                result: .reported))
        return Report(from: from, to: to, rows: rows, thresholds: thresholds)
    }

    /// The exemptions covering the report's period, per unit, as the report shows them.
    private func exemptionNotes(from: CivilDate, through: CivilDate, unitCode: String?) async throws(NoProofError) -> [String: [SupervisionFigures
        .ExemptionNote]]
    {
        guard let exemptions else { return [:] }
        let found: [FlagExemption]
        do {
            found = try await exemptions.exemptions(unit: unitCode, from: from, through: through)
        } catch {
            logger.error("exemptions unreadable", metadata: ["error": "\(error)"])
            throw NoProofError(.unavailable, "the Art. 17 exemptions could not be read; retry")
        }
        var notes: [String: [SupervisionFigures.ExemptionNote]] = [:]
        for exemption in found where exemption.covers(from: from, through: through) {
            notes[exemption.unit, default: []].append(SupervisionFigures.ExemptionNote(flag: exemption.flag, text: Self.describe(exemption)))
        }
        return notes
    }

    static func describe(_ e: FlagExemption) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = CivilDate.chinaStandardTime
        return
            "\(e.id): exempted under Art. 17 (\(e.ground)) for \(e.from)..\(e.through) by \(e.grantedBy) at \(formatter.string(from: e.grantedAt)): \(e.reason)"
    }
}
