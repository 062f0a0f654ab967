import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofProtocol
import NoProofServer
import NoProofStore
import NoProofUnitStore
import NoProofUnits

/// Supervision over RPC (`noproof.v1.Supervision`, Art. 15, 16, 20).
///
/// - `Report`: per unit and period, the figures the task force office supervises, counted from
///   the audit trail's per-(unit, day, metric) tallies (one indexed range read, however many
///   records there are) plus the oversight figures of an `OversightCountsSource`, with the flags
///   the data raises. The task force office reads every unit; a unit reads its own report only.
/// - `WhoLooked`: for one holder, every unit that obtained (or tried to obtain) their data, from
///   the audit trail's holder index, newest first and paged — for the citizen portal only.
///
/// Both calls are audited themselves (`Supervision.Report`, `Supervision.WhoLooked`).
package struct SupervisionService: Sendable {
    let audit: AuditLog
    let units: any UnitStore
    let oversight: (any OversightCountsSource)?
    /// Licence-type (and proof) code to its name, for who-looked entries.
    let typeNames: [String: String]
    let now: @Sendable () -> Date
    let logger: Logger

    /// The audit actions by which a unit obtains a holder's data (shown by `WhoLooked`).
    package static let dataActions = ["Lookup", "GetLicence", "CheckLicence", "Verification.File", "Verification.Refile", "Verification.Answer"]
    /// Longest period of one report, in days.
    static let maxPeriodDays = 3660

    /// - Parameter oversight: the commitment / ledger / mismatch / complaint counts; nil shows those
    ///   figures as not recorded.
    package init(audit: AuditLog, units: any UnitStore, oversight: (any OversightCountsSource)? = nil, typeNames: [String: String] = [:],
                 now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.supervision")) {
        self.audit = audit
        self.units = units
        self.oversight = oversight
        self.typeNames = typeNames
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
                throw RPCError(.permissionDenied, "only the task force office (工作专班办公室) reads every unit's report; give your own unit_code \(caller.unitCode) (noproof report --unit)")
            }
        } else {
            let code = try UnitService.unitCode(request.unitCode)
            guard caller.isTaskForce || code.value == caller.unitCode else {
                throw RPCError(.permissionDenied, "a unit reads only its own report (\(caller.unitCode)); the task force office reads any")
            }
            unitCode = code.value
        }
        var registered = try await UnitService.store { () async throws(UnitStoreError) in try await units.units() }
        if let unitCode {
            registered = registered.filter { $0.code.value == unitCode }
            if registered.isEmpty { throw RPCError(.notFound, "unit \(unitCode) is not registered; 'noproof units' lists the registered units") }
        }
        let tallies: [String: [String: Int64]]
        do {
            tallies = try audit.tallies(fromDay: from.daysSinceEpoch, throughDay: to.daysSinceEpoch, unitCode: unitCode)
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
        let rows = names.keys.sorted().map { code -> UnitReport in
            let figures = SupervisionFigures.figures(tallies: tallies[code] ?? [:],
                                                     oversight: oversightCounts.map { $0[code] ?? OversightFigures() })
            return UnitReport(unitCode: code, unitName: names[code] ?? "", figures: figures, flags: SupervisionFigures.flags(figures))
        }
        let moment = now()
        await record(AuditRecord(atMillis: Self.millis(moment), unitCode: caller.unitCode, credentialID: caller.credentialID,
                                 staff: context.staff ?? "", action: "Supervision.Report", itemCode: "",
                                 caseReference: "\(from)..\(to)", holderID: "", typeCode: "", licenceID: unitCode ?? "all units",
                                 result: "reported"))
        return SupervisionReportResponse(fromDate: from.description, toDate: to.description, units: rows,
                                         rules: SupervisionFigures.rules.map { "\($0.code): \($0.text)" })
    }

    // MARK: Who looked

    package func whoLooked(_ request: WhoLookedRequest, context: CallContext) async throws -> WhoLookedResponse {
        let portal = try context.requireCitizenPortal()
        let holder = try UnitService.validated { () throws(ValidationError) in try Holder.parse(request.holderID, field: "holder_id") }
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
            found = try audit.records(aboutHolder: holder.key, actions: Self.dataActions, before: before, limit: limit + 1)
        } catch {
            logger.error("audit trail unreadable", metadata: ["error": "\(error)"])
            throw RPCError(.unavailable, "the audit trail could not be read; retry")
        }
        let page = Array(found.prefix(limit))
        let registered = try await UnitService.store { () async throws(UnitStoreError) in try await units.units() }
        let unitNames = Dictionary(registered.map { ($0.code.value, $0.name) }, uniquingKeysWith: { first, _ in first })
        var itemNames: [String: [String: String]] = [:]    // unit -> item code -> name (newest version naming it)
        var proofNames: [String: [String: String]] = [:]   // unit -> proof code -> name as its list writes it
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
            WhoLookedEntry(atMillis: record.atMillis, unitCode: record.unitCode, unitName: unitNames[record.unitCode] ?? "",
                           action: record.action, itemCode: record.itemCode, itemName: itemNames[record.unitCode]?[record.itemCode] ?? "",
                           typeCode: record.typeCode,
                           typeName: typeNames[record.typeCode] ?? proofNames[record.unitCode]?[record.typeCode] ?? "",
                           result: record.result, auditSequence: UInt64(max(0, record.sequence)))
        }
        let next = found.count > limit ? page.last.map { String($0.sequence) } ?? "" : ""
        await record(AuditRecord(atMillis: Self.millis(now()), unitCode: portal.unitCode, credentialID: portal.credentialID,
                                 staff: context.staff ?? "", action: "Supervision.WhoLooked", itemCode: "", caseReference: request.pageToken,
                                 holderID: holder.key, typeCode: "", licenceID: "\(entries.count) entries", result: "listed"))
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

    static func date(_ text: String, field: String) throws(RPCError) -> CivilDate {
        guard !text.isEmpty else { throw RPCError(.invalidArgument, "\(field): required — a civil date YYYY-MM-DD (China Standard Time)") }
        return try UnitService.validated { () throws(ValidationError) in try CivilDate.parse(text, field: field) }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
