package import Foundation
package import Logging
package import NoProofAuditChain
import NoProofCodec
import NoProofDomain
package import NoProofMessages
package import NoProofOversight
import NoProofProtocol
package import NoProofServer
package import NoProofUnitStore

/// Supervision over RPC (`noproof.v1.Supervision`, Art. 15, 16, 20): the adapter of
/// `SupervisionUseCases`, which holds the policy and the audit.
///
/// - `Report`: per unit and period, the figures the task force office supervises, counted from
///   the audit trail's per-(unit, day, metric) tallies (one indexed range read, however many
///   records there are) plus the oversight figures of an `OversightCountsSource`, with the flags
///   the data raises (`SupervisionFigures`). The task force office reads every unit; a unit reads
///   its own report only.
/// - `WhoLooked`: for one holder, every unit that obtained (or tried to obtain) their data, from
///   the audit trail's holder index, newest first and paged — for the citizen portal only.
///
/// - `ExemptFlag` / `ListExemptions`: Art. 17 exemptions against one flag of one unit for one
///   period, recorded by the task force office's staff signed in (fail closed, `AuditedChange`);
///   the report shows a covered flag as exempted with the record.
///
/// Every call is audited itself (`Supervision.Report`, `Supervision.WhoLooked`, `Supervision.Exempt`).
package struct SupervisionService: Sendable {
    let useCases: SupervisionUseCases

    /// The audit actions by which a unit obtains a holder's data (shown by `WhoLooked`).
    package static var dataActions: [AuditAction] { SupervisionUseCases.dataActions }
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
        self.useCases = SupervisionUseCases(
            audit: audit, units: units, oversight: oversight, typeNames: typeNames, thresholds: thresholds, exemptions: exemptions,
            issuers: issuers, now: now, logger: logger)
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(SupervisionMethods.report, APISupervisionReportRequest.self, APISupervisionReportResponse.self) { request, context in
            try await report(request, context: context)
        }
        registry.unary(SupervisionMethods.whoLooked, APIWhoLookedRequest.self, APIWhoLookedResponse.self) { request, context in
            try await whoLooked(request, context: context)
        }
        registry.unary(SupervisionMethods.exemptFlag, APIExemptFlagRequest.self, APIExemptFlagResponse.self) { request, context in
            try await exempt(request, context: context)
        }
        registry.unary(SupervisionMethods.listExemptions, APIListExemptionsRequest.self, APIListExemptionsResponse.self) { request, context in
            try await listExemptions(request, context: context)
        }
    }

    // MARK: Report

    package func report(_ request: APISupervisionReportRequest, context: CallContext) async throws -> APISupervisionReportResponse {
        let caller = try Caller(context)
        let from = try RequestFields.civilDate(request.fromDate, field: "from_date")
        let to = try RequestFields.civilDate(request.toDate, field: "to_date")
        guard from <= to else { throw RPCError(.invalidArgument, "to_date: \(to) is before from_date \(from); give the period's first and last day") }
        guard to.daysSinceEpoch - from.daysSinceEpoch < Self.maxPeriodDays else {
            throw RPCError(.invalidArgument, "to_date: a report covers at most \(Self.maxPeriodDays) days; split the period")
        }
        let unitCode = try request.unitCode.isEmpty ? nil : RequestFields.unitCode(request.unitCode)
        let report = try await useCases.report(from: from, to: to, unitCode: unitCode, caller: caller)
        let rows = report.rows.map { row -> APIUnitReport in
            let figures = SupervisionFigures.figures(
                tallies: row.tallies, oversight: row.oversight, list: row.list, periodDays: report.periodDays, thresholds: report.thresholds)
            return APIUnitReport(
                unitCode: row.unitCode, unitName: row.unitName, figures: figures,
                flags: SupervisionFigures.flags(figures, thresholds: report.thresholds, exemptions: row.exemptions))
        }
        return APISupervisionReportResponse(
            fromDate: report.from.description, toDate: report.to.description, units: rows,
            rules: SupervisionFigures.rules(report.thresholds).map { "\($0.code): \($0.text)" })
    }

    // MARK: Exemptions (Art. 17)

    package func exempt(_ request: APIExemptFlagRequest, context: CallContext) async throws -> APIExemptFlagResponse {
        let input = SupervisionUseCases.ExemptionInput(
            unitCode: request.unitCode, flag: request.flag, fromDate: request.fromDate, toDate: request.toDate, ground: request.ground,
            reason: request.reason)
        let stored = try await useCases.exempt(input, caller: Caller(context))
        return APIExemptFlagResponse(exemption: Self.info(stored.exemption), created: stored.created)
    }

    package func listExemptions(_ request: APIListExemptionsRequest, context: CallContext) async throws -> APIListExemptionsResponse {
        let caller = try Caller(context)
        let from = try RequestFields.civilDate(request.fromDate, field: "from_date")
        let to = try RequestFields.civilDate(request.toDate, field: "to_date")
        let unitCode = try request.unitCode.isEmpty ? nil : RequestFields.unitCode(request.unitCode)
        let found = try await useCases.exemptions(from: from, to: to, unitCode: unitCode, caller: caller)
        return APIListExemptionsResponse(exemptions: found.map(Self.info))
    }

    static func info(_ e: FlagExemption) -> APIFlagExemptionInfo {
        APIFlagExemptionInfo(
            exemptionID: e.id, unitCode: e.unit, flag: e.flag, fromDate: e.from.description, toDate: e.through.description,
            ground: e.ground, reason: e.reason, grantedBy: e.grantedBy, grantedAtMillis: SupervisionUseCases.millis(e.grantedAt))
    }

    // MARK: Who looked

    package func whoLooked(_ request: APIWhoLookedRequest, context: CallContext) async throws -> APIWhoLookedResponse {
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
        let page = try await useCases.whoLooked(
            SupervisionUseCases.WhoLookedInput(holder: holder, before: before, limit: limit, pageToken: request.pageToken),
            caller: Caller(unit: portal, claimedStaff: context.staff))
        let entries = page.entries.map { entry in
            APIWhoLookedEntry(
                atMillis: entry.atMillis, unitCode: entry.unitCode, unitName: entry.unitName, action: entry.action.rawValue, itemCode: entry.itemCode,
                itemName: entry.itemName, typeCode: entry.typeCode, typeName: entry.typeName, result: entry.result.rawValue,
                auditSequence: UInt64(max(0, entry.auditSequence)))
        }
        return APIWhoLookedResponse(holderID: page.holderID, entries: entries, nextPageToken: page.nextPageToken)
    }
}
