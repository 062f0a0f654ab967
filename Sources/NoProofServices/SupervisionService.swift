import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofOversight
import NoProofProtocol
import NoProofServer
import NoProofUnitStore
import NoProofUnits
import NoProofAuditChain

/// Supervision over RPC (`noproof.v1.Supervision`, Art. 15, 16, 20).
///
/// - `Report`: per unit and period, the figures the task force office supervises, counted from
///   the audit trail's per-(unit, day, metric) tallies (one indexed range read, however many
///   records there are) plus the oversight figures of an `OversightCountsSource`, with the flags
///   the data raises. The task force office reads every unit; a unit reads its own report only.
/// - `WhoLooked`: for one holder, every unit that obtained (or tried to obtain) their data, from
///   the audit trail's holder index, newest first and paged — for the citizen portal only.
///
/// - `ExemptFlag` / `ListExemptions`: Art. 17 exemptions against one flag of one unit for one
///   period, recorded by the task force office's staff signed in (fail closed, `AuditedChange`);
///   the report shows a covered flag as exempted with the record.
///
/// Every call is audited itself (`Supervision.Report`, `Supervision.WhoLooked`, `Supervision.Exempt`).
package struct SupervisionService: Sendable {
    let audit: any AuditTrail
    let units: any UnitStore
    let oversight: (any OversightCountsSource)?
    /// Licence-type (and proof) code to its name, for who-looked entries.
    let typeNames: [String: String]
    let thresholds: SupervisionThresholds
    /// The issuers of the catalogue's licence types: issuing units, not asked for a list of their own unless they have one.
    let issuers: Set<String>
    /// Where Art. 17 exemptions are kept; nil: none can be recorded (UNAVAILABLE) and none are shown.
    let exemptions: (any OversightStore)?
    let now: @Sendable () -> Date
    let logger: Logger

    /// The audit actions by which a unit obtains a holder's data (shown by `WhoLooked`).
    package static let dataActions: [AuditAction] = [
        .lookup, .getLicence, .checkLicence, .proofStatus, .verificationFile, .verificationRefile, .verificationAnswer,
    ]
    /// Longest period of one report, in days.
    static let maxPeriodDays = 3660

    /// - Parameter oversight: the commitment / ledger / mismatch / complaint counts; nil shows those
    ///   figures as not recorded.
    /// - Parameter thresholds: the flag rules' thresholds (noproofd's `flagThresholds`).
    /// - Parameter exemptions: where Art. 17 exemptions are stored (noproofd: the oversight store).
    package init(
        audit: any AuditTrail, units: any UnitStore, oversight: (any OversightCountsSource)? = nil, typeNames: [String: String] = [:],
        thresholds: SupervisionThresholds = .standard, exemptions: (any OversightStore)? = nil, issuers: Set<String> = [],
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.supervision")
    ) {
        self.audit = audit
        self.units = units
        self.oversight = oversight
        self.typeNames = typeNames
        self.thresholds = thresholds
        self.issuers = issuers
        self.exemptions = exemptions
        self.now = now
        self.logger = logger
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(SupervisionMethods.report, SupervisionReportRequest.self, SupervisionReportResponse.self) { request, context in
            try await report(request, context: context)
        }
        registry.unary(SupervisionMethods.whoLooked, WhoLookedRequest.self, WhoLookedResponse.self) { request, context in
            try await whoLooked(request, context: context)
        }
        registry.unary(SupervisionMethods.exemptFlag, ExemptFlagRequest.self, ExemptFlagResponse.self) { request, context in
            try await exempt(request, context: context)
        }
        registry.unary(SupervisionMethods.listExemptions, ListExemptionsRequest.self, ListExemptionsResponse.self) { request, context in
            try await listExemptions(request, context: context)
        }
    }

    // MARK: Report

    package func report(_ request: SupervisionReportRequest, context: CallContext) async throws -> SupervisionReportResponse {
        let caller = try context.requireUnit()
        let from = try Self.date(request.fromDate, field: "from_date")
        let to = try Self.date(request.toDate, field: "to_date")
        guard from <= to else { throw RPCError(.invalidArgument, "to_date: \(to) is before from_date \(from); give the period's first and last day") }
        guard to.daysSinceEpoch - from.daysSinceEpoch < Self.maxPeriodDays else {
            throw RPCError(.invalidArgument, "to_date: a report covers at most \(Self.maxPeriodDays) days; split the period")
        }
        var unitCode: String?
        if request.unitCode.isEmpty {
            guard caller.isTaskForce else {
                throw RPCError(
                    .permissionDenied,
                    "only the task force office (工作专班办公室) reads every unit's report; give your own unit_code \(caller.unitCode) (noproof report --unit)")
            }
        } else {
            let code = try UnitService.unitCode(request.unitCode)
            guard caller.isTaskForce || code.value == caller.unitCode else {
                throw RPCError(.permissionDenied, "a unit reads only its own report (\(caller.unitCode)); the task force office reads any")
            }
            unitCode = code.value
        }
        var registered = try await units.units()
        if let unitCode {
            registered = registered.filter { $0.code.value == unitCode }
            if registered.isEmpty { throw RPCError(.notFound, "unit \(unitCode) is not registered; 'noproof units' lists the registered units") }
        }
        let tallies: [String: [String: Int64]]
        do {
            tallies = try await audit.tallies(fromDay: from.daysSinceEpoch, throughDay: to.daysSinceEpoch, unitCode: unitCode)
        } catch {
            logger.error("supervision tallies unreadable", metadata: ["error": "\(error)"])
            throw RPCError(.unavailable, "the audit trail's tallies could not be read; retry")
        }
        var oversightCounts: [String: OversightFigures]?
        if let oversight {
            do {
                oversightCounts = try await oversight.oversightCounts(from: from, through: to, unitCode: unitCode)
            } catch {
                logger.error("oversight counts unreadable", metadata: ["error": "\(error)"])
                throw RPCError(.unavailable, "the oversight records (commitments, ledger, complaints) could not be read; retry")
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
        let periodDays = to.daysSinceEpoch - from.daysSinceEpoch + 1
        let rows = names.keys.sorted().map { code -> UnitReport in
            let figures = SupervisionFigures.figures(
                tallies: tallies[code] ?? [:],
                oversight: oversightCounts.map { $0[code] ?? OversightFigures() },
                list: listFacts[code], periodDays: periodDays, thresholds: thresholds)
            return UnitReport(
                unitCode: code, unitName: names[code] ?? "", figures: figures,
                flags: SupervisionFigures.flags(figures, thresholds: thresholds, exemptions: notes[code] ?? []))
        }
        let moment = now()
        await record(
            AuditRecord(
                atMillis: Self.millis(moment), unitCode: caller.unitCode, credentialID: caller.credentialID,
                staff: context.staff ?? "", action: .supervisionReport, itemCode: "",
                caseReference: "\(from)..\(to)", holderID: "", typeCode: "", licenceID: unitCode ?? "all units",
                result: .reported))
        return SupervisionReportResponse(
            fromDate: from.description, toDate: to.description, units: rows,
            rules: SupervisionFigures.rules(thresholds).map { "\($0.code): \($0.text)" })
    }

    /// The exemptions covering the report's period, per unit, as the report shows them.
    private func exemptionNotes(from: CivilDate, through: CivilDate, unitCode: String?) async throws(RPCError) -> [String: [SupervisionFigures.ExemptionNote]] {
        guard let exemptions else { return [:] }
        let found: [FlagExemption]
        do {
            found = try await exemptions.exemptions(unit: unitCode, from: from, through: through)
        } catch {
            logger.error("exemptions unreadable", metadata: ["error": "\(error)"])
            throw RPCError(.unavailable, "the Art. 17 exemptions could not be read; retry")
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

    // MARK: Exemptions (Art. 17)

    package func exempt(_ request: ExemptFlagRequest, context: CallContext) async throws -> ExemptFlagResponse {
        let caller = try context.requireUnit()
        try UnitService.requireTaskForce(caller, to: "record Art. 17 exemptions")
        let staffID = try UnitService.requireSignedIn(context, to: "record Art. 17 exemptions")
        let taskForce = try UnitService.unitCode(caller.unitCode, field: "connection unit")
        let member = try await units.staffMember(staffID, of: taskForce)
        guard let member, member.active else {
            throw RPCError(.permissionDenied, "\(staffID) is not an active staff member of the task force office (\(caller.unitCode))")
        }
        guard let exemptions else {
            throw RPCError(.unavailable, "this server keeps no exemption records (no oversight store); nothing was recorded")
        }
        let unit = try UnitService.unitCode(request.unitCode)
        guard try await units.unit(code: unit) != nil else {
            throw RPCError(.notFound, "unit \(unit) is not registered; 'noproof units' lists the registered units")
        }
        guard SupervisionThresholds.defaults[request.flag] != nil else {
            throw RPCError(
                .invalidArgument,
                "flag: \"\(request.flag.prefix(64))\" is not a flag code; use one of \(SupervisionThresholds.defaults.keys.sorted().joined(separator: ", "))")
        }
        let from = try Self.date(request.fromDate, field: "from_date")
        let to = try Self.date(request.toDate, field: "to_date")
        let moment = now()
        let exemption = try FlagExemption.make(
            id: OversightService.newID("EX"), unit: unit.value, flag: request.flag, from: from, through: to,
            ground: request.ground, reason: request.reason, by: staffID, credentialID: caller.credentialID, at: moment)
        let intent = AuditRecord(
            atMillis: Self.millis(moment), unitCode: caller.unitCode, credentialID: caller.credentialID, staff: staffID,
            action: .supervisionExempt, itemCode: request.flag, caseReference: "\(from)..\(to)", holderID: "",
            typeCode: exemption.ground, licenceID: exemption.id, result: .intended,
            counterpartUnit: unit.value)
        let stored = try await AuditedChange.run(
            audit: audit, logger: logger, intent: [intent],
            change: { () async throws -> (record: FlagExemption, created: Bool) in
                try await exemptions.insertExemption(exemption)
            },
            outcome: { result in
                var record = intent.with(result: result.created ? .exempted : .alreadyExempted)
                record.licenceID = result.record.id
                return [record]
            })
        logger.info("flag exempted", metadata: ["unit": "\(unit)", "flag": "\(request.flag)", "by": "\(staffID)", "id": "\(stored.record.id)"])
        return ExemptFlagResponse(exemption: Self.info(stored.record), created: stored.created)
    }

    package func listExemptions(_ request: ListExemptionsRequest, context: CallContext) async throws -> ListExemptionsResponse {
        let caller = try context.requireUnit()
        let from = try Self.date(request.fromDate, field: "from_date")
        let to = try Self.date(request.toDate, field: "to_date")
        var unitCode: String?
        if request.unitCode.isEmpty {
            guard caller.isTaskForce else {
                throw RPCError(.permissionDenied, "only the task force office lists every unit's exemptions; give your own unit_code \(caller.unitCode)")
            }
        } else {
            let code = try UnitService.unitCode(request.unitCode)
            guard caller.isTaskForce || code.value == caller.unitCode else {
                throw RPCError(.permissionDenied, "a unit lists only its own exemptions (\(caller.unitCode)); the task force office lists any")
            }
            unitCode = code.value
        }
        guard let exemptions else { return ListExemptionsResponse() }
        let found = try await exemptions.exemptions(unit: unitCode, from: from, through: to)
        await record(
            AuditRecord(
                atMillis: Self.millis(now()), unitCode: caller.unitCode, credentialID: caller.credentialID,
                staff: context.staff ?? "", action: .supervisionListExemptions, itemCode: "",
                caseReference: "\(from)..\(to)", holderID: "", typeCode: "", licenceID: unitCode ?? "all units",
                result: .listed(count: found.count)))
        return ListExemptionsResponse(exemptions: found.map(Self.info))
    }

    static func info(_ e: FlagExemption) -> FlagExemptionInfo {
        FlagExemptionInfo(
            exemptionID: e.id, unitCode: e.unit, flag: e.flag, fromDate: e.from.description, toDate: e.through.description,
            ground: e.ground, reason: e.reason, grantedBy: e.grantedBy, grantedAtMillis: millis(e.grantedAt))
    }

    // MARK: Who looked

    package func whoLooked(_ request: WhoLookedRequest, context: CallContext) async throws -> WhoLookedResponse {
        let portal = try context.requireCitizenPortal()
        let holder = try Holder.parse(request.holderID, field: "holder_id")
        var before: Int64?
        if !request.pageToken.isEmpty {
            guard let token = Int64(request.pageToken), token > 0 else {
                throw RPCError(.invalidArgument, "page_token: not a token this server gave; pass next_page_token of the previous page, or \"\" for the newest")
            }
            before = token
        }
        let limit = request.limit == 0 ? 50 : Int(min(request.limit, 500))
        let found: [AuditRecord]
        do {
            // One more than asked, to know whether there is a next page.
            found = try await audit.records(aboutHolder: holder.key, actions: Self.dataActions, before: before, limit: limit + 1)
        } catch {
            logger.error("audit trail unreadable", metadata: ["error": "\(error)"])
            throw RPCError(.unavailable, "the audit trail could not be read; retry")
        }
        let page = Array(found.prefix(limit))
        let registered = try await units.units()
        let unitNames = Dictionary(registered.map { ($0.code.value, $0.name) }, uniquingKeysWith: { first, _ in first })
        var itemNames: [String: [String: String]] = [:]  // unit -> item code -> name (newest version naming it)
        var proofNames: [String: [String: String]] = [:]  // unit -> proof code -> name as its list writes it
        for code in Set(page.map(\.unitCode)) {
            guard let parsed = try? UnifiedSocialCreditCode.parse(code, field: "unit") else { continue }
            let history = (try? await units.listHistory(unit: parsed)) ?? []
            for version in history {
                for item in version.items {
                    itemNames[code, default: [:]][item.code] = item.name
                    for proof in item.proofs where !proof.name.isEmpty { proofNames[code, default: [:]][proof.proofCode] = proof.name }
                }
            }
        }
        let entries = page.map { record in
            WhoLookedEntry(
                atMillis: record.atMillis, unitCode: record.unitCode, unitName: unitNames[record.unitCode] ?? "",
                action: record.action.rawValue, itemCode: record.itemCode, itemName: itemNames[record.unitCode]?[record.itemCode] ?? "",
                typeCode: record.typeCode,
                typeName: typeNames[record.typeCode] ?? proofNames[record.unitCode]?[record.typeCode] ?? "",
                result: record.result.rawValue, auditSequence: UInt64(max(0, record.sequence)))
        }
        let next = found.count > limit ? page.last.map { String($0.sequence) } ?? "" : ""
        await record(
            AuditRecord(
                atMillis: Self.millis(now()), unitCode: portal.unitCode, credentialID: portal.credentialID,
                staff: context.staff ?? "", action: .supervisionWhoLooked, itemCode: "", caseReference: request.pageToken,
                holderID: holder.key, typeCode: "", licenceID: "\(entries.count) entries", result: .listed))
        return WhoLookedResponse(holderID: holder.key, entries: entries, nextPageToken: next)
    }

    // MARK: Helpers

    /// Audits a supervision read; a failure is logged (the read changed nothing).
    private func record(_ entry: AuditRecord) async {
        do {
            _ = try await audit.append(entry)
        } catch {
            logger.error("audit write failed", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }

    static func date(_ text: String, field: String) throws -> CivilDate {
        guard !text.isEmpty else { throw RPCError(.invalidArgument, "\(field): required — a civil date YYYY-MM-DD (China Standard Time)") }
        return try CivilDate.parse(text, field: field)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
