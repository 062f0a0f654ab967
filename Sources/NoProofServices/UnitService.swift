import Foundation
import Logging
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofProtocol
import NoProofServer
import NoProofUnitStore
import NoProofUnits
import NoProofAuditChain

/// Units, staff, credentials and the item lists over RPC (`noproof.v1.Units`).
///
/// Who may do what:
/// - anyone, without authentication, reads the unit registry and the published lists with their
///   version history (Art. 5: lists are public); the unit itself and the task force office also
///   see its open (unpublished) versions;
/// - an authenticated unit reads units and staff; a unit or the task force office replaces the
///   unit's staff set (the Art. 10 rule is enforced by the store);
/// - only the task force office issues, revokes and lists credentials and reads the denial log;
/// - the unit drafts, edits, submits and reopens its own list; the task force office's supervisor
///   (督办员) approves or rejects it; the unit or the task force office publishes it.
///
/// List actions name the acting staff member in the `staff` metadata; the store checks that the
/// member belongs to the acting unit. After a list is published the `AccessGate` reloads, so
/// lookups follow the new list at once.
///
/// Every change — units, staff, credentials issued and revoked, each step of a list's life cycle
/// (and each change it declares late) — is written to the audit trail before the call is
/// answered (docs/AUDIT.md lists the actions).
package struct UnitService: Sendable {
    let store: any UnitStore
    let gate: AccessGate
    /// The audit trail; nil only in tests of the unit service alone.
    let audit: any AuditTrail
    let now: @Sendable () -> Date
    let credentialRounds: Int
    let logger: Logger
    /// Open sessions by credential: a revocation closes them (nil when not wired, e.g. some tests).
    let sessions: LiveSessions?

    /// Longest credential validity accepted, in days.
    static let maxCredentialDays: UInt32 = 3650
    /// Validity of a credential when the request gives none, in days.
    static let defaultCredentialDays: UInt32 = 365

    /// - Parameters:
    ///   - gate: reloaded after list changes so lookups see new published lists; nil when the
    ///     server has no access control.
    ///   - credentialRounds: PBKDF2 rounds of issued credentials (lower only in tests).
    package init(
        store: any UnitStore, gate: AccessGate, audit: any AuditTrail, credentialRounds: Int = CredentialHash.defaultRounds,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.units"),
        sessions: LiveSessions? = nil
    ) {
        self.sessions = sessions
        self.store = store
        self.gate = gate
        self.audit = audit
        self.now = now
        self.credentialRounds = credentialRounds
        self.logger = logger
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(UnitMethods.listUnits, ListUnitsRequest.self, ListUnitsResponse.self) { _, _ in
            ListUnitsResponse(units: try await store.units().map(UnitInfo.init))
        }
        registry.unary(UnitMethods.getUnit, GetUnitRequest.self, GetUnitResponse.self) { request, context in
            _ = try context.requireUnit()
            return GetUnitResponse(unit: UnitInfo(try await existingUnit(try Self.unitCode(request.unitCode))))
        }
        registry.unary(UnitMethods.listStaff, ListStaffRequest.self, ListStaffResponse.self) { request, context in
            let unit = try context.requireUnit()
            let code = try Self.unitCode(request.unitCode.isEmpty ? unit.unitCode : request.unitCode)
            let staff = try await store.staff(of: code, includeInactive: request.includeInactive)
            return ListStaffResponse(unitCode: code.value, staff: staff.map(StaffEntry.init))
        }
        registry.unary(UnitMethods.createUnit, CreateUnitRequest.self, GetUnitResponse.self) { request, context in
            let unit = try context.requireUnit()
            try Self.requireTaskForce(unit, to: "register units")
            let staff = try await member(Self.requireSignedIn(context, to: "register units"), of: unit, roles: nil)
            guard let message = request.unit else { throw RPCError(.invalidArgument, "unit: required") }
            let created = try ServiceUnit(message: message)
            let members = try request.staff.enumerated().map { index, entry throws(ValidationError) in
                try StaffMember(message: entry, active: true, field: "staff[\(index)]")
            }
            let moment = now()
            let intent = try auditRecord(
                context, action: .unitCreate, staff: staff, subject: created.code.value,
                counterpart: created.code.value, at: moment)
            try await audited(
                [intent],
                { () async throws in
                    try await store.createUnit(created, staff: members, at: moment)
                }, outcome: { _ in [intent.with(result: .created)] })
            logger.info("unit registered", metadata: ["unit": "\(created.code)", "by": "\(staff)"])
            try? await gate.refresh(publishingDue: false)
            return GetUnitResponse(unit: UnitInfo(created))
        }
        registry.unary(UnitMethods.updateUnit, UpdateUnitRequest.self, GetUnitResponse.self) { request, context in
            let unit = try context.requireUnit()
            try Self.requireTaskForce(unit, to: "change units")
            let staff = try await member(Self.requireSignedIn(context, to: "change units"), of: unit, roles: nil)
            guard let message = request.unit else { throw RPCError(.invalidArgument, "unit: required") }
            let changed = try ServiceUnit(message: message)
            let moment = now()
            let intent = try auditRecord(
                context, action: .unitUpdate, staff: staff, subject: changed.code.value,
                counterpart: changed.code.value, at: moment)
            try await audited(
                [intent],
                { () async throws in
                    try await store.updateUnit(changed, at: moment)
                }, outcome: { _ in [intent.with(result: changed.active ? .updated : .deactivated)] })
            logger.info("unit changed", metadata: ["unit": "\(changed.code)", "by": "\(staff)", "active": "\(changed.active)"])
            await reloadGate()
            return GetUnitResponse(unit: UnitInfo(changed))
        }
        registry.unary(UnitMethods.setStaff, SetStaffRequest.self, ListStaffResponse.self) { request, context in
            try await setStaff(request, context: context)
        }
        registry.unary(UnitMethods.issueCredential, IssueCredentialRequest.self, IssueCredentialResponse.self) { request, context in
            try await issueCredential(request, context: context)
        }
        registry.unary(UnitMethods.revokeCredential, RevokeCredentialRequest.self, CredentialResponse.self) { request, context in
            let unit = try context.requireUnit()
            try Self.requireTaskForce(unit, to: "revoke credentials")
            let staff = try await member(Self.requireSignedIn(context, to: "revoke credentials"), of: unit, roles: nil)
            guard !request.credentialID.isEmpty else { throw RPCError(.invalidArgument, "credential_id: required") }
            let moment = now()
            let target = try await store.credential(id: request.credentialID)
            let intent = try auditRecord(
                context, action: .credentialRevoke, staff: staff, subject: String(request.credentialID.prefix(128)),
                counterpart: target?.unitCode.value ?? "", at: moment)
            let revoked = try await audited(
                [intent],
                { () async throws in
                    try await store.revokeCredential(id: request.credentialID, by: staff, reason: request.reason, at: moment)
                }, outcome: { _ in [intent.with(result: .revoked)] })
            // Sessions already open with it end now, not just new authentications.
            let closed =
                sessions?.revoke(
                    credentialID: revoked.id,
                    message: "credential \(revoked.id) was revoked at \(revoked.revokedAt.map { "\($0)" } ?? "now") (\(revoked.revocationReason ?? "")); "
                        + "this session is closed — ask the task force office (工作专班办公室) for a new credential"
                ) ?? 0
            logger.info(
                "credential revoked",
                metadata: [
                    "credential": "\(revoked.id)", "unit": "\(revoked.unitCode)", "by": "\(staff)", "sessions_closed": "\(closed)",
                ])
            return CredentialResponse(credential: CredentialInfo(revoked))
        }
        registry.unary(UnitMethods.listCredentials, ListCredentialsRequest.self, ListCredentialsResponse.self) { request, context in
            try Self.requireTaskForce(try context.requireUnit(), to: "list credentials")
            let codes =
                request.unitCode.isEmpty
                ? try await store.units().map(\.code)
                : [try await existingUnit(try Self.unitCode(request.unitCode)).code]
            var credentials: [CredentialInfo] = []
            for code in codes {
                credentials += try await store.credentials(of: code)
                    .map(CredentialInfo.init)
            }
            return ListCredentialsResponse(credentials: credentials)
        }
        registry.unary(UnitMethods.listDenials, ListDenialsRequest.self, ListDenialsResponse.self) { request, context in
            try Self.requireTaskForce(try context.requireUnit(), to: "read the denial log")
            let code = request.unitCode.isEmpty ? nil : try Self.unitCode(request.unitCode)
            let limit = request.limit == 0 ? 100 : Int(min(request.limit, 10_000))
            let records = try await store.denials(unit: code, limit: limit)
            return ListDenialsResponse(
                denials: records.map {
                    DenialEntry(
                        atMillis: Int64(($0.at.timeIntervalSince1970 * 1000).rounded(.down)), unitCode: $0.unitCode, staffID: $0.staffID,
                        itemCode: $0.itemCode, caseReference: $0.caseReference, typeCode: $0.typeCode,
                        kind: $0.kind == .denial ? "denial" : "breach", reason: $0.reason, message: $0.message)
                })
        }
        registerLists(in: &registry)
    }

    // MARK: Item lists

    private func registerLists(in registry: inout RPCRegistry) {
        registry.unary(UnitMethods.getItemList, GetItemListRequest.self, GetItemListResponse.self) { request, context in
            let unit = try await existingUnit(try Self.unitCode(request.unitCode))
            let history = try await store.listHistory(unit: unit.code)
            // The unit itself and the task force office also see versions still under work.
            let insider = context.unit.map { !$0.isCitizenPortal && ($0.unitCode == unit.code.value || $0.isTaskForce) } ?? false
            let visible = insider ? history : history.filter { $0.status == .published }
            return GetItemListResponse(
                unit: UnitInfo(unit), inForce: ItemListVersion.inForce(among: history, at: now()).map(ItemList.init),
                versions: visible.map(ItemList.init))
        }
        registry.unary(UnitMethods.showItem, ShowItemRequest.self, ShowItemResponse.self) { request, context in
            try await showItem(request, context: context)
        }
        registry.unary(UnitMethods.createDraft, CreateDraftRequest.self, ItemListResponse.self) { request, context in
            let (code, staff) = try ownList(request.unitCode, context: context, to: "start a draft of")
            let moment = now()
            return try await listChange(.listDraft, context, staff, list: code, version: nil) { () async throws(NoProofError) in
                try await store.createDraft(unit: code, by: staff, at: moment)
            }
        }
        registry.unary(UnitMethods.saveDraft, SaveDraftRequest.self, ItemListResponse.self) { request, context in
            let (code, staff) = try ownList(request.unitCode, context: context, to: "edit")
            let items = try request.items.enumerated().map { index, item throws(ValidationError) in try ServiceItem(message: item, field: "items[\(index)]") }
            let changes = try request.changes.enumerated().map { index, change throws(ValidationError) in
                try ListChange(message: change, field: "changes[\(index)]")
            }
            let version = try Self.version(request.version)
            let moment = now()
            return try await listChange(.listSave, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.saveDraft(unit: code, version: version, items: items, changes: changes, by: staff, at: moment)
            }
        }
        registry.unary(UnitMethods.submitList, ListVersionRequest.self, ItemListResponse.self) { request, context in
            // Any active staff member of the unit, supervisor or agent, may submit (the store checks membership).
            let (code, staff) = try ownList(request.unitCode, context: context, to: "submit")
            let version = try Self.version(request.version)
            let moment = now()
            return try await listChange(.listSubmit, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.submitList(unit: code, version: version, by: staff, at: moment)
            }
        }
        registry.unary(UnitMethods.reopenList, ListVersionRequest.self, ItemListResponse.self) { request, context in
            let (code, staff) = try ownList(request.unitCode, context: context, to: "reopen")
            let version = try Self.version(request.version)
            let moment = now()
            return try await listChange(.listReopen, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.reopenList(unit: code, version: version, by: staff, at: moment)
            }
        }
        registry.unary(UnitMethods.approveList, ApproveListRequest.self, ItemListResponse.self) { request, context in
            let (code, version, staff) = try await review(request.unitCode, request.version, context: context, to: "approve")
            let moment = now()
            let effective = request.effectiveAtMillis == 0 ? moment : Date(timeIntervalSince1970: Double(request.effectiveAtMillis) / 1000)
            return try await listChange(.listApprove, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.approveList(unit: code, version: version, reviewerStaff: staff, at: moment, effectiveAt: effective)
            }
        }
        registry.unary(UnitMethods.rejectList, RejectListRequest.self, ItemListResponse.self) { request, context in
            let (code, version, staff) = try await review(request.unitCode, request.version, context: context, to: "reject")
            guard !request.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RPCError(.invalidArgument, "reason: required — a rejection must say why, so the unit knows what to change")
            }
            let moment = now()
            return try await listChange(.listReject, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.rejectList(unit: code, version: version, reviewerStaff: staff, at: moment, reason: request.reason)
            }
        }
        registry.unary(UnitMethods.publishList, ListVersionRequest.self, ItemListResponse.self) { request, context in
            let unit = try context.requireUnit()
            let code = try Self.unitCode(request.unitCode)
            guard unit.unitCode == code.value || unit.isTaskForce else {
                throw RPCError(
                    .permissionDenied,
                    "only \(code) itself or the task force office (工作专班办公室) publishes its list; this connection acts for \(unit.unitName) (\(unit.unitCode))")
            }
            let staff = try await member(Self.requireStaff(context), of: unit, roles: nil)
            let version = try Self.version(request.version)
            let current = try await store.listVersion(unit: code, version: version)
            if let current, current.status == .published {
                // Already published (for example by the server when its effective time came).
                return ItemListResponse(list: ItemList(current))
            }
            let moment = now()
            return try await listChange(.listPublish, context, staff, list: code, version: version) { () async throws(NoProofError) in
                try await store.publishList(unit: code, version: version, actor: "\(unit.unitCode)/\(staff)", at: moment)
            }
        }
        registry.unary(UnitMethods.loadItemLists, LoadItemListsRequest.self, LoadItemListsResponse.self) { request, context in
            try await loadItemLists(request, context: context)
        }
        registry.unary(UnitMethods.getCalendar, GetCalendarRequest.self, GetCalendarResponse.self) { request, _ in
            let years: [PublishedCalendarYear]
            if request.history {
                var wanted = [Int(request.year)]
                if request.year == 0 {
                    wanted = try await store.calendarYears().map(\.data.year)
                }
                var all: [PublishedCalendarYear] = []
                for year in wanted {
                    all += try await store.calendarHistory(year: year)
                }
                years = all
            } else {
                years = try await store.calendarYears()
                    .filter { request.year == 0 || $0.data.year == Int(request.year) }
            }
            if request.year != 0, years.isEmpty {
                throw RPCError(
                    .notFound, "no working-day calendar is published for \(request.year); the task force office publishes it with 'noproof calendar load'")
            }
            return GetCalendarResponse(years: years.map(CalendarYearInfo.init), officeHours: store.calendarBook.clock.hours.description)
        }
        registry.unary(UnitMethods.publishCalendarYear, PublishCalendarYearRequest.self, PublishCalendarYearResponse.self) { request, context in
            try await publishCalendarYear(request, context: context)
        }
    }

    /// The task force office publishes one year of the working-day calendar (signed in, audited
    /// fail-closed as `Calendar.Publish`); it is in force for new decisions at once.
    private func publishCalendarYear(_ request: PublishCalendarYearRequest, context: CallContext) async throws -> PublishCalendarYearResponse {
        let unit = try context.requireUnit()
        try Self.requireTaskForce(unit, to: "publish the working-day calendar")
        let staff = try await member(Self.requireSignedIn(context, to: "publish the working-day calendar"), of: unit, roles: nil)
        guard let message = request.year else { throw RPCError(.invalidArgument, "year: required") }
        let year = try CalendarYear(message: message)
        let moment = now()
        let intent = try auditRecord(
            context, action: .calendarPublish, staff: staff, subject: "CALENDAR \(year.year)",
            counterpart: unit.unitCode, at: moment)
        let published = try await audited(
            [intent],
            { () async throws in
                try await store.publishCalendarYear(year, by: "\(unit.unitCode)/\(staff)", at: moment)
            }, outcome: { published in [intent.with(result: .calendar(version: published.version, provisional: year.provisional))] })
        logger.info(
            "calendar year published",
            metadata: [
                "year": "\(year.year)", "version": "\(published.version)", "by": "\(staff)",
                "holidays": "\(year.holidays.count)", "working_days": "\(year.workingDays.count)",
            ])
        return PublishCalendarYearResponse(year: CalendarYearInfo(published))
    }

    /// Runs a list change, audits it (a submission also audits each change it reports late) and
    /// reloads the access gate's lists so lookups follow at once.
    private func listChange(
        _ action: AuditAction, _ context: CallContext, _ staff: String, list code: UnifiedSocialCreditCode, version: Int?,
        _ body: () async throws(NoProofError) -> ItemListVersion
    ) async throws -> ItemListResponse {
        let unit = try context.requireUnit()
        let moment = now()
        // The intent names the version asked for (a new draft's number is the store's to give).
        let intent = AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: action, itemCode: "", caseReference: version.map { "LIST \(code.value) v\($0)" } ?? "LIST \(code.value) new draft",
            holderID: "", typeCode: "", licenceID: "", result: .unset,
            counterpartUnit: code.value == unit.unitCode ? "" : code.value)
        let list = try await audited(
            [intent], { () async throws in try await body() },
            outcome: { list in
                listRecords(list, action: action, unit: unit, staff: staff, at: moment)
            })
        await reloadGate()
        return ItemListResponse(list: ItemList(list))
    }

    /// The outcome records of a list step: the step with the list's new status, and for a
    /// submission each change it reports late.
    private func listRecords(_ list: ItemListVersion, action: AuditAction, unit: AuthenticatedUnit, staff: String, at moment: Date) -> [AuditRecord] {
        var records = [Self.listAuditRecord(list, action: action, unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff, at: moment)]
        if action == .listSubmit {
            // Each late change once: a resubmission after a rejection does not count it again.
            records += list.newlyLateChanges.map { change in
                AuditRecord(
                    atMillis: Self.millis(moment), unitCode: list.unitCode.value, credentialID: unit.credentialID, staff: staff,
                    action: .listLateChange, itemCode: change.itemCode, caseReference: Self.listSubject(list),
                    holderID: "", typeCode: change.proofCode ?? "", licenceID: change.kind.rawValue,
                    result: .lateChange, proofSerial: change.timeliness.map { "\($0.workingDaysElapsed) working days" } ?? "")
            }
        }
        return records
    }

    /// `LIST <unit> v<version>`: the subject of a list's audit records (in `case_reference`).
    static func listSubject(_ list: ItemListVersion) -> String { "LIST \(list.unitCode.value) v\(list.version)" }

    /// The audit record of a step in a list's life cycle: the result is the list's new status
    /// (`submitted_late` for a submission declaring a late change); the list's unit is the
    /// counterpart when another unit (the task force office) acts.
    static func listAuditRecord(
        _ list: ItemListVersion, action: AuditAction, unitCode: String, credentialID: String, staff: String,
        at moment: Date
    ) -> AuditRecord {
        let late = action == .listSubmit && !list.lateChanges.isEmpty
        return AuditRecord(
            atMillis: millis(moment), unitCode: unitCode, credentialID: credentialID, staff: staff, action: action,
            itemCode: "", caseReference: listSubject(list), holderID: "", typeCode: "", licenceID: "",
            result: late ? .submittedLate : AuditResult(rawValue: list.status.rawValue),
            counterpartUnit: list.unitCode.value == unitCode ? "" : list.unitCode.value)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The audit record of an administrative change by the connection's unit (its result is set
    /// by `audited`: `intended`, then the outcome).
    private func auditRecord(
        _ context: CallContext, action: AuditAction, staff: String, subject: String,
        counterpart: String, at moment: Date
    ) throws -> AuditRecord {
        let unit = try context.requireUnit()
        return AuditRecord(
            atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
            action: action, itemCode: "", caseReference: subject, holderID: "", typeCode: "", licenceID: "",
            result: .unset, counterpartUnit: counterpart == unit.unitCode ? "" : counterpart)
    }

    /// Makes a privileged change fail closed (`AuditedChange`): `intent` is durable before `change`
    /// runs, else UNAVAILABLE and nothing is changed; then the records `outcome` builds are written.
    private func audited<T>(
        _ intent: [AuditRecord], _ change: () async throws -> T,
        outcome: (T) -> [AuditRecord]
    ) async throws -> T {
        try await AuditedChange.run(audit: audit, logger: logger, intent: intent, change: change, outcome: outcome)
    }

    private func reloadGate() async {
        do {
            try await gate.refresh(publishingDue: false)
        } catch {
            logger.warning("item lists not reloaded after a change", metadata: ["error": "\(error)"])
        }
    }

    /// The unit and acting staff member of a change the unit makes to its own list.
    private func ownList(_ unitCode: String, context: CallContext, to action: String) throws -> (UnifiedSocialCreditCode, String) {
        let unit = try context.requireUnit()
        let code = try Self.unitCode(unitCode.isEmpty ? unit.unitCode : unitCode)
        guard unit.unitCode == code.value else {
            throw RPCError(.permissionDenied, "only \(code) itself may \(action) its list; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        return (code, try Self.requireStaff(context))
    }

    /// The list and the reviewing staff member: the task force office's supervisor (督办员).
    private func review(
        _ unitCode: String, _ version: UInt32, context: CallContext,
        to action: String
    ) async throws -> (UnifiedSocialCreditCode, Int, String) {
        let unit = try context.requireUnit()
        try Self.requireTaskForce(unit, to: "\(action) item lists (Art. 5)")
        let code = try Self.unitCode(unitCode)
        let staff = try await member(Self.requireSignedIn(context, to: "\(action) item lists"), of: unit, roles: [.supervisor])
        return (code, try Self.version(version), staff)
    }

    private func loadItemLists(_ request: LoadItemListsRequest, context: CallContext) async throws -> LoadItemListsResponse {
        let unit = try context.requireUnit()
        let staff = try await member(Self.requireStaff(context), of: unit, roles: nil)
        let format =
            request.format.isEmpty
            ? (request.text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.first.map { $0 == "{" || $0 == "[" } == true ? "json" : "csv")
            : request.format.lowercased()
        var file: ItemListBulkFile
        switch format {
        case "json": file = ItemListBulkFile.parseJSON(Data(request.text.utf8))
        case "csv": file = ItemListBulkFile.parseCSV(request.text)
        default: throw RPCError(.invalidArgument, "format: must be json or csv, got \"\(request.format)\"")
        }
        if !unit.isTaskForce {
            // A unit loads only its own list; the task force office loads any.
            let foreign = file.entries.filter { $0.unitCode.value != unit.unitCode }
            file.entries.removeAll { $0.unitCode.value != unit.unitCode }
            file.problems += foreign.map {
                BulkLoadProblem(
                    location: $0.location, unit: $0.unitCode.value, field: "unit",
                    message: "only the unit itself or the task force office loads a unit's list; this connection acts for \(unit.unitCode)")
            }
        }
        let moment = now()
        let loading = file
        // One intent per unit whose list the file loads; the outcome names each version loaded.
        let intents = Set(loading.entries.map(\.unitCode.value)).sorted().map { code in
            AuditRecord(
                atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
                action: .listLoad, itemCode: "", caseReference: "LIST \(code) load", holderID: "", typeCode: "",
                licenceID: "", result: .unset, counterpartUnit: code == unit.unitCode ? "" : code)
        }
        let report = try await audited(
            intents,
            { () async throws in
                try await store.loadLists(loading, by: staff, at: moment)
            },
            outcome: { report in
                report.loaded.map {
                    AuditRecord(
                        atMillis: Self.millis(moment), unitCode: unit.unitCode, credentialID: unit.credentialID, staff: staff,
                        action: .listLoad, itemCode: "", caseReference: "LIST \($0.unitCode) v\($0.version)", holderID: "", typeCode: "",
                        licenceID: "", result: .draft, counterpartUnit: $0.unitCode == unit.unitCode ? "" : $0.unitCode)
                }
            })
        if !report.loaded.isEmpty { await reloadGate() }
        logger.info(
            "item lists loaded",
            metadata: [
                "loaded": "\(report.loaded.count)", "problems": "\(report.problems.count)",
                "by": "\(unit.unitCode)/\(staff)",
            ])
        return LoadItemListsResponse(
            loaded: report.loaded.map { LoadedList(unitCode: $0.unitCode, version: UInt32(clamping: $0.version), itemCount: UInt32(clamping: $0.itemCount)) },
            problems: report.problems.map { LoadProblem(location: $0.location, unit: $0.unit, field: $0.field, message: $0.message) }
        )
    }

    // MARK: Staff and credentials

    private func setStaff(_ request: SetStaffRequest, context: CallContext) async throws -> ListStaffResponse {
        let unit = try context.requireUnit()
        let code = try Self.unitCode(request.unitCode.isEmpty ? unit.unitCode : request.unitCode)
        guard unit.unitCode == code.value || unit.isTaskForce else {
            throw RPCError(
                .permissionDenied,
                "only \(code) itself or the task force office (工作专班办公室) sets its staff; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        guard !request.staff.isEmpty else {
            throw RPCError(.invalidArgument, "staff: give the whole new staff set — one supervisor (督办员) and at least one agent (代办员) (Art. 10)")
        }
        // Who serves a unit is the supervisor's decision (the unit's own, or the task force office's),
        // made by the person signed in — never by a system credential naming someone.
        let actor = try await member(Self.requireSignedIn(context, to: "set a unit's staff"), of: unit, roles: [.supervisor])
        // Members listed are the active staff; members left out are deactivated by the store.
        let members = try request.staff.enumerated().map { index, entry throws(ValidationError) in
            try StaffMember(message: entry, active: true, field: "staff[\(index)]")
        }
        let moment = now()
        let intent = try auditRecord(context, action: .staffSet, staff: actor, subject: code.value, counterpart: code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.replaceStaff(of: code, with: members, at: moment)
            }, outcome: { _ in [intent.with(result: .replaced)] })
        let staff = try await store.staff(of: code, includeInactive: true)
        logger.info("staff replaced", metadata: ["unit": "\(code)", "by": "\(unit.unitCode)/\(actor)", "members": "\(members.count)"])
        await reloadGate()
        return ListStaffResponse(unitCode: code.value, staff: staff.map(StaffEntry.init))
    }

    private func issueCredential(_ request: IssueCredentialRequest, context: CallContext) async throws -> IssueCredentialResponse {
        let unit = try context.requireUnit()
        try Self.requireTaskForce(unit, to: "issue credentials")
        let staff = try await member(Self.requireSignedIn(context, to: "issue credentials"), of: unit, roles: nil)
        let target = try await existingUnit(try Self.unitCode(request.unitCode))
        let days = request.expiresInDays == 0 ? Self.defaultCredentialDays : request.expiresInDays
        guard days <= Self.maxCredentialDays else {
            throw RPCError(.invalidArgument, "expires_in_days: at most \(Self.maxCredentialDays) days, got \(days)")
        }
        let moment = now()
        let certificate = request.certificateSha256.isEmpty ? nil : request.certificateSha256
        let staffID = request.staffID.isEmpty ? nil : request.staffID
        let kind = request.kind.isEmpty && staffID != nil ? CredentialKind.staff : try CredentialKind.parse(request.kind)
        let (credential, secret) = try Credential.issue(
            unitCode: target.code, label: request.label, issuedBy: staff, issuedAt: moment,
            expiresAt: moment.addingTimeInterval(Double(days) * 86_400), kind: kind,
            rounds: credentialRounds, certificateSHA256: certificate, staffID: staffID)
        let intent = try auditRecord(
            context, action: .credentialIssue, staff: staff, subject: credential.id,
            counterpart: target.code.value, at: moment)
        try await audited(
            [intent],
            { () async throws in
                try await store.insertCredential(credential)
            }, outcome: { _ in [intent.with(result: credential.kind == .unit ? .issued : .issued(kind: credential.kind.rawValue))] })
        logger.info(
            "credential issued",
            metadata: [
                "credential": "\(credential.id)", "unit": "\(target.code)", "by": "\(staff)",
                "kind": "\(credential.certificateSHA256 == nil ? "secret" : "client certificate")",
            ])
        // A certificate credential authenticates by its certificate only: its secret is never shown.
        return IssueCredentialResponse(credential: CredentialInfo(credential), secret: credential.certificateSHA256 == nil ? secret : "")
    }

    // MARK: Checks

    /// The registered unit with `code`, or NOT_FOUND.
    private func existingUnit(_ code: UnifiedSocialCreditCode) async throws -> ServiceUnit {
        guard let unit = try await store.unit(code: code) else {
            throw RPCError(.notFound, "unit \(code) is not registered; 'noproof units' lists the registered units")
        }
        return unit
    }

    /// "What must the applicant bring for item X": from the unit's published list in force, each
    /// proof with its method and what to do (only an excluded proof is brought by the applicant).
    func showItem(_ request: ShowItemRequest, context: CallContext) async throws -> ShowItemResponse {
        let given = request.unitCode.isEmpty ? (context.unit.flatMap { $0.isCitizenPortal ? nil : $0.unitCode } ?? "") : request.unitCode
        guard !given.isEmpty else {
            throw RPCError(.invalidArgument, "unit_code: required without a unit's credential — the unit whose list names the item")
        }
        let unit = try await existingUnit(try Self.unitCode(given))
        try ServiceItem.validateCode(request.itemCode, field: "item_code")
        let moment = now()
        let list = try await store.versionInForce(unit: unit.code, at: moment)
        guard let list else {
            throw RPCError(
                .failedPrecondition, "\(unit.name) (\(unit.code)) has no published item list in force; nothing may be asked of an applicant by list (Art. 5)")
        }
        guard let item = list.item(request.itemCode) else {
            throw RPCError(
                .notFound,
                "item \(request.itemCode) is not in \(unit.name)'s published list version \(list.version); 'noproof list show \(unit.code)' lists its items")
        }
        let proofs = item.proofs.map { proof -> ItemProofGuidance in
            let guidance = ProofGuidance(itemCode: item.code, proof: proof, listVersion: list.version)
            var issuing = ""
            if case .departmentVerification(let code) = proof.method { issuing = code.value }
            return ItemProofGuidance(
                proof: proof.proofCode, name: proof.name, method: proof.method.token, issuingUnit: issuing,
                applicantBrings: guidance.applicantBrings, whatToDo: guidance.whatToDo, fields: proof.disclosure.keys)
        }
        return ShowItemResponse(
            unitCode: unit.code.value, unitName: unit.name, listVersion: UInt32(list.version),
            effectiveAtMillis: list.effectiveAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } ?? 0,
            itemCode: item.code, itemName: item.name, itemKind: item.kind.token, proofs: proofs)
    }

    /// `staffID` if it is an active member of the connection's unit with one of `roles` (any role
    /// when nil); PERMISSION_DENIED otherwise.
    private func member(_ staffID: String, of unit: AuthenticatedUnit, roles: Set<StaffRole>?) async throws -> String {
        let code = try Self.unitCode(unit.unitCode)
        let found = try await store.staffMember(staffID, of: code)
        guard let found, found.active else {
            throw RPCError(
                .permissionDenied,
                "\(staffID) is not an active staff member of \(unit.unitName) (\(unit.unitCode)); name one in the staff metadata ('noproof staff list')")
        }
        if let roles, !roles.contains(found.role) {
            let wanted = roles.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) (\($0.nameZh))" }.joined(separator: " or ")
            throw RPCError(
                .permissionDenied,
                "this needs the \(wanted) of \(unit.unitName); \(staffID) is \(found.role == .agent ? "an" : "a") \(found.role.rawValue) (\(found.role.nameZh))"
            )
        }
        return staffID
    }

    /// `Caller.staff()` of the call (kept for the services not yet on their use cases).
    static func requireStaff(_ context: CallContext) throws -> String { try Caller(context).staff() }

    /// `Caller.signedInStaff(to:)` of the call (kept for the services not yet on their use cases).
    static func requireSignedIn(_ context: CallContext, to action: String) throws -> String { try Caller(context).signedInStaff(to: action) }

    /// `Caller.requireTaskForce(to:)` for `unit` (kept for the services not yet on their use cases).
    static func requireTaskForce(_ unit: AuthenticatedUnit, to action: String) throws { try Caller(unit: unit).requireTaskForce(to: action) }

    /// `RequestFields.unitCode`.
    static func unitCode(_ text: String, field: String = "unit_code") throws -> UnifiedSocialCreditCode { try RequestFields.unitCode(text, field: field) }

    /// `RequestFields.version`.
    static func version(_ version: UInt32) throws -> Int { try RequestFields.version(version) }
}
