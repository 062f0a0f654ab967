package import Foundation
package import NoProofDomain

/// The item-list life cycle as a plain state machine: an event and the current version in, the
/// next version or an `NoProofError` out. No storage, no clock.
///
/// ```
/// draft --submit--> submitted --approve--> approved --publish--> published
///   ^                   |
///   +--reopen-- rejected <--reject--+
/// ```
/// Content rules (checked on edit and submit): items valid and unique; data sharing only for
/// licence types of the catalogue whose database is connected. Revision rules (on submit):
/// every difference from the revised version is declared as a `ListChange` with its cause, and
/// every declared change matches a difference; an added proof must name how the unit will obtain
/// it (data sharing, department verification or commitment — or be excluded with a reason);
/// changes reported more than `reportingWorkingDays` working days after their cause are flagged
/// late.
package struct ItemListStateMachine: Sendable {
    /// Working-day calendar for the reporting window.
    package var calendar: HolidayCalendar
    /// Licence types by code, for the data-sharing check.
    package var licenceTypes: [String: LicenceType]
    /// Art. 5 reporting window in working days.
    package var reportingWorkingDays: Int
    /// Zone in which submission instants become civil days.
    package var timeZone: TimeZone

    /// Creates a machine.
    package init(
        calendar: HolidayCalendar = .default, licenceTypes: [LicenceType] = LicenceTypeCatalogue.starter,
        reportingWorkingDays: Int = 3, timeZone: TimeZone = CivilDate.chinaStandardTime
    ) {
        self.calendar = calendar
        self.licenceTypes = Dictionary(licenceTypes.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        self.reportingWorkingDays = reportingWorkingDays
        self.timeZone = timeZone
    }

    /// A new draft: version `version` of `unitCode`'s list, a copy of `base`'s items when it
    /// revises a published version, empty otherwise.
    package func newDraft(
        unitCode: UnifiedSocialCreditCode, version: Int, basedOn base: ItemListVersion?,
        by actor: String, at time: Date
    ) -> ItemListVersion {
        let note = base.map { "revision of version \($0.version)" } ?? "first list"
        return ItemListVersion(
            unitCode: unitCode, version: version, basedOn: base?.version, items: base?.items ?? [],
            changes: [], status: .draft, createdAt: time, updatedAt: time,
            history: [ItemListHistoryEntry(action: "created", at: time, actor: "\(unitCode)/\(actor)", status: .draft, note: note)])
    }

    /// Applies `event` to `list`.
    /// - Parameter base: the published version `list` revises (`list.basedOn`), needed for
    ///   `submit` of a revision; ignored otherwise.
    /// - Throws: `NoProofError` saying why the event is refused.
    package func apply(_ event: ItemListEvent, to list: ItemListVersion, base: ItemListVersion? = nil) throws(NoProofError) -> ItemListVersion {
        var next = list
        let own = { (staff: String) in "\(list.unitCode)/\(staff)" }
        switch event {
        case .edit(let items, let changes, let by, let at):
            try require(
                list, in: [.draft], for: event,
                hint: list.status == .rejected ? "reopen it first" : "only drafts can be edited; start a new revision")
            try checkActor(by)
            do {
                try validateContent(items)
                for (index, change) in changes.enumerated() { try change.validate(field: "changes[\(index)]") }
            } catch { throw .invalid(error) }
            if list.basedOn == nil, !changes.isEmpty {
                throw NoProofError(.invalid, "a unit's first list revises nothing; declare changes only on a revision of a published list", field: "changes")
            }
            next.items = items
            // A change already reported (submitted, then rejected and reopened) keeps the day it
            // was first reported; a new one is assessed when submitted.
            let reported = list.changes.filter { $0.timeliness != nil } + (list.reportedChanges ?? [])
            next.changes = changes.map { change in
                var c = change
                c.timeliness = reported.first(where: { $0.sameChange(as: change) })?.timeliness
                return c
            }
            next.updatedAt = at
            next.history.append(
                ItemListHistoryEntry(
                    action: "edited", at: at, actor: own(by), status: .draft,
                    note: "\(items.count) items, \(changes.count) declared changes"))
        case .submit(let by, let at):
            try require(
                list, in: [.draft], for: event,
                hint: list.status == .rejected ? "reopen it, make the changes, then submit" : "it has already been submitted")
            try checkActor(by)
            if list.items.isEmpty {
                throw NoProofError(.invalid, "a list needs at least one service item before it can be submitted", field: "items")
            }
            do { try validateContent(list.items) } catch { throw .invalid(error) }
            let reportedOn = CivilDate(at, timeZone: timeZone)
            let submission = list.submissionCount + 1
            next.changes = try checkedChanges(list, base: base, reportedOn: reportedOn, submittedAt: at, submission: submission)
            var reported = list.reportedChanges ?? []
            for change in next.changes where !reported.contains(where: { $0.sameChange(as: change) }) { reported.append(change) }
            next.reportedChanges = reported
            next.status = .submitted
            next.submittedAt = at
            next.submittedBy = by
            next.updatedAt = at
            let late = next.lateChanges
            let note =
                late.isEmpty ? "" : "late changes (more than \(reportingWorkingDays) working days after cause): " + late.map(\.summary).joined(separator: "; ")
            next.history.append(ItemListHistoryEntry(action: "submitted", at: at, actor: own(by), status: .submitted, note: note))
        case .approve(let reviewer, let at, let effectiveAt):
            try require(list, in: [.submitted], for: event, hint: "only submitted lists can be approved")
            try checkReviewer(reviewer)
            guard effectiveAt >= at else {
                throw NoProofError(.invalid, "effective time \(effectiveAt) is before the approval time \(at); choose now or later", field: "effective_at")
            }
            next.status = .approved
            next.reviewedAt = at
            next.reviewedBy = reviewer.actor
            next.effectiveAt = effectiveAt
            next.updatedAt = at
            next.history.append(
                ItemListHistoryEntry(
                    action: "approved", at: at, actor: reviewer.actor, status: .approved,
                    note: "effective \(effectiveAt)"))
        case .reject(let reviewer, let at, let reason):
            try require(list, in: [.submitted], for: event, hint: "only submitted lists can be rejected")
            try checkReviewer(reviewer)
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                throw NoProofError(.invalid, "a rejection must say why, so the unit knows what to change", field: "reason")
            }
            next.status = .rejected
            next.reviewedAt = at
            next.reviewedBy = reviewer.actor
            next.rejectionReason = trimmed
            next.updatedAt = at
            next.history.append(ItemListHistoryEntry(action: "rejected", at: at, actor: reviewer.actor, status: .rejected, note: trimmed))
        case .reopen(let by, let at):
            try require(list, in: [.rejected], for: event, hint: "only rejected lists are reopened")
            try checkActor(by)
            next.status = .draft
            next.submittedAt = nil
            next.submittedBy = nil
            next.reviewedAt = nil
            next.reviewedBy = nil
            next.rejectionReason = nil
            // The changes keep their timeliness: it was fixed when they were first reported.
            next.updatedAt = at
            next.history.append(
                ItemListHistoryEntry(
                    action: "reopened", at: at, actor: own(by), status: .draft,
                    note: "after rejection: \(list.rejectionReason ?? "")"))
        case .publish(let by, let at):
            try require(list, in: [.approved], for: event, hint: "a list is published only after the task force approves it")
            next.status = .published
            next.publishedAt = at
            next.updatedAt = at
            next.history.append(
                ItemListHistoryEntry(
                    action: "published", at: at, actor: by, status: .published,
                    note: "in force from \(list.effectiveAt.map { "\($0)" } ?? "-")"))
        }
        return next
    }

    /// Checks list content: each item valid, item codes unique, data sharing only for connected
    /// catalogue licence types.
    /// - Throws: `ValidationError` naming `items[i]...`.
    package func validateContent(_ items: [ServiceItem]) throws(ValidationError) {
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let field = "items[\(index)]"
            try item.validate(field: field)
            if !seen.insert(item.code).inserted {
                throw ValidationError(field: "\(field).code", reason: "item code \(item.code) appears twice in the list")
            }
            for (proofIndex, proof) in item.proofs.enumerated() where proof.method == .dataSharing {
                let proofField = "\(field).proofs[\(proofIndex)].method"
                guard let type = licenceTypes[proof.proofCode] else {
                    throw ValidationError(
                        field: proofField,
                        reason:
                            "\(proof.proofCode) of item \(item.code) is not a licence type in the library, so it cannot be obtained by data sharing; use department_verification or commitment"
                    )
                }
                guard type.connected else {
                    throw ValidationError(
                        field: proofField,
                        reason:
                            "\(type.code) (\(type.nameZh)) of item \(item.code): its database is not connected, so it must be obtained by department_verification (issuing unit \(type.issuerCode)) or commitment"
                    )
                }
                try proof.disclosure.validate(against: type, field: "\(field).proofs[\(proofIndex)].fields")
            }
        }
    }

    /// The declared changes with their timeliness, after checking them against the differences
    /// from the base version.
    /// A change first reported in an earlier submission of this version keeps that submission's
    /// day (`reportedOn` of its timeliness), re-assessed only if its cause date was corrected.
    func checkedChanges(
        _ list: ItemListVersion, base: ItemListVersion?, reportedOn: CivilDate,
        submittedAt: Date = Date(timeIntervalSince1970: 0), submission: Int = 1
    ) throws(NoProofError) -> [ListChange] {
        guard let basedOn = list.basedOn else {
            if !list.changes.isEmpty {
                throw NoProofError(.invalid, "a unit's first list revises nothing; remove the declared changes", field: "changes")
            }
            return []
        }
        guard let base, base.version == basedOn, base.unitCode == list.unitCode else {
            throw NoProofError(.invalid, "the revised version \(basedOn) is needed to check the declared changes", field: "based_on")
        }
        let differences = ProofDifference.between(base.items, list.items)
        if differences.isEmpty {
            throw NoProofError(.invalid, "this revision changes no item or proof of version \(basedOn); edit it or abandon it", field: "items")
        }
        for difference in differences {
            if !list.changes.contains(where: difference.isDeclared(by:)) {
                let kind = difference.kind == .reduce && difference.after == .cancelled ? "reduce (or change)" : difference.kind.rawValue
                throw NoProofError(
                    .invalid,
                    "\(difference) is not declared; add a \(kind) change for it with its cause and the date the cause arose (Art. 5)", field: "changes")
            }
            if difference.kind == .add {
                let addedProofs: [ProofRequirement]
                if let proofCode = difference.proofCode {
                    addedProofs = list.item(difference.itemCode)?.proof(proofCode).map { [$0] } ?? []
                } else {
                    addedProofs = list.item(difference.itemCode)?.proofs ?? []
                }
                for proof in addedProofs where proof.method == .cancelled {
                    throw NoProofError(
                        .invalid,
                        "proof \(proof.proofCode) added to item \(difference.itemCode) must say how the unit will obtain it: data_sharing, department_verification or commitment (Art. 5); an added proof cannot be cancelled",
                        field: "items")
                }
            }
        }
        var result: [ListChange] = []
        for (index, change) in list.changes.enumerated() {
            if !differences.contains(where: { $0.isDeclared(by: change) }) {
                throw NoProofError(
                    .invalid,
                    "declared change \"\(change.summary)\" does not match any difference from version \(basedOn); correct its kind, item or proof, or remove it",
                    field: "changes[\(index)]")
            }
            let first = change.timeliness
            let reported = first?.reportedOn ?? reportedOn
            if change.causeDate > reported {
                throw NoProofError(
                    .invalid,
                    "cause date \(change.causeDate) is after the submission day \(reported); a change is reported after its cause arises",
                    field: "changes[\(index)].cause_date")
            }
            var checked = change
            do {
                checked.timeliness = try ChangeTimeliness.assess(
                    causeDate: change.causeDate, reportedOn: reported, calendar: calendar,
                    windowWorkingDays: reportingWorkingDays,
                    firstSubmittedAt: first == nil ? submittedAt : first?.firstSubmittedAt,
                    firstSubmission: first == nil ? submission : first?.firstSubmission)
            } catch {
                throw NoProofError(
                    .conflict,
                    "cannot count the Art. 5 window of \(change.summary): \(error.message)", field: "changes[\(index)].cause_date")
            }
            result.append(checked)
        }
        return result
    }

    private func require(_ list: ItemListVersion, in statuses: Set<ItemListStatus>, for event: ItemListEvent, hint: String) throws(NoProofError) {
        guard statuses.contains(list.status) else {
            throw NoProofError(
                .conflict,
                "cannot \(event.name) version \(list.version) of \(list.unitCode)'s list: it is \(list.status.rawValue); \(hint)", field: "status")
        }
    }

    private func checkActor(_ staffID: String) throws(NoProofError) {
        do { try StaffMember.validateID(staffID, field: "staff_id") } catch { throw .invalid(error) }
    }

    private func checkReviewer(_ reviewer: ListReviewer) throws(NoProofError) {
        guard reviewer.unit.isTaskForceOffice else {
            throw NoProofError(
                .forbidden,
                "only the task force office (工作专班办公室) approves or rejects lists (Art. 5); \(reviewer.unit.name) is not it", field: "reviewer")
        }
        try checkActor(reviewer.staffID)
    }
}
