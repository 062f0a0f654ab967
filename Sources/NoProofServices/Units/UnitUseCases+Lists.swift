package import Foundation
import NoProofAuditChain
package import NoProofDomain
package import NoProofUnitStore
package import NoProofUnits
import Logging
import NoProofProtocol

extension UnitUseCases {
    /// A unit's item list: its registration, the version in force now and the versions the
    /// caller sees — the published ones for anyone (Art. 5: lists are public), every version for
    /// the unit itself and the task force office. `caller` nil: not authenticated.
    package func itemList(
        of code: UnifiedSocialCreditCode, caller: Caller?
    ) async throws -> (unit: ServiceUnit, inForce: ItemListVersion?, versions: [ItemListVersion]) {
        let unit = try await existingUnit(code)
        let history = try await store.listHistory(unit: unit.code)
        // The unit itself and the task force office also see versions still under work.
        let insider = caller.map { !$0.unit.isCitizenPortal && ($0.unit.unitCode == unit.code.value || $0.unit.isTaskForce) } ?? false
        let visible = insider ? history : history.filter { $0.status == .published }
        return (unit, ItemListVersion.inForce(among: history, at: now()), visible)
    }

    /// "What must the applicant bring for item X": the item of the published list in force of
    /// `unitCode` (empty: the caller's unit, when a unit calls). `caller` nil: not authenticated.
    package func showItem(_ itemCode: String, of unitCode: String, caller: Caller?) async throws -> (
        unit: ServiceUnit, list: ItemListVersion, item: ServiceItem
    ) {
        let given = unitCode.isEmpty ? (caller.flatMap { $0.unit.isCitizenPortal ? nil : $0.unit.unitCode } ?? "") : unitCode
        guard !given.isEmpty else {
            throw NoProofError.invalid("unit_code", "required without a unit's credential — the unit whose list names the item")
        }
        let unit = try await existingUnit(RequestFields.unitCode(given))
        try ServiceItem.validateCode(itemCode, field: "item_code")
        let list = try await store.versionInForce(unit: unit.code, at: now())
        guard let list else {
            throw NoProofError(
                .conflict, "\(unit.name) (\(unit.code)) has no published item list in force; nothing may be asked of an applicant by list (Art. 5)")
        }
        guard let item = list.item(itemCode) else {
            throw NoProofError(
                .notFound,
                "item \(itemCode) is not in \(unit.name)'s published list version \(list.version); 'noproof list show \(unit.code)' lists its items")
        }
        return (unit, list, item)
    }

    /// Starts a draft of the caller's own list (`List.Draft`).
    package func createDraft(of unitCode: String, caller: Caller) async throws -> ItemListVersion {
        let (code, staff) = try ownList(unitCode, caller: caller, to: "start a draft of")
        let moment = now()
        return try await listChange(.listDraft, caller, staff, list: code, version: nil) { () async throws(NoProofError) in
            try await store.createDraft(unit: code, by: staff, at: moment)
        }
    }

    /// Saves the items and declared changes of a draft of the caller's own list (`List.Save`).
    package func saveDraft(
        of unitCode: String, version: UInt32, content: Result<(items: [ServiceItem], changes: [ListChange]), any Error>, caller: Caller
    ) async throws -> ItemListVersion {
        let (code, staff) = try ownList(unitCode, caller: caller, to: "edit")
        let (items, changes) = try content.get()
        let version = try RequestFields.version(version)
        let moment = now()
        return try await listChange(.listSave, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.saveDraft(unit: code, version: version, items: items, changes: changes, by: staff, at: moment)
        }
    }

    /// Submits a version of the caller's own list for review (`List.Submit`; each change it
    /// reports late is audited as `List.LateChange`). Any active staff member of the unit,
    /// supervisor or agent, may submit (the store checks membership).
    package func submitList(of unitCode: String, version: UInt32, caller: Caller) async throws -> ItemListVersion {
        let (code, staff) = try ownList(unitCode, caller: caller, to: "submit")
        let version = try RequestFields.version(version)
        let moment = now()
        return try await listChange(.listSubmit, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.submitList(unit: code, version: version, by: staff, at: moment)
        }
    }

    /// Reopens a version of the caller's own list for editing (`List.Reopen`).
    package func reopenList(of unitCode: String, version: UInt32, caller: Caller) async throws -> ItemListVersion {
        let (code, staff) = try ownList(unitCode, caller: caller, to: "reopen")
        let version = try RequestFields.version(version)
        let moment = now()
        return try await listChange(.listReopen, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.reopenList(unit: code, version: version, by: staff, at: moment)
        }
    }

