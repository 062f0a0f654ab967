import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofMessages
import NoProofOversight
import NoProofProtocol
import NoProofTestSupport
import NoProofUnits
import Testing
@testable import NoProofServices
import NoProofAuditChain

/// The rules-correctness cases over loopback (issue 16): clerk-facing answers for cancelled and
/// excluded proofs, "what must the applicant bring", Art. 17 exemptions, demands for no-proof
/// items in the report.
extension SupervisionServiceTests {
    static let holder = "370404199306107807"
    static let staffMetadata: Metadata = ["staff": "agent-0001"]

    @Test func aCancelledOrExcludedProofIsAnsweredFromTheListBeforeTheCatalogue() async throws {
        try await Self.withEnvironment { env in
            let version = try #require(try await env.units.versionInForce(unit: UnitDemoData.water.code, at: env.clock.now)).version
            let water = try await env.client("water")
            // WYZM (物业证明) is no licence type; the water company's SW-KH-001 lists it as cancelled.
            let purpose = APIPurpose(itemCode: "SW-KH-001", caseReference: "W-9")
            let lookup = await failure { _ = try await water.lookup(holderID: Self.holder, typeCode: "WYZM", purpose: purpose, metadata: Self.staffMetadata) }
            #expect(lookup?.code == .permissionDenied)
            #expect(lookup?.message.contains("WYZM (物业证明) of item SW-KH-001 is cancelled in list version \(version)") == true, "\(lookup?.message ?? "")")
            #expect(lookup?.message.contains("do not ask for it") == true)
            let check = await failure {
                _ = try await water.check(
                    holderID: Self.holder, typeCode: "WYZM", declared: [APILicenceField(key: "holder_name", value: "张三")],
                    purpose: purpose, metadata: Self.staffMetadata)
            }
            #expect(check?.code == .permissionDenied && check?.message.contains("cancelled in list version") == true)
            // Asking for it by department verification gets the same answer.
            let filed = await failure {
                _ = try await water.fileVerification(
                    APIFileVerificationRequest(
                        requestKey: "k-wyzm", issuingUnitCode: Self.university, proofType: "WYZM", holderID: Self.holder, holderName: "张三",
                        declared: [], purpose: APIPurpose(itemCode: "SW-KH-001", caseReference: "W-9")), staff: "agent-0001")
            }
            #expect(filed?.code == .permissionDenied && filed?.message.contains("cancelled in list version \(version)") == true, "\(filed?.message ?? "")")
            // A code the item does not list at all is still judged by the catalogue.
            let unlisted = await failure { _ = try await water.lookup(holderID: Self.holder, typeCode: "ABC", purpose: purpose, metadata: Self.staffMetadata) }
            #expect(unlisted?.code == .invalidArgument)
            // An excluded proof: the applicant brings it, the system does not serve it.
            let estate = try await env.client("estate")
            let excludedItem = try #require(UnitDemoData.items(of: UnitDemoData.realEstate.code).first { $0.proof("ZXBG") != nil })
            let excluded = await failure {
                _ = try await estate.lookup(
                    holderID: Self.holder, typeCode: "ZXBG", purpose: APIPurpose(itemCode: excludedItem.code, caseReference: "E-1"),
                    metadata: Self.staffMetadata)
            }
            #expect(excluded?.code == .permissionDenied && excluded?.message.contains("excluded in list version") == true)
            #expect(excluded?.message.contains("the applicant brings it") == true)
            // An unknown staff member is refused as before, without the list's answer.
            let stranger = await failure {
                _ = try await water.lookup(holderID: Self.holder, typeCode: "WYZM", purpose: purpose, metadata: ["staff": "ghost-9999"])
            }
            #expect(stranger?.code == .permissionDenied && stranger?.message.contains("not an active staff member") == true)
            // Audited with their own results, and in the denial log.
            let records = try env.audit.records(after: 0, limit: 10_000).filter { $0.typeCode == "WYZM" || $0.typeCode == "ZXBG" }
            #expect(
                records.map { "\($0.action) \($0.result)" }.filter { !$0.contains("denied") } == [
                    "Lookup cancelled", "CheckLicence cancelled", "Lookup excluded",
                ])
            #expect(records.first?.holderID == Self.holder)
            let denials = try await env.units.denials(unit: UnitDemoData.water.code, limit: 10)
            #expect(denials.contains { $0.reason == "cancelled" && $0.typeCode == "WYZM" })
            // The report counts the demands for a cancelled proof and flags them (Art. 16 (6)).
            let taskForce = try await env.client("taskforce/supervisor-0001")
            let day = CivilDate(env.clock.now).description
            let report = try await taskForce.supervisionReport(from: day, to: day)
            let row = report.units.first { $0.unitCode == Self.water }
            #expect(Self.figure(row, "lookups_cancelled_proofs") == 2 && Self.figure(row, "no_proof_item_demands") == 2)
            #expect(row?.flags.map(\.code) == ["demanded_no_proof_items"])
            let estateRow = report.units.first { $0.unitCode == UnitDemoData.realEstate.code.value }
            #expect(Self.figure(estateRow, "lookups_denied") == 1 && estateRow?.flags.isEmpty == true)
            for client in [water, estate, taskForce] { await client.close() }
        }
    }

    @Test func showItemSaysWhatTheApplicantBringsFromThePublishedList() async throws {
        try await Self.withEnvironment { env in
            let version = try #require(try await env.units.versionInForce(unit: UnitDemoData.water.code, at: env.clock.now)).version
            let water = try await env.client("water")
            let item = try await water.showItem("SW-KH-001")
            #expect(item.unitCode == Self.water && item.listVersion == UInt32(version) && item.itemName == "居民用水新开户")
            #expect(item.itemKind == "immediate" && item.effectiveAtMillis == Int64(UnitDemoData.effectiveAt.timeIntervalSince1970 * 1000))
            #expect(item.proofs.map(\.proof) == ["JMSFZ", "BDCQZS", "ZLHT", "WYZM"])
            #expect(item.proofs.allSatisfy { !$0.applicantBrings })
            let wyzm = try #require(item.proofs.first { $0.proof == "WYZM" })
            #expect(wyzm.method == "cancelled" && wyzm.name == "物业证明" && wyzm.whatToDo.contains("do not ask for it"))
            #expect(item.proofs.first { $0.proof == "ZLHT" }?.whatToDo.contains("noproof commitment record") == true)
            // Another unit's item, by its code: the excluded proofs are what the applicant brings.
            let excludedItem = try #require(UnitDemoData.items(of: UnitDemoData.realEstate.code).first { $0.proof("ZXBG") != nil })
            let estate = try await water.showItem(excludedItem.code, unitCode: UnitDemoData.realEstate.code.value)
            #expect(estate.proofs.filter(\.applicantBrings).map(\.proof).contains("ZXBG"))
            #expect(estate.proofs.filter(\.applicantBrings).allSatisfy { $0.method == "excluded" })
            // An item the list does not have; a unit with no list.
            #expect(await failureCode { _ = try await water.showItem("SW-NONE-9") } == .notFound)
            #expect(await failureCode { _ = try await water.showItem("X-1", unitCode: Self.university) } == .failedPrecondition)
            #expect(await failureCode { _ = try await water.showItem("bad code!") } == .invalidArgument)
            await water.close()
        }
    }

    @Test func anArt17ExemptionIsRecordedBySignedInTaskForceStaffAuditedAndShown() async throws {
        try await Self.withEnvironment { env in
            _ = try env.audit.appendBatch(Self.history)  // the university: repeated_overdue and second_breach in November
            let staff = try await env.client("taskforce/supervisor-0001")
            let system = try await env.client("taskforce")
            let university = try await env.client("university")
            func exempt(
                _ client: NoProofClient, flag: String = "repeated_overdue", ground: String = "issuer_data_false_remedied",
                reason: String = "申请人学籍数据由省平台错误推送，已及时更正并补发"
            ) async throws -> APIExemptFlagResponse {
                try await client.exemptFlag(unitCode: Self.university, flag: flag, from: "2026-11-01", to: "2026-11-30", ground: ground, reason: reason)
            }
            // A system credential's staff name carries no authority; a unit cannot exempt itself.
            #expect(await failureCode { _ = try await exempt(system) } == .permissionDenied)
            #expect(await failureCode { _ = try await exempt(university) } == .permissionDenied)
            #expect(await failureCode { _ = try await exempt(staff, flag: "no_such_flag") } == .invalidArgument)
            #expect(await failureCode { _ = try await exempt(staff, ground: "because") } == .invalidArgument)
            #expect(await failureCode { _ = try await exempt(staff, reason: " ") } == .invalidArgument)
            let recorded = try await exempt(staff)
            let info = try #require(recorded.exemption)
            #expect(recorded.created && info.grantedBy == "supervisor-0001" && info.unitCode == Self.university && info.exemptionID.hasPrefix("EX-"))
            let again = try await exempt(staff)
            #expect(!again.created && again.exemption?.exemptionID == info.exemptionID)
            // The report still raises the flag, marked exempted with the record; the other flag is not.
            let report = try await staff.supervisionReport(from: "2026-11-01", to: "2026-11-30", unitCode: Self.university)
            let flags = try #require(report.units.first?.flags)
            #expect(flags.map(\.code) == ["repeated_overdue", "second_breach"])
            #expect(flags[0].exempted && flags[0].exemption.contains(info.exemptionID) && flags[0].exemption.contains("supervisor-0001"))
            #expect(flags[0].exemption.contains("issuer_data_false_remedied"))
            #expect(!flags[1].exempted)
            // A longer period is not covered by an exemption for November.
            let longer = try await staff.supervisionReport(from: "2026-10-15", to: "2026-11-30", unitCode: Self.university)
            #expect(longer.units.first?.flags.first?.exempted == false)
            // The unit sees its own exemptions; only the task force office lists every unit's.
            #expect(try await university.exemptions(from: "2026-11-01", to: "2026-11-30", unitCode: Self.university).exemptions.count == 1)
            #expect(await failureCode { _ = try await university.exemptions(from: "2026-11-01", to: "2026-11-30") } == .permissionDenied)
            // Audited: intent first, then the outcome, with the actor.
            let audited = try env.audit.records(after: 0, limit: 10_000).filter { $0.action == .supervisionExempt }
            // (The refused attempts above were refused before anything was intended.)
            #expect(audited.map(\.result) == [.intended, .exempted, .intended, .alreadyExempted])
            #expect(audited.allSatisfy { $0.staff == "supervisor-0001" && $0.itemCode == "repeated_overdue" && $0.unitCode == Self.taskForce })
            #expect(audited.last?.licenceID == info.exemptionID)
            // Reading the exemptions is audited too (who looked at the accountability record): the unit's read.
            let reads = try env.audit.records(after: 0, limit: 10_000).filter { $0.action == .supervisionListExemptions }
            #expect(reads.map(\.result) == [.listed(count: 1)] && reads.first?.unitCode == Self.university && reads.first?.licenceID == Self.university)
            // Fail closed: with the trail unwritable nothing is recorded.
            env.audit.close()
            #expect(await failureCode { _ = try await exempt(staff, flag: "second_breach") } == .unavailable)
            let stored = try await env.oversightStore.exemptions(
                unit: Self.university, from: CivilDate(year: 2026, month: 11, day: 1)!,
                through: CivilDate(year: 2026, month: 11, day: 30)!)
            #expect(stored.map(\.flag) == ["repeated_overdue"])
            for client in [staff, system, university] { await client.close() }
        }
    }
}
