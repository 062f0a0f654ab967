import Foundation
import GRDB
import NoProofOversight
import NoProofOversightStore
import NoProofTestSupport
import NoProofUnits
import Testing
import NoProofDomain

@Suite("Oversight store (SQLite)")
struct SQLiteOversightStoreTests {
    static func withStore(_ body: (SQLiteOversightStore, URL) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-oversight")
        defer { temporary.remove() }
        let directory = temporary.url
        let store = try SQLiteOversightStore(directory: directory)
        try await body(store, directory)
        try? store.close()
    }

    @Test("durable: synchronous=FULL on the writer, and records survive reopening")
    func durability() async throws {
        try await Self.withStore { store, directory in
            #expect(try store.synchronousLevel() == 2)
            let c = try Commitment.record(Fixtures.filing(), id: "CM-1", rule: .standard, at: Fixtures.t0)
            _ = try await store.insertCommitment(c)
            try store.close()
            let reopened = try SQLiteOversightStore(directory: directory)
            #expect(try await reopened.commitment(id: "CM-1") == c)
            try reopened.close()
        }
    }

    @Test("false commitments by holder (any unit, newest check first); correction notices once per unit and case")
    func memoryAndNotices() async throws {
        try await Self.withStore { store, _ in
            for (index, unit) in [Fixtures.civil, Fixtures.water].enumerated() {
                let c = try Commitment.record(Fixtures.filing(unit: unit, caseReference: "C-\(index)"), id: "CM-\(index)", rule: .standard, at: Fixtures.t0)
                _ = try await store.insertCommitment(c)
                _ = try await store.updateCommitment(id: c.id) { c throws(NoProofError) in
                    try c.recordCheck(outcome: .foundFalse, evidence: "不实", by: "agent-0001", at: Fixtures.day(Double(index + 1)))
                }
            }
            let other = try Commitment.record(Fixtures.filing(holder: "37040219850312123X", caseReference: "C-9"), id: "CM-9", rule: .standard, at: Fixtures.t0)
            _ = try await store.insertCommitment(other)
            #expect(try await store.falseCommitments(holder: Fixtures.holder, limit: 10).map(\.id) == ["CM-1", "CM-0"])
            #expect(try await store.falseCommitments(holder: "37040219850312123X", limit: 10).isEmpty)

            func notice(_ unit: String, at day: Double) -> CorrectionNotice {
                CorrectionNotice(id: "CN-MM-1-\(unit)", unit: unit, mismatchID: "MM-1", issuingUnit: Fixtures.university, issuingUnitName: "",
                                 holderID: Fixtures.holder, typeCode: "XWZS", licenceID: "L", newVersion: 2, correctedFields: ["degree"],
                                 fetchCaseReferences: [], lastFetchSequence: 0, noticedAt: Fixtures.day(day), raisedTheCase: unit == Fixtures.civil)
            }
            try await store.insertCorrectionNotices([notice(Fixtures.civil, at: 1), notice(Fixtures.water, at: 2)])
            try await store.insertCorrectionNotices([notice(Fixtures.civil, at: 3)])   // a retry keeps the first
            #expect(try await store.correctionNotices(unit: Fixtures.civil, limit: 10) == [notice(Fixtures.civil, at: 1)])
            #expect(try await store.correctionNotices(unit: nil, limit: 10).map(\.unit) == [Fixtures.water, Fixtures.civil])
        }
    }

    @Test("migration v3: ledger entries of unlisted proofs recorded as 'not to be asked for' are corrected")
    func unlistedLedgerMigration() async throws {
        try await Self.withStore { store, directory in
            var old = try LedgerEntry.make(id: "LG-OLD", unit: Fixtures.water, unitName: "", holderID: Fixtures.holder, holderName: "",
                                           itemCode: "SW-KH-001", caseReference: "SW-1", proofType: "ABC", proofName: "", listed: nil,
                                           note: "", by: "agent-0001", at: Fixtures.t0)
            old.notToBeAskedFor = true   // as the rule before v3 recorded it
            let cancelled = try LedgerEntry.make(id: "LG-CAN", unit: Fixtures.water, unitName: "", holderID: Fixtures.holder, holderName: "",
                                                 itemCode: "SW-KH-001", caseReference: "SW-2", proofType: "WYZM", proofName: "", listed: .cancelled,
                                                 note: "", by: "agent-0001", at: Fixtures.t0)
            _ = try await store.insertLedgerEntry(old)
            _ = try await store.insertLedgerEntry(cancelled)
            try await store.dbPool.write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3: unlisted ledger proofs'") }
            try store.close()
            let reopened = try SQLiteOversightStore(directory: directory)
            let entries = try await reopened.ledgerEntries(unit: Fixtures.water, from: nil, to: nil, limit: 10)
            #expect(entries.first { $0.id == "LG-OLD" }?.notToBeAskedFor == false)
            #expect(entries.first { $0.id == "LG-CAN" }?.notToBeAskedFor == true)
            let counts = try await reopened.counts(unit: Fixtures.water, from: Fixtures.day(-1), to: Fixtures.day(1), asOf: Fixtures.day(1))
            #expect(counts.ledgerEntries == 2 && counts.ledgerEntriesNotToBeAskedFor == 1)
            try reopened.close()
        }
    }