    /// The task force office's supervisor (督办员), signed in, approves a submitted version, in
    /// force from `effectiveAt` (nil: now) (`List.Approve`).
    package func approveList(of unitCode: String, version: UInt32, effectiveAt: Date?, caller: Caller) async throws -> ItemListVersion {
        let (code, version, staff) = try await review(unitCode, version, caller: caller, to: "approve")
        let moment = now()
        let effective = effectiveAt ?? moment
        return try await listChange(.listApprove, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.approveList(unit: code, version: version, reviewerStaff: staff, at: moment, effectiveAt: effective)
        }
    }

    /// The task force office's supervisor (督办员), signed in, rejects a submitted version, saying
    /// why (`List.Reject`).
    package func rejectList(of unitCode: String, version: UInt32, reason: String, caller: Caller) async throws -> ItemListVersion {
        let (code, version, staff) = try await review(unitCode, version, caller: caller, to: "reject")
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw NoProofError.invalid("reason", "required — a rejection must say why, so the unit knows what to change")
        }
        let moment = now()
        return try await listChange(.listReject, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.rejectList(unit: code, version: version, reviewerStaff: staff, at: moment, reason: reason)
        }
    }

    /// The unit itself or the task force office publishes an approved version (`List.Publish`);
    /// one already published (for example by the server when its effective time came) is
    /// answered as it is, and nothing is written.
    package func publishList(of unitCode: String, version: UInt32, caller: Caller) async throws -> ItemListVersion {
        let unit = caller.unit
        let code = try RequestFields.unitCode(unitCode)
        guard unit.unitCode == code.value || unit.isTaskForce else {
            throw NoProofError(
                .forbidden,
                "only \(code) itself or the task force office (工作专班办公室) publishes its list; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        let staff = try await member(caller.staff(), of: unit, roles: nil)
        let version = try RequestFields.version(version)
        let current = try await store.listVersion(unit: code, version: version)
        if let current, current.status == .published { return current }
        let moment = now()
        return try await listChange(.listPublish, caller, staff, list: code, version: version) { () async throws(NoProofError) in
            try await store.publishList(unit: code, version: version, actor: "\(unit.unitCode)/\(staff)", at: moment)
        }
    }

    /// Loads item lists in bulk (`format` "json" or "csv"; empty: told by the text) as drafts: a
    /// unit its own list only (entries for other units become problems), the task force office
    /// any; fail closed (`List.Load`: an intent per unit, then each version loaded as `draft`).
    package func loadItemLists(format given: String, text: String, caller: Caller) async throws -> BulkLoadReport {
        let unit = caller.unit
        let staff = try await member(caller.staff(), of: unit, roles: nil)
        let format =
            given.isEmpty
            ? (text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.first.map { $0 == "{" || $0 == "[" } == true ? "json" : "csv")
            : given.lowercased()
        var file: ItemListBulkFile
        switch format {
        case "json": file = ItemListBulkFile.parseJSON(Data(text.utf8))
        case "csv": file = ItemListBulkFile.parseCSV(text)
        default: throw NoProofError.invalid("format", "must be json or csv, got \"\(given)\"")
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
        return report
    }

    // MARK: List steps

    /// The unit and acting staff member of a change the unit makes to its own list.
    private func ownList(_ unitCode: String, caller: Caller, to action: String) throws(NoProofError) -> (UnifiedSocialCreditCode, String) {
        let unit = caller.unit
        let code = try RequestFields.unitCode(unitCode.isEmpty ? unit.unitCode : unitCode)
        guard unit.unitCode == code.value else {
            throw NoProofError(.forbidden, "only \(code) itself may \(action) its list; this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
        return (code, try caller.staff())
    }

    /// The list and the reviewing staff member: the task force office's supervisor (督办员).
    private func review(_ unitCode: String, _ version: UInt32, caller: Caller, to action: String) async throws -> (UnifiedSocialCreditCode, Int, String) {
        try caller.requireTaskForce(to: "\(action) item lists (Art. 5)")
        let code = try RequestFields.unitCode(unitCode)
        let staff = try await member(caller.signedInStaff(to: "\(action) item lists"), of: caller.unit, roles: [.supervisor])
        return (code, try RequestFields.version(version), staff)
    }

    /// Runs a list change, audits it (a submission also audits each change it reports late) and
    /// reloads the access gate's lists so lookups follow at once.
    private func listChange(
        _ action: AuditAction, _ caller: Caller, _ staff: String, list code: UnifiedSocialCreditCode, version: Int?,
        _ body: () async throws(NoProofError) -> ItemListVersion
    ) async throws -> ItemListVersion {
        let unit = caller.unit
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
                listRecords(list, action: action, caller: caller, staff: staff, at: moment)
            })
        await reloadGate()
        return list
    }

    /// The outcome records of a list step: the step with the list's new status, and for a
    /// submission each change it reports late.
    private func listRecords(_ list: ItemListVersion, action: AuditAction, caller: Caller, staff: String, at moment: Date) -> [AuditRecord] {
        let unit = caller.unit
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
}
