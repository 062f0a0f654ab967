import Foundation
import NoProofDomain
import NoProofOversight
import NoProofTestSupport
import NoProofUnits
import Testing

/// What every `OversightStore` must do, written once and run against each backend by
/// `SQLiteOversightStoreTests` and `PostgresOversightStoreTests`: the same assertions prove the
/// same behaviour.
enum OversightStoreBehaviour {
    /// Records survive closing the store and opening it again.
    static func survivesReopening(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, fixture in
            let c = try Commitment.record(Fixtures.filing(), id: "CM-1", rule: .standard, at: Fixtures.t0)
            _ = try await store.insertCommitment(c)
            try await fixture.closeAll()
            let reopened = try await fixture.open()
            #expect(try await reopened.commitment(id: "CM-1") == c)
        }
    }

    /// False commitments by holder (any unit, newest check first); correction notices once per unit and case.
    static func memoryAndNotices(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, _ in
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
                CorrectionNotice(
                    id: "CN-MM-1-\(unit)", unit: unit, mismatchID: "MM-1", issuingUnit: Fixtures.university, issuingUnitName: "",
                    holderID: Fixtures.holder, typeCode: "XWZS", licenceID: "L", newVersion: 2, correctedFields: ["degree"],
                    fetchCaseReferences: [], lastFetchSequence: 0, noticedAt: Fixtures.day(day), raisedTheCase: unit == Fixtures.civil)
            }
            try await store.insertCorrectionNotices([notice(Fixtures.civil, at: 1), notice(Fixtures.water, at: 2)])
            try await store.insertCorrectionNotices([notice(Fixtures.civil, at: 3)])  // a retry keeps the first
            #expect(try await store.correctionNotices(unit: Fixtures.civil, limit: 10) == [notice(Fixtures.civil, at: 1)])
            #expect(try await store.correctionNotices(unit: nil, limit: 10).map(\.unit) == [Fixtures.water, Fixtures.civil])
        }
    }

    /// Round trips, natural keys (a second insert returns the first), updates, listings and scopes.
    static func roundTrip(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, _ in
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
                try m.reverify(
                    finding: .recordStands, note: "无误", corrected: [:], actingUnit: Fixtures.university, credential: "u",
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

            let entry = try LedgerEntry.make(
                id: "LG-1", unit: Fixtures.civil, unitName: "民政", holderID: Fixtures.holder, holderName: "",
                itemCode: "MZ-HY-001", caseReference: "HY-1", proofType: "HKB", proofName: "", listed: .dataSharing,
                note: "", by: "agent-0001", at: Fixtures.day(1))
            #expect(try await store.insertLedgerEntry(entry) == (entry, true))
            #expect(try await store.ledgerEntries(unit: Fixtures.civil, from: Fixtures.day(1), to: Fixtures.day(2), limit: 10) == [entry])
            #expect(try await store.ledgerEntries(unit: Fixtures.civil, from: Fixtures.day(2), to: nil, limit: 10).isEmpty)
            #expect(try await store.ledgerEntries(unit: nil, from: nil, to: nil, limit: 10) == [entry])
        }
    }

    /// A history whose figures for civil affairs over [day 0, day 30) as of day 25 are known.
    static func seedHistory(_ store: any OversightStore) async throws {
        func commitment(
            _ id: String, unit: String = Fixtures.civil, proof: String, recorded: Double,
            check: (CheckOutcome, Double)? = nil
        ) async throws {
            let filing = Fixtures.filing(unit: unit, caseReference: id, proof: proof)
            _ = try await store.insertCommitment(try Commitment.record(filing, id: id, rule: .standard, at: Fixtures.day(recorded)))
            if let (outcome, at) = check {
                _ = try await store.updateCommitment(id: id) { c throws(NoProofError) in
                    try c.recordCheck(outcome: outcome, evidence: "证据", by: "agent-0001", at: Fixtures.day(at))
                }
            }
        }
        try await commitment("c1", proof: "JZZM", recorded: -10)  // due 20, unchecked: overdue
        try await commitment("c2", proof: "SRZM", recorded: 1, check: (.foundFalse, 5))  // due 8
        try await commitment("c3", proof: "JZZM", recorded: 2, check: (.confirmed, 10))  // due 32
        try await commitment("c4", proof: "SRZM", recorded: 3, check: (.confirmed, 12))  // due 10, checked late: overdue
        try await commitment("c5", proof: "JZZM", recorded: 4)  // due 34
        try await commitment("c6", proof: "SRZM", recorded: 20)  // due 27, after as-of
        try await commitment("c7", proof: "JZZM", recorded: 30)  // after the period
        try await commitment("c8", unit: Fixtures.water, proof: "ZLHT", recorded: 1)  // another unit
        try await commitment("c9", proof: "SRZM", recorded: -30)  // due -23, before the period

        func ledger(_ id: String, unit: String = Fixtures.civil, listed: ObtainingMethod?, at: Double) async throws {
            _ = try await store.insertLedgerEntry(
                try LedgerEntry.make(
                    id: id, unit: unit, unitName: "", holderID: Fixtures.holder, holderName: "", itemCode: "MZ-HY-001", caseReference: id,
                    proofType: "HKB", proofName: "", listed: listed, note: "", by: "agent-0001", at: Fixtures.day(at)))
        }
        let excluded = ObtainingMethod.excluded(ExclusionReason(ground: .outOfCity, note: "外地出具，无法在线核验"))
        try await ledger("e1", listed: .dataSharing, at: 1)
        try await ledger("e2", listed: nil, at: 2)
        try await ledger("e3", listed: .cancelled, at: -1)
        try await ledger("e4", listed: excluded, at: 3)
        try await ledger("e5", unit: Fixtures.water, listed: .cancelled, at: 1)

        func mismatch(
            _ id: String, unit: String = Fixtures.civil, opened: Double, resolved: Double? = nil, appealed: Double? = nil,
            decided: Double? = nil
        ) async throws {
            _ = try await store.insertMismatch(try MismatchCase.open(Fixtures.opening(unit: unit, caseReference: id), id: id, at: Fixtures.day(opened)))
            _ = try await store.updateMismatch(id: id) { m throws(NoProofError) in
                if let resolved {
                    _ = try m.reverify(
                        finding: .recordStands, note: "无误", corrected: [:], actingUnit: Fixtures.university, credential: "u",
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
            _ = try await store.insertComplaint(
                try Complaint.register(
                    Fixtures.registration(reference: id, unit: unit, breach: breach),
                    id: id, at: Fixtures.day(at)))
        }
        try await complaint("k1", .refusedToVerify, at: 1)
        try await complaint("k2", .refusedToVerify, at: 2)
        try await complaint("k3", .noLegalBasis, at: 3)
        try await complaint("k4", .other, at: 31)
        try await complaint("k5", unit: Fixtures.water, .sealMisuse, at: 1)
    }

    /// Counts for a period against a seeded history with known figures.
    static func counts(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, _ in
            try await Self.seedHistory(store)
            let counts = try await store.counts(unit: Fixtures.civil, from: Fixtures.day(0), to: Fixtures.day(30), asOf: Fixtures.day(25))
            var expected = OversightCounts()
            expected.commitmentsRecorded = 5
            expected.checksConfirmed = 2
            expected.checksFoundFalse = 1
            expected.checksOverdue = 2
            expected.ledgerEntries = 3
            expected.ledgerEntriesNotToBeAskedFor = 1  // e1 (data sharing); e2 is not listed, e4 excluded
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
            #expect(
                water.commitmentsRecorded == 1 && water.ledgerEntriesNotToBeAskedFor == 1 && water.appealsDecided == 1
                    && water.complaintsByBreach == [.sealMisuse: 1])
            // The listings agree with the flags.
            #expect(try await store.commitments(unit: Fixtures.civil, filter: .overdue(asOf: Fixtures.day(25)), limit: 100).map(\.id) == ["c9", "c1"])
            #expect(try await store.commitments(unit: Fixtures.civil, filter: .foundFalse, limit: 100).map(\.id) == ["c2"])
        }
    }

    /// The demo history seeds once, with one false commitment, one overdue check, a ledger entry for a no-proof item.
    static func demoHistory(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, _ in
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

    /// Art. 17 exemptions: a second one for the same unit, flag and period returns the first; the
    /// listing keeps those overlapping the asked days, of the unit (or every unit), oldest first.
    static func exemptions(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { store, _ in
            func day(_ n: Int) -> CivilDate { CivilDate(year: 2026, month: 3, day: n)! }
            func exemption(
                _ id: String, unit: String = Fixtures.civil, flag: String = "repeated_overdue", _ from: Int, _ through: Int,
                at granted: Double
            ) throws -> FlagExemption {
                try FlagExemption.make(
                    id: id, unit: unit, flag: flag, from: day(from), through: day(through), ground: "harm_remedied",
                    reason: "已整改", by: "agent-0001", credentialID: "cred-1", at: Fixtures.day(granted))
            }
            let march = try exemption("EX-1", 1, 10, at: 2)
            #expect(try await store.insertExemption(march) == (march, true))
            #expect(try await store.insertExemption(try exemption("EX-2", 1, 10, at: 3)) == (march, false))
            let later = try exemption("EX-3", 15, 20, at: 1)
            let other = try exemption("EX-4", flag: "denied_calls", 1, 10, at: 4)
            let water = try exemption("EX-5", unit: Fixtures.water, 5, 6, at: 0)
            for record in [later, other, water] { #expect(try await store.insertExemption(record).created) }
            #expect(try await store.exemptions(unit: Fixtures.civil, from: day(10), through: day(15)) == [later, march, other])
            #expect(try await store.exemptions(unit: Fixtures.civil, from: day(11), through: day(14)).isEmpty)
            #expect(try await store.exemptions(unit: Fixtures.civil, from: day(16), through: day(31)) == [later])
            #expect(try await store.exemptions(unit: nil, from: day(6), through: day(6)).map(\.id) == ["EX-5", "EX-1", "EX-4"])
            #expect(try await store.exemptions(unit: Fixtures.water, from: day(7), through: day(31)).isEmpty)
        }
    }

    /// Two instances (two stores, two connection pools) on one database record the same things at
    /// once: a commitment is stored once, and of two conflicting checks of one commitment exactly
    /// one lands, the other refused as a conflict (no read-modify-write is interleaved).
    static func twoInstancesDoNotLoseWrites(_ backend: OversightStoreBackend) async throws {
        try await OversightStoreFixture.withStore(backend) { a, fixture in
            let b = try await fixture.open()
            let stores = [a, b]
            let commitments = try (0..<10).map { n in
                try Commitment.record(Fixtures.filing(caseReference: "DB-\(n)"), id: "CM-\(n)", rule: .standard, at: Fixtures.t0)
            }
            // The same commitment from both instances at once, under two identifiers: one is stored.
            for commitment in commitments {
                let created = try await withThrowingTaskGroup(of: (id: String, created: Bool).self) { group in
                    for (index, store) in stores.enumerated() {
                        var copy = commitment
                        copy.id += index == 0 ? "" : "-B"
                        let record = copy
                        group.addTask {
                            let (stored, created) = try await store.insertCommitment(record); return (stored.id, created)
                        }
                    }
                    var results: [(id: String, created: Bool)] = []
                    for try await result in group { results.append(result) }
                    return results
                }
                #expect(created.filter(\.created).count == 1)
                #expect(Set(created.map(\.id)).count == 1)
            }
            let stored = try await a.commitments(unit: Fixtures.civil, filter: .all, limit: 100)
            #expect(stored.count == commitments.count)
            // Instance a finds each commitment confirmed while b finds it false, at the same time.
            for record in stored {
                let outcomes = await withTaskGroup(of: (CheckOutcome, Result<Bool, NoProofError>).self) { group in
                    for (store, outcome) in zip(stores, [CheckOutcome.confirmed, .foundFalse]) {
                        group.addTask {
                            do throws(NoProofError) {
                                let (_, changed) = try await store.updateCommitment(id: record.id) { c throws(NoProofError) in
                                    try c.recordCheck(outcome: outcome, evidence: "核查记录", by: "agent-0001", at: Fixtures.day(1))
                                }
                                return (outcome, .success(changed))
                            } catch {
                                return (outcome, .failure(error))
                            }
                        }
                    }
                    var results: [(CheckOutcome, Result<Bool, NoProofError>)] = []
                    for await result in group { results.append(result) }
                    return results
                }
                let landed = outcomes.filter { (try? $0.1.get()) == true }.map(\.0)
                let refused = outcomes.compactMap { outcome -> NoProofError? in
                    if case .failure(let error) = outcome.1 { return error } else { return nil }
                }
                #expect(landed.count == 1 && refused.count == 1 && refused.allSatisfy { $0.code == .conflict }, "\(outcomes)")
                #expect(try await b.commitment(id: record.id)?.checkOutcome == landed.first)
            }
        }
    }
}