    @Test("round trips, natural keys (a second insert returns the first), updates, listings and scopes")
    func roundTrip() async throws {
        try await Self.withStore { store, _ in
            let c = try Commitment.record(Fixtures.filing(), id: "CM-1", rule: .standard, at: Fixtures.t0)
            #expect(try await store.insertCommitment(c) == (c, true))
            let again = try Commitment.record(Fixtures.filing(), id: "CM-2", rule: .standard, at: Fixtures.day(1))
            #expect(try await store.insertCommitment(again) == (c, false))
            let (checked, changed) = try await store.updateCommitment(id: "CM-1") { c throws(NoProofError) in
                try c.recordCheck(outcome: .foundFalse, evidence: "假", by: "agent-0001", at: Fixtures.day(2))
            }
            #expect(changed && checked.checkOutcome == .foundFalse)
            #expect(try await store.commitment(id: "CM-1") == checked)
            #expect(try await store.commitments(unit: nil, filter: .foundFalse, limit: 10).map(\.id) == ["CM-1"])
            #expect(try await store.commitments(unit: Fixtures.water, filter: .all, limit: 10).isEmpty)
            await #expect(throws: NoProofError.self) {
                _ = try await store.updateCommitment(id: "CM-404") { _ throws(NoProofError) in true }
            }

            let open = try MismatchCase.open(Fixtures.opening(), id: "MM-1", at: Fixtures.t0)
            #expect(try await store.insertMismatch(open).created)
            #expect(try await !store.insertMismatch(try MismatchCase.open(Fixtures.opening(), id: "MM-2", at: Fixtures.t0)).created)
            _ = try await store.updateMismatch(id: "MM-1") { m throws(NoProofError) in
                try m.reverify(finding: .recordStands, note: "无误", corrected: [:], actingUnit: Fixtures.university, credential: "u",
                               by: "agent-0001", at: Fixtures.day(1))
            }
            #expect(try await store.mismatch(id: "MM-1")?.status == .resolved)
            // Both units see the case; a third does not.
            #expect(try await store.mismatches(unit: Fixtures.university, limit: 10).map(\.id) == ["MM-1"])
            #expect(try await store.mismatches(unit: Fixtures.civil, limit: 10).map(\.id) == ["MM-1"])
            #expect(try await store.mismatches(unit: Fixtures.water, limit: 10).isEmpty)

            let complaint = try Complaint.register(Fixtures.registration(), id: "CP-1", at: Fixtures.t0)
            #expect(try await store.insertComplaint(complaint).created)
            #expect(try await store.insertComplaint(try Complaint.register(Fixtures.registration(), id: "CP-2", at: Fixtures.t0)) == (complaint, false))
            #expect(try await store.complaints(routedTo: Fixtures.water, status: nil, limit: 10).isEmpty)
            _ = try await store.updateComplaint(id: "CP-1") { c throws(NoProofError) in
                try c.route(to: Fixtures.water, unitName: "水务", by: "agent-0001", at: Fixtures.day(1))
            }
            #expect(try await store.complaints(routedTo: Fixtures.water, status: .routed, limit: 10).map(\.id) == ["CP-1"])
            #expect(try await store.complaints(routedTo: nil, status: .closed, limit: 10).isEmpty)

            let entry = try LedgerEntry.make(id: "LG-1", unit: Fixtures.civil, unitName: "民政", holderID: Fixtures.holder, holderName: "",
                                             itemCode: "MZ-HY-001", caseReference: "HY-1", proofType: "HKB", proofName: "", listed: .dataSharing,
                                             note: "", by: "agent-0001", at: Fixtures.day(1))
            #expect(try await store.insertLedgerEntry(entry) == (entry, true))
            #expect(try await store.ledgerEntries(unit: Fixtures.civil, from: Fixtures.day(1), to: Fixtures.day(2), limit: 10) == [entry])
            #expect(try await store.ledgerEntries(unit: Fixtures.civil, from: Fixtures.day(2), to: nil, limit: 10).isEmpty)
            #expect(try await store.ledgerEntries(unit: nil, from: nil, to: nil, limit: 10) == [entry])
        }
    }

    /// A history whose figures for civil affairs over [day 0, day 30) as of day 25 are known.
    static func seedHistory(_ store: SQLiteOversightStore) async throws {
        func commitment(_ id: String, unit: String = Fixtures.civil, proof: String, recorded: Double,
                        check: (CheckOutcome, Double)? = nil) async throws {
            let filing = Fixtures.filing(unit: unit, caseReference: id, proof: proof)
            _ = try await store.insertCommitment(try Commitment.record(filing, id: id, rule: .standard, at: Fixtures.day(recorded)))
            if let (outcome, at) = check {
                _ = try await store.updateCommitment(id: id) { c throws(NoProofError) in
                    try c.recordCheck(outcome: outcome, evidence: "证据", by: "agent-0001", at: Fixtures.day(at))
                }
            }
        }
        try await commitment("c1", proof: "JZZM", recorded: -10)                        // due 20, unchecked: overdue
        try await commitment("c2", proof: "SRZM", recorded: 1, check: (.foundFalse, 5))  // due 8
        try await commitment("c3", proof: "JZZM", recorded: 2, check: (.confirmed, 10))  // due 32
        try await commitment("c4", proof: "SRZM", recorded: 3, check: (.confirmed, 12))  // due 10, checked late: overdue
        try await commitment("c5", proof: "JZZM", recorded: 4)                          // due 34
        try await commitment("c6", proof: "SRZM", recorded: 20)                         // due 27, after as-of
        try await commitment("c7", proof: "JZZM", recorded: 30)                         // after the period
        try await commitment("c8", unit: Fixtures.water, proof: "ZLHT", recorded: 1)    // another unit
        try await commitment("c9", proof: "SRZM", recorded: -30)                        // due -23, before the period

        func ledger(_ id: String, unit: String = Fixtures.civil, listed: ObtainingMethod?, at: Double) async throws {
            _ = try await store.insertLedgerEntry(try LedgerEntry.make(
                id: id, unit: unit, unitName: "", holderID: Fixtures.holder, holderName: "", itemCode: "MZ-HY-001", caseReference: id,
                proofType: "HKB", proofName: "", listed: listed, note: "", by: "agent-0001", at: Fixtures.day(at)))
        }
        let excluded = ObtainingMethod.excluded(ExclusionReason(ground: .outOfCity, note: "外地出具，无法在线核验"))
        try await ledger("e1", listed: .dataSharing, at: 1)
        try await ledger("e2", listed: nil, at: 2)
        try await ledger("e3", listed: .cancelled, at: -1)
        try await ledger("e4", listed: excluded, at: 3)
        try await ledger("e5", unit: Fixtures.water, listed: .cancelled, at: 1)

        func mismatch(_ id: String, unit: String = Fixtures.civil, opened: Double, resolved: Double? = nil, appealed: Double? = nil,
                      decided: Double? = nil) async throws {
            _ = try await store.insertMismatch(try MismatchCase.open(Fixtures.opening(unit: unit, caseReference: id), id: id, at: Fixtures.day(opened)))
            _ = try await store.updateMismatch(id: id) { m throws(NoProofError) in
                if let resolved {
                    _ = try m.reverify(finding: .recordStands, note: "无误", corrected: [:], actingUnit: Fixtures.university, credential: "u",
                                       by: "agent-0001", at: Fixtures.day(resolved))
                }
                if let appealed { _ = try m.fileAppeal(reference: "R-\(id)", by: "agent-0001", at: Fixtures.day(appealed)) }
                if let decided { _ = try m.decideAppeal(.upheld, note: "", by: "agent-0001", at: Fixtures.day(decided)) }
                return true
            }
        }
        try await mismatch("m1", opened: 1, resolved: 3, appealed: 5, decided: 40)
        try await mismatch("m2", opened: -5, resolved: 2)
        try await mismatch("m3", opened: 10)
        try await mismatch("m4", unit: Fixtures.water, opened: 1, resolved: 2, appealed: 3, decided: 4)

        func complaint(_ id: String, unit: String = Fixtures.civil, _ breach: BreachType, at: Double) async throws {
            _ = try await store.insertComplaint(try Complaint.register(Fixtures.registration(reference: id, unit: unit, breach: breach),
                                                                       id: id, at: Fixtures.day(at)))
        }
        try await complaint("k1", .refusedToVerify, at: 1)
        try await complaint("k2", .refusedToVerify, at: 2)
        try await complaint("k3", .noLegalBasis, at: 3)
        try await complaint("k4", .other, at: 31)
        try await complaint("k5", unit: Fixtures.water, .sealMisuse, at: 1)
    }

    @Test("counts for a period against a seeded history with known figures")
    func counts() async throws {
        try await Self.withStore { store, _ in
            try await Self.seedHistory(store)
            let counts = try await store.counts(unit: Fixtures.civil, from: Fixtures.day(0), to: Fixtures.day(30), asOf: Fixtures.day(25))
            var expected = OversightCounts()
            expected.commitmentsRecorded = 5
            expected.checksConfirmed = 2
            expected.checksFoundFalse = 1
            expected.checksOverdue = 2
            expected.ledgerEntries = 3
            expected.ledgerEntriesNotToBeAskedFor = 1   // e1 (data sharing); e2 is not listed, e4 excluded
            expected.mismatchesOpened = 2
            expected.mismatchesResolved = 2
            expected.appealsFiled = 1
            expected.appealsDecided = 0
            expected.complaintsByBreach = [.refusedToVerify: 2, .noLegalBasis: 1]
            #expect(counts == expected)
            #expect(counts.complaints == 3)
            // As of day 30 the check of c6 (due 27) is overdue too.
            #expect(try await store.counts(unit: Fixtures.civil, from: Fixtures.day(0), to: Fixtures.day(30), asOf: Fixtures.day(30)).checksOverdue == 3)
            let water = try await store.counts(unit: Fixtures.water, from: Fixtures.day(0), to: Fixtures.day(30), asOf: Fixtures.day(25))
            #expect(water.commitmentsRecorded == 1 && water.ledgerEntriesNotToBeAskedFor == 1 && water.appealsDecided == 1
                    && water.complaintsByBreach == [.sealMisuse: 1])
            // The listings agree with the flags.
            #expect(try await store.commitments(unit: Fixtures.civil, filter: .overdue(asOf: Fixtures.day(25)), limit: 100).map(\.id) == ["c9", "c1"])
            #expect(try await store.commitments(unit: Fixtures.civil, filter: .foundFalse, limit: 100).map(\.id) == ["c2"])
        }
    }

    @Test("every count query searches an index; none scans a table")
    func countPlans() async throws {
        try await Self.withStore { store, _ in
            let plans = try store.countPlans()
            #expect(plans.count == 11)
            for plan in plans {
                #expect(plan.contains("USING") && plan.contains("INDEX"), "\(plan)")
                #expect(!plan.contains("SCAN"), "\(plan)")
            }
        }
    }

    @Test("the demo history seeds once, with one false commitment, one overdue check, a ledger entry for a no-proof item")
    func demoHistory() async throws {
        try await Self.withStore { store, _ in
            let now = Fixtures.t0
            #expect(try await OversightDemoHistory.seed(into: store, at: now))
            #expect(try await !OversightDemoHistory.seed(into: store, at: now))
            #expect(try await store.commitments(unit: nil, filter: .foundFalse, limit: 10).count == 1)
            #expect(try await store.commitments(unit: nil, filter: .overdue(asOf: now), limit: 10).count == 1)
            let ledger = try await store.ledgerEntries(unit: nil, from: nil, to: nil, limit: 10)
            #expect(ledger.count == 3 && ledger.filter(\.notToBeAskedFor).count == 2)
            #expect(try await store.mismatch(id: "MM-DEMO-0001")?.status == .appealDecided)
            let complaints = try await store.complaints(routedTo: nil, status: nil, limit: 10)
            #expect(Set(complaints.map(\.breachType)).count == 4 && Set(complaints.map(\.status)) == [.registered, .routed, .answered, .closed])
        }
    }
}
