package import Foundation
import NoProofUnits
package import NoProofDomain

/// A small deterministic history for the demo server (`noproofd --demo`), relative to the time
/// it is seeded: four commitments (one found false, one with its check overdue, one confirmed,
/// one not yet due), three ledger entries (two for proofs the list says not to ask for), two
/// mismatch cases (one re-verified and appealed, one open) and four complaints of different
/// breach types in different states. Seeded only into an empty store.
package enum OversightDemoHistory {
    /// Demo applicants (valid resident IDs).
    package static let holders = ["370404199306107807", "37040219850312123X", "370403199007214569", "370405197811052349"]

    /// Seeds the history at `now` unless the store already holds commitments. Returns whether it seeded.
    @discardableResult
    package static func seed(into store: any OversightStore, rule: CheckRiskRule = .standard, at now: Date) async throws(NoProofError) -> Bool {
        guard try await store.commitments(unit: nil, filter: .all, limit: 1).isEmpty else { return false }
        @Sendable func days(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }
        let civil = UnitDemoData.civilAffairs, realEstate = UnitDemoData.realEstate, water = UnitDemoData.water
        let university = UnitDemoData.university, hospital = UnitDemoData.hospital, bank = UnitDemoData.bank

        // Commitments (告知承诺).
        func commit(
            _ id: String, _ unit: ServiceUnit, _ holder: String, _ name: String, item: String, proof: String, caseRef: String,
            channel: CommitmentChannel, at time: Date
        ) async throws(NoProofError) -> Commitment {
            let listed = UnitDemoData.items(of: unit.code).first { $0.code == item }
            let filing = Commitment.Filing(
                unit: unit.code.value, unitName: unit.name, holderID: holder, holderName: name, itemCode: item, itemName: listed?.name ?? "",
                caseReference: caseRef, proofType: proof, proofName: listed?.proof(proof)?.name ?? "",
                text: "本人承诺所提供的\(listed?.proof(proof)?.name ?? proof)相关信息真实、准确，如有虚假，愿承担相应法律责任。",
                channel: channel, recordedBy: "agent-0001"
            )
            return try await store.insertCommitment(try Commitment.record(filing, id: id, rule: rule, at: time)).record
        }
        _ = try await commit(
            "CM-DEMO-0001", civil, holders[0], "张三", item: "MZ-DB-001", proof: "JZZM", caseRef: "DB-2026-0101",
            channel: .counterFaceCheck, at: days(-40))
        let falseOne = try await commit(
            "CM-DEMO-0002", civil, holders[1], "李四", item: "MZ-DB-001", proof: "SRZM", caseRef: "DB-2026-0102",
            channel: .app, at: days(-20))
        _ = try await store.updateCommitment(id: falseOne.id) { c throws(NoProofError) in
            try c.recordCheck(outcome: .foundFalse, evidence: "社保缴费记录显示申请人在职，月收入高于承诺所述", by: "supervisor-0001", at: days(-15))
        }
        let confirmed = try await commit(
            "CM-DEMO-0003", realEstate, holders[2], "王五", item: "BDC-ZY-001", proof: "HYZK",
            caseRef: "ZY-2026-0031", channel: .online, at: days(-10))
        _ = try await store.updateCommitment(id: confirmed.id) { c throws(NoProofError) in
            try c.recordCheck(outcome: .confirmed, evidence: "婚姻登记信息核对一致", by: "agent-0001", at: days(-5))
        }
        _ = try await commit(
            "CM-DEMO-0004", water, holders[3], "赵六", item: "SW-KH-001", proof: "ZLHT", caseRef: "SW-2026-0412",
            channel: .counterFaceCheck, at: days(-2))

        // The voluntary-proof ledger (台账).
        func ledger(
            _ id: String, _ unit: ServiceUnit, _ holder: String, item: String, proof: String, proofName: String, caseRef: String,
            note: String, at time: Date
        ) async throws(NoProofError) {
            let method = UnitDemoData.items(of: unit.code).first { $0.code == item }?.proof(proof)?.method
            _ = try await store.insertLedgerEntry(
                try LedgerEntry.make(
                    id: id, unit: unit.code.value, unitName: unit.name, holderID: holder, holderName: "", itemCode: item, caseReference: caseRef,
                    proofType: proof, proofName: proofName, listed: method, note: note, by: "agent-0001", at: time))
        }
        try await ledger(
            "LG-DEMO-0001", civil, holders[0], item: "MZ-HY-001", proof: "HKB", proofName: "户口簿复印件", caseRef: "HY-2026-0201",
            note: "申请人主动提交户口簿复印件", at: days(-6))
        try await ledger(
            "LG-DEMO-0002", water, holders[3], item: "SW-KH-001", proof: "WYZM", proofName: "物业证明", caseRef: "SW-2026-0413",
            note: "申请人自带物业证明", at: days(-3))
        try await ledger(
            "LG-DEMO-0003", bank, holders[2], item: "YH-KH-001", proof: "GZZM", proofName: "工作证明", caseRef: "YH-2026-0088",
            note: "排除事项，申请人自带原件", at: days(-1))

        // Mismatch cases (Art. 11).
        let opening = MismatchCase.Opening(
            unit: civil.code.value, unitName: civil.name, issuingUnit: university.code.value, issuingUnitName: university.name,
            holderID: holders[1], itemCode: "MZ-HY-001", caseReference: "HY-2026-0150", proofType: "XWZS", proofSerial: "PDEMO-1",
            facts: [MismatchedFact(key: "degree", declared: "硕士", fetched: "学士")], openedBy: "agent-0001")
        let first = try await store.insertMismatch(try MismatchCase.open(opening, id: "MM-DEMO-0001", at: days(-9))).record
        _ = try await store.updateMismatch(id: first.id) { m throws(NoProofError) in
            _ = try m.requestSupplement("请提供硕士学位证书原件或学信网学位认证报告", by: "agent-0001", at: days(-9))
            _ = try m.recordSupplement("申请人提交硕士学位证书复印件（证书编号 1045312021000456）", by: "agent-0001", at: days(-7))
            _ = try m.reverify(
                finding: .recordStands, note: "经核查学籍档案，申请人获学士学位；所称硕士证书不在我校记录中", corrected: [:],
                actingUnit: university.code.value, credential: "demo-university", by: "agent-0001", at: days(-6))
            _ = try m.fileAppeal(reference: "枣政复〔2026〕12号", by: "agent-0001", at: days(-4))
            return try m.decideAppeal(.upheld, note: "复议维持原决定", by: "supervisor-0001", at: days(-1))
        }
        let second = MismatchCase.Opening(
            unit: hospital.code.value, unitName: hospital.name, issuingUnit: university.code.value, issuingUnitName: university.name,
            holderID: holders[0], itemCode: "YY-YB-002", caseReference: "YB-2026-0077", proofType: "ZDZM", verificationRequestID: "VR-DEMO-0001",
            facts: [MismatchedFact(key: "enrolment", declared: "在读", fetched: "已毕业")], openedBy: "agent-0001")
        _ = try await store.insertMismatch(try MismatchCase.open(second, id: "MM-DEMO-0002", at: days(-1)))

        // Complaints (Art. 18).
        func complaint(
            _ id: String, _ channel: ComplaintChannel, _ reference: String, about unit: ServiceUnit, _ breach: BreachType,
            _ summary: String, linked: [String] = [], at time: Date
        ) async throws(NoProofError) -> Complaint {
            try await store.insertComplaint(
                try Complaint.register(
                    Complaint.Registration(
                        channel: channel, channelReference: reference, unit: unit.code.value, unitName: unit.name, breachType: breach,
                        summary: summary, complainant: "", linkedRecords: linked, registeredBy: "agent-0001"), id: id, at: time)
            ).record
        }
        let water1 = try await complaint(
            "CP-DEMO-0001", .hotline12345, "12345-2026-00731", about: water, .demandedNoProofItem,
            "开户时仍被要求提供物业证明", linked: ["LG-DEMO-0002"], at: days(-3))
        _ = try await store.updateComplaint(id: water1.id) { c throws(NoProofError) in
            _ = try c.route(to: water.code.value, unitName: water.name, by: "agent-0001", at: days(-3))
            _ = try c.answer("已核实，窗口人员未按清单执行，已批评教育并退回材料", actingUnit: water.code.value, by: "supervisor-0001", at: days(-2))
            return try c.close(substantiated: true, note: "投诉属实，已整改", by: "supervisor-0001", at: days(-1))
        }
        let review = try await complaint(
            "CP-DEMO-0002", .review, "HCP-2026-5521", about: university, .refusedToVerify,
            "学校未在时限内协助核验学位", at: days(-2))
        _ = try await store.updateComplaint(id: review.id) { c throws(NoProofError) in
            try c.route(to: university.code.value, unitName: university.name, by: "agent-0001", at: days(-2))
        }
        _ = try await complaint(
            "CP-DEMO-0003", .letter, "XF-2026-0042", about: realEstate, .missingOrStaleList,
            "不动产登记中心公布的清单与窗口要求不一致", at: days(-1))
        let email = try await complaint(
            "CP-DEMO-0004", .email, "MAIL-2026-0913", about: hospital, .falseProofContent,
            "电子证明中的出生日期有误", at: days(-1))
        _ = try await store.updateComplaint(id: email.id) { c throws(NoProofError) in
            _ = try c.route(to: hospital.code.value, unitName: hospital.name, by: "agent-0001", at: days(-1))
            return try c.answer("经核查系录入错误，已更正并重新出具", actingUnit: hospital.code.value, by: "agent-0001", at: days(-0.5))
        }
        return true
    }
}
