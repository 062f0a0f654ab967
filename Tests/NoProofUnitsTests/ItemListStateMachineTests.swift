import Foundation
import NoProofDomain
import Testing
@testable import NoProofUnits

@Suite("Item list life cycle")
struct ItemListStateMachineTests {
    let machine = Fixtures.machine
    let unit = Fixtures.civilAffairsCode

    func draft(items: [ServiceItem] = [Fixtures.marriageItem]) throws -> ItemListVersion {
        let list = machine.newDraft(unitCode: unit, version: 1, basedOn: nil, by: "agent-0001", at: Fixtures.cst(2026, 3, 2))
        return try machine.apply(.edit(items: items, changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
    }

    func expectRefusal(
        _ code: NoProofError.Code, containing text: String,
        _ body: () throws -> ItemListVersion
    ) {
        do {
            _ = try body()
            Issue.record("expected a refusal containing \"\(text)\"")
        } catch let error as NoProofError {
            #expect(error.code == code)
            #expect(error.message.contains(text), "message: \(error.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func draftSubmitApprovePublish() throws {
        var list = try draft()
        #expect(list.status == .draft)
        list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 3)), to: list)
        #expect(list.status == .submitted && list.submittedBy == "agent-0001")
        let effective = Fixtures.cst(2026, 3, 9, 9)
        list = try machine.apply(.approve(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), effectiveAt: effective), to: list)
        #expect(list.status == .approved && list.effectiveAt == effective)
        #expect(list.reviewedBy == "\(Fixtures.taskForceCode)/supervisor-0001")
        list = try machine.apply(.publish(by: "system", at: Fixtures.cst(2026, 3, 4, 11)), to: list)
        #expect(list.status == .published)
        #expect(list.history.map(\.action) == ["created", "edited", "submitted", "approved", "published"])
        #expect(!list.hasTakenEffect(at: Fixtures.cst(2026, 3, 8)))
        #expect(list.hasTakenEffect(at: effective))
    }

    @Test func rejectThenReopenThenResubmit() throws {
        var list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 3)), to: try draft())
        expectRefusal(.invalid, containing: "must say why") {
            try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), reason: "  "), to: list)
        }
        list = try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), reason: "缺少低保事项"), to: list)
        #expect(list.status == .rejected && list.rejectionReason == "缺少低保事项")
        let rejected = list
        expectRefusal(.conflict, containing: "reopen it first") {
            try machine.apply(.edit(items: [], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: rejected)
        }
        expectRefusal(.conflict, containing: "it is rejected") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: rejected)
        }
        list = try machine.apply(.reopen(by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: list)
        #expect(list.status == .draft && list.rejectionReason == nil && list.submittedAt == nil)
        list = try machine.apply(
            .edit(
                items: [Fixtures.marriageItem, Fixtures.subsidyItem], changes: [], by: "agent-0001",
                at: Fixtures.cst(2026, 3, 5)), to: list)
        list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: list)
        list = try machine.apply(.approve(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 6), effectiveAt: Fixtures.cst(2026, 3, 6)), to: list)
        #expect(list.history.map(\.action) == ["created", "edited", "submitted", "rejected", "reopened", "edited", "submitted", "approved"])
        #expect(list.history[3].note == "缺少低保事项")
    }

    @Test func refusedTransitions() throws {
        let draftList = try draft()
        expectRefusal(.conflict, containing: "cannot approve") {
            try machine.apply(.approve(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), effectiveAt: Fixtures.cst(2026, 3, 5)), to: draftList)
        }
        expectRefusal(.conflict, containing: "cannot publish") { try machine.apply(.publish(by: "system", at: Fixtures.cst(2026, 3, 4)), to: draftList) }
        expectRefusal(.conflict, containing: "cannot reject") {
            try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), reason: "x"), to: draftList)
        }
        expectRefusal(.conflict, containing: "cannot reopen") { try machine.apply(.reopen(by: "agent-0001", at: Fixtures.cst(2026, 3, 4)), to: draftList) }
        let empty = machine.newDraft(unitCode: unit, version: 1, basedOn: nil, by: "agent-0001", at: Fixtures.cst(2026, 3, 2))
        expectRefusal(.invalid, containing: "at least one service item") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: empty)
        }

        let submitted = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 3)), to: draftList)
        expectRefusal(.conflict, containing: "cannot edit") {
            try machine.apply(.edit(items: [], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 3)), to: submitted)
        }
        expectRefusal(.conflict, containing: "cannot submit") { try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 3)), to: submitted) }
        let outsider = ListReviewer(unit: Fixtures.water, staffID: "supervisor-0001")
        expectRefusal(.forbidden, containing: "only the task force office") {
            try machine.apply(.approve(reviewer: outsider, at: Fixtures.cst(2026, 3, 4), effectiveAt: Fixtures.cst(2026, 3, 5)), to: submitted)
        }
        expectRefusal(.forbidden, containing: "only the task force office") {
            try machine.apply(.reject(reviewer: outsider, at: Fixtures.cst(2026, 3, 4), reason: "x"), to: submitted)
        }
        expectRefusal(.invalid, containing: "before the approval time") {
            try machine.apply(.approve(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 4), effectiveAt: Fixtures.cst(2026, 3, 3)), to: submitted)
        }
        let published = try Fixtures.publishedFirstList()
        expectRefusal(.conflict, containing: "it is published") { try machine.apply(.publish(by: "system", at: Fixtures.cst(2026, 3, 4)), to: published) }
        expectRefusal(.conflict, containing: "start a new revision") {
            try machine.apply(.edit(items: [], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 4)), to: published)
        }
    }

    @Test func contentRulesAreCheckedOnEdit() throws {
        let list = machine.newDraft(unitCode: unit, version: 1, basedOn: nil, by: "agent-0001", at: Fixtures.cst(2026, 3, 2))
        let notConnected = ServiceItem(code: "A", name: "a", kind: .immediate, proofs: [ProofRequirement(proofCode: "XWZS", method: .dataSharing)])
        expectRefusal(.invalid, containing: "not connected") {
            try machine.apply(.edit(items: [notConnected], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
        let freeCode = ServiceItem(code: "A", name: "a", kind: .immediate, proofs: [ProofRequirement(proofCode: "JZZM", method: .dataSharing)])
        expectRefusal(.invalid, containing: "not a licence type") {
            try machine.apply(.edit(items: [freeCode], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
        expectRefusal(.invalid, containing: "appears twice") {
            try machine.apply(
                .edit(items: [Fixtures.marriageItem, Fixtures.marriageItem], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
        let noReason = ServiceItem(
            code: "A", name: "a", kind: .immediate,
            proofs: [ProofRequirement(proofCode: "WFZJL", method: .excluded(ExclusionReason(ground: .outOfCity, note: "")))])
        expectRefusal(.invalid, containing: "written reason") {
            try machine.apply(.edit(items: [noReason], changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
        let change = ListChange(kind: .add, itemCode: "A", proofCode: "HKB", cause: "x", causeDate: Fixtures.date("2026-03-01"))
        expectRefusal(.invalid, containing: "first list revises nothing") {
            try machine.apply(.edit(items: [Fixtures.marriageItem], changes: [change], by: "agent-0001", at: Fixtures.cst(2026, 3, 2)), to: list)
        }
    }

    // MARK: - Revisions

    func revision(items: [ServiceItem], changes: [ListChange]) throws -> (ItemListVersion, ItemListVersion) {
        let base = try Fixtures.publishedFirstList()
        var list = machine.newDraft(unitCode: unit, version: 2, basedOn: base, by: "agent-0001", at: Fixtures.cst(2026, 3, 5))
        #expect(list.items == base.items && list.basedOn == 1)
        list = try machine.apply(.edit(items: items, changes: changes, by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: list)
        return (list, base)
    }

    /// The marriage item with JZZM (commitment) now obtained by department verification.
    var changedMarriage: ServiceItem {
        var item = Fixtures.marriageItem
        item.proofs[5].method = .departmentVerification(issuingUnit: Fixtures.civilAffairsCode)
        return item
    }

    @Test func changesReportedWithinThreeWorkingDaysAcrossAWeekendAreOnTime() throws {
        let change = ListChange(
            kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "居住证明改由社区核验",
            causeDate: Fixtures.date("2026-03-05"))
        let (list, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        // Thursday 5 March -> Tuesday 10 March is the third working day.
        let onTime = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 10, 17)), to: list, base: base)
        #expect(
            onTime.changes[0].timeliness
                == ChangeTimeliness(
                    reportedOn: Fixtures.date("2026-03-10"), workingDaysElapsed: 3,
                    deadline: Fixtures.date("2026-03-10"), late: false,
                    firstSubmittedAt: Fixtures.cst(2026, 3, 10, 17), firstSubmission: 1))
        #expect(onTime.lateChanges.isEmpty)
        let late = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 11, 9)), to: list, base: base)
        #expect(late.changes[0].isLate)
        #expect(late.changes[0].timeliness?.workingDaysElapsed == 4)
        #expect(late.history.last?.note.contains("late changes") == true)
    }

    @Test func changesReportedAcrossAHolidayUseTheCalendar() throws {
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "新规定", causeDate: Fixtures.date("2026-04-02"))
        let (list, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        // Thu 2 April; Fri 3 April, then Qingming 4-6 April; Tue 7, Wed 8 April.
        let onTime = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 4, 8, 16)), to: list, base: base)
        #expect(onTime.changes[0].isLate == false)
        #expect(onTime.changes[0].timeliness?.deadline == Fixtures.date("2026-04-08"))
        let weekendOnly = ItemListStateMachine(calendar: .weekendsOnly)
        let lateWithoutHolidays = try weekendOnly.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 4, 8, 16)), to: list, base: base)
        #expect(lateWithoutHolidays.changes[0].isLate)
        let late = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 4, 9, 9)), to: list, base: base)
        #expect(late.changes[0].isLate)
    }

    /// Issue 16: the task force's review time is not the unit's delay. A change reported on time
    /// stays on time after a rejection and a late resubmission; the timing is that of the first
    /// submission.
    @Test func timingIsFixedAtTheFirstSubmissionAcrossRejectAndReopen() throws {
        let change = ListChange(
            kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "居住证明改由社区核验",
            causeDate: Fixtures.date("2026-03-05"))
        let (draft, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        var list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 10, 17)), to: draft, base: base)
        #expect(list.lateChanges.isEmpty)
        list = try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 16), reason: "请补充依据"), to: list)
        list = try machine.apply(.reopen(by: "agent-0001", at: Fixtures.cst(2026, 3, 17)), to: list)
        #expect(list.changes[0].timeliness?.reportedOn == Fixtures.date("2026-03-10"))
        // The unit rewrites the cause text (same change: kind, item, proof) and resubmits a week later.
        var reworded = change
        reworded.cause = "居住证明改由社区核验（依据市民政局通知）"
        list = try machine.apply(
            .edit(
                items: [changedMarriage, Fixtures.subsidyItem], changes: [reworded], by: "agent-0001",
                at: Fixtures.cst(2026, 3, 17)), to: list)
        list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 18, 9)), to: list, base: base)
        #expect(list.changes[0].isLate == false)
        #expect(list.changes[0].timeliness?.reportedOn == Fixtures.date("2026-03-10"))
        #expect(list.changes[0].timeliness?.firstSubmittedAt == Fixtures.cst(2026, 3, 10, 17))
    }

    /// Issue 16: submit -> reject -> reopen -> submit counted one late change twice. The late
    /// change is "first reported late" by the first submission only.
    @Test func aLateChangeIsFirstReportedLateOnce() throws {
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        let (draft, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        let first = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 12, 9)), to: draft, base: base)
        #expect(first.lateChanges.count == 1)
        #expect(first.newlyLateChanges.count == 1)
        var list = try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 13), reason: "x"), to: first)
        list = try machine.apply(.reopen(by: "agent-0001", at: Fixtures.cst(2026, 3, 13)), to: list)
        let second = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 16, 9)), to: list, base: base)
        #expect(second.lateChanges.count == 1, "still late: it was reported late")
        #expect(second.lateChanges[0].timeliness?.workingDaysElapsed == 5)
        #expect(second.newlyLateChanges.isEmpty, "not counted again")
        #expect(second.submissionCount == 2 && second.lateChanges[0].timeliness?.firstSubmission == 1)
    }

    /// A late change dropped in an edit after the rejection and declared again keeps its first
    /// report: it is not counted late a second time.
    @Test func aLateChangeDroppedAndDeclaredAgainKeepsItsFirstReport() throws {
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        let items = [changedMarriage, Fixtures.subsidyItem]
        let (draft, base) = try revision(items: items, changes: [change])
        var list = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 12, 9)), to: draft, base: base)
        list = try machine.apply(.reject(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 13), reason: "x"), to: list)
        list = try machine.apply(.reopen(by: "agent-0001", at: Fixtures.cst(2026, 3, 13)), to: list)
        list = try machine.apply(.edit(items: base.items, changes: [], by: "agent-0001", at: Fixtures.cst(2026, 3, 13)), to: list)
        list = try machine.apply(.edit(items: items, changes: [change], by: "agent-0001", at: Fixtures.cst(2026, 3, 16)), to: list)
        let again = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 16, 9)), to: list, base: base)
        #expect(again.changes[0].timeliness?.reportedOn == Fixtures.date("2026-03-12"))
        #expect(again.lateChanges.count == 1 && again.newlyLateChanges.isEmpty)
    }

    /// A change whose window reaches a year with no published calendar is refused, not guessed.
    @Test func aWindowOutsideThePublishedYearsIsRefused() throws {
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-12-30"))
        let (draft, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        expectRefusal(.conflict, containing: "no working-day calendar is published for 2027") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2027, 1, 4, 9)), to: draft, base: base)
        }
        let withBothYears = ItemListStateMachine(calendar: .default)
        let submitted = try withBothYears.apply(.submit(by: "agent-0001", at: Fixtures.cst(2027, 1, 4, 9)), to: draft, base: base)
        // Thu 31 Dec, (Fri 1 Jan holiday), Mon 4 Jan: two working days.
        #expect(submitted.changes[0].timeliness?.workingDaysElapsed == 2)
    }

    @Test func submissionInstantsBecomeChinaStandardTimeDays() throws {
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        let (list, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [change])
        // 23:30 CST on Tuesday 10 March is still the 10th in China (15:30 UTC).
        let submitted = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 10, 23, 30)), to: list, base: base)
        #expect(submitted.changes[0].isLate == false)
    }

    @Test func undeclaredAndUnmatchedChangesAreRefused() throws {
        let (undeclared, base) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [])
        expectRefusal(.invalid, containing: "is not declared") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: undeclared, base: base)
        }
        let wrong = ListChange(kind: .change, itemCode: "MZ-DB-002", proofCode: "HKB", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        let right = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        let (unmatched, _) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [right, wrong])
        expectRefusal(.invalid, containing: "does not match any difference") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: unmatched, base: base)
        }
        let (unchanged, _) = try revision(items: base.items, changes: [])
        expectRefusal(.invalid, containing: "changes no item or proof") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: unchanged, base: base)
        }
        let future = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-20"))
        let (early, _) = try revision(items: [changedMarriage, Fixtures.subsidyItem], changes: [future])
        expectRefusal(.invalid, containing: "after the submission day") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: early, base: base)
        }
        expectRefusal(.invalid, containing: "revised version 1 is needed") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: early, base: nil)
        }
    }

    @Test func addingAProofNeedsAVerificationMethod() throws {
        var added = Fixtures.subsidyItem
        added.proofs.append(ProofRequirement(proofCode: "CJRZ", method: .cancelled))
        let change = ListChange(kind: .add, itemCode: "MZ-DB-002", proofCode: "CJRZ", cause: "新增残疾人证核验", causeDate: Fixtures.date("2026-03-05"))
        let (cancelledAdd, base) = try revision(items: [Fixtures.marriageItem, added], changes: [change])
        expectRefusal(.invalid, containing: "must say how the unit will obtain it") {
            try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: cancelledAdd, base: base)
        }
        added.proofs[2].method = .dataSharing
        let (good, _) = try revision(items: [Fixtures.marriageItem, added], changes: [change])
        let submitted = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: good, base: base)
        #expect(submitted.status == .submitted)
        // Excluding with a reason is the only way to have the applicant bring it.
        added.proofs[2].method = .excluded(ExclusionReason(ground: .provincialDecision, note: "省级决定事项"))
        let (excluded, _) = try revision(items: [Fixtures.marriageItem, added], changes: [change])
        #expect(try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: excluded, base: base).status == .submitted)
    }

    @Test func reducingAndAddingWholeItems() throws {
        let newItem = ServiceItem(
            code: "MZ-YL-003", name: "养老服务补贴申请", kind: .commitment(.hours(48)),
            proofs: [ProofRequirement(proofCode: "JMSFZ", method: .dataSharing)])
        let changes = [
            ListChange(kind: .reduce, itemCode: "MZ-DB-002", cause: "事项划转", causeDate: Fixtures.date("2026-03-05")),
            ListChange(kind: .add, itemCode: "MZ-YL-003", cause: "新增事项", causeDate: Fixtures.date("2026-03-05")),
        ]
        let (list, base) = try revision(items: [Fixtures.marriageItem, newItem], changes: changes)
        let submitted = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: list, base: base)
        #expect(submitted.changes.count == 2)
        let differences = ProofDifference.between(base.items, list.items)
        #expect(differences.map(\.kind) == [.add, .reduce])
    }

    @Test func cancellingAProofMayBeDeclaredAsReduceOrChange() throws {
        var item = Fixtures.marriageItem
        item.proofs[5].method = .cancelled
        for kind in [ListChangeKind.reduce, .change] {
            let change = ListChange(kind: kind, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "取消居住证明", causeDate: Fixtures.date("2026-03-05"))
            let (list, base) = try revision(items: [item, Fixtures.subsidyItem], changes: [change])
            #expect(try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: list, base: base).status == .submitted)
        }
    }

    @Test func theVersionInForceIsTheLatestEffectivePublishedOne() throws {
        let v1 = try Fixtures.publishedFirstList()
        var v2 = machine.newDraft(unitCode: unit, version: 2, basedOn: v1, by: "agent-0001", at: Fixtures.cst(2026, 3, 5))
        let change = ListChange(kind: .change, itemCode: "MZ-HY-001", proofCode: "JZZM", cause: "c", causeDate: Fixtures.date("2026-03-05"))
        v2 = try machine.apply(
            .edit(items: [changedMarriage, Fixtures.subsidyItem], changes: [change], by: "agent-0001", at: Fixtures.cst(2026, 3, 5)), to: v2)
        v2 = try machine.apply(.submit(by: "agent-0001", at: Fixtures.cst(2026, 3, 6)), to: v2, base: v1)
        v2 = try machine.apply(.approve(reviewer: Fixtures.reviewer, at: Fixtures.cst(2026, 3, 9), effectiveAt: Fixtures.cst(2026, 4, 1)), to: v2)
        #expect(ItemListVersion.inForce(among: [v1, v2], at: Fixtures.cst(2026, 4, 2))?.version == 1)  // approved, not published
        v2 = try machine.apply(.publish(by: "system", at: Fixtures.cst(2026, 3, 9)), to: v2)
        let all = [v1, v2]
        #expect(ItemListVersion.inForce(among: all, at: Fixtures.cst(2026, 3, 1)) == nil)
        #expect(ItemListVersion.inForce(among: all, at: Fixtures.cst(2026, 3, 15))?.version == 1)
        #expect(ItemListVersion.inForce(among: all, at: Fixtures.cst(2026, 4, 1))?.version == 2)
    }

    @Test func versionsRoundTripThroughJSON() throws {
        let list = try Fixtures.publishedFirstList()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        let decoded = try decoder.decode(ItemListVersion.self, from: encoder.encode(list))
        #expect(decoded == list)
    }
}
