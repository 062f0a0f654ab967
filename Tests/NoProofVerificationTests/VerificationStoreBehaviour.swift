import Foundation
import NoProofDomain
import NoProofTestSupport
import NoProofUnits
import NoProofVerification
import Synchronization
import Testing

/// What every `VerificationStore` must do, written once and run against each backend by
/// `SQLiteVerificationStoreTests` and `PostgresVerificationStoreTests`: the same assertions prove
/// the same behaviour.
enum VerificationStoreBehaviour {
    static var t0: Date { VerificationTests.t0 }

    static func filing(key: String = "k1") -> VerificationRequest.Filing { VerificationTests.filing(key: key) }

    /// Idempotent insert, atomic refile, pending deadlines, the issuing unit's queue.
    static func store(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            let r = try VerificationRequest.file(Self.filing(), id: "VR-1", at: Self.t0)
            #expect(try await store.insert(r).created)
            var again = r
            again.id = "VR-OTHER"
            let replay = try await store.insert(again)
            #expect(!replay.created && replay.request.id == "VR-1")
            #expect(try await store.pending().map(\.id) == ["VR-1"])
            _ = try await store.update(id: "VR-1") { r throws(NoProofError) in
                _ = try r.take(by: "agent-0001", isSupervisor: false, at: Self.t0)
                return try r.returnRequest(by: "agent-0001", isSupervisor: false, reason: "not ours", suggestedUnit: "11370400004315203J", at: Self.t0)
            }
            #expect(try await store.pending().isEmpty)
            let first = try await store.refile(id: "VR-1") { old throws(NoProofError) in
                try old.refiling(to: "11370400004315203J", unitName: "公安局", id: "VR-2", by: "agent-0001", databaseBacked: true, at: Self.t0)
            }
            let second = try await store.refile(id: "VR-1") { old throws(NoProofError) in
                try old.refiling(to: "11370400004315203J", unitName: "公安局", id: "VR-3", by: "agent-0001", databaseBacked: true, at: Self.t0)
            }
            #expect(first.created && !second.created && second.request.id == "VR-2")
            #expect(try await store.request(id: "VR-1")?.refiledAs == "VR-2")
            #expect(try await store.queue(issuingUnit: "11370400004315203J", includeFinished: false, limit: 10).map(\.id) == ["VR-2"])
        }
    }

    /// Updates and refiles of a missing request are NOT_FOUND; an update that changes nothing writes
    /// nothing; queues and filings come in their documented orders, open ones only unless asked.
    static func missingRequestsAndOrders(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let store = try await fixture.open()
            #expect(try await store.request(id: "VR-404") == nil)
            do throws(NoProofError) {
                _ = try await store.update(id: "VR-404") { _ throws(NoProofError) in true }
                Issue.record("an update of a missing request succeeded")
            } catch {
                #expect(error.code == .notFound)
            }
            do throws(NoProofError) {
                _ = try await store.refile(id: "VR-404") { old throws(NoProofError) in old }
                Issue.record("a refile of a missing request succeeded")
            } catch {
                #expect(error.code == .notFound)
            }
            // Filed at t0+2, t0+0, t0+1: the queue is oldest first, the filings newest first.
            for (id, offset) in [("VR-B", 2.0), ("VR-A", 0.0), ("VR-C", 1.0)] {
                _ = try await store.insert(try VerificationRequest.file(Self.filing(key: id), id: id, at: Self.t0.addingTimeInterval(offset)))
            }
            let unchanged = try await store.update(id: "VR-A") { _ throws(NoProofError) in false }
            #expect(!unchanged.changed && unchanged.request.status == .filed)
            _ = try await store.update(id: "VR-C") { r throws(NoProofError) in
                _ = try r.take(by: "agent-0001", isSupervisor: false, at: Self.t0.addingTimeInterval(30))
                return try r.answer(
                    by: "agent-0001", isSupervisor: false, outcome: .notOnRecord, proof: nil, checks: [], note: "",
                    content: "a", at: Self.t0.addingTimeInterval(60))
            }
            let issuing = Self.filing().issuingUnit, requesting = Self.filing().requestingUnit
            #expect(try await store.queue(issuingUnit: issuing, includeFinished: false, limit: 10).map(\.id) == ["VR-A", "VR-B"])
            #expect(try await store.queue(issuingUnit: issuing, includeFinished: true, limit: 10).map(\.id) == ["VR-A", "VR-C", "VR-B"])
            #expect(try await store.queue(issuingUnit: issuing, includeFinished: true, limit: 2).map(\.id) == ["VR-A", "VR-C"])
            #expect(try await store.filed(requestingUnit: requesting, includeFinished: true, limit: 10).map(\.id) == ["VR-B", "VR-C", "VR-A"])
            #expect(try await store.filed(requestingUnit: requesting, includeFinished: false, limit: 10).map(\.id) == ["VR-B", "VR-A"])
            #expect(try await store.pending().map(\.id) == ["VR-A", "VR-B"])
        }
    }

    /// Restart with pending deadlines: reopened store, re-armed scheduler, the deadlines still fire.
    static func restart(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let clock = TestClock(Self.t0)
            do {
                let store = try await fixture.open()
                let scheduler = VerificationScheduler(store: store, now: { clock.now })
                let r = try VerificationRequest.file(Self.filing(), id: "VR-1", at: clock.now)
                _ = try await store.insert(r)
                await scheduler.arm(r)
                try await fixture.closeAll()
            }
            clock.advance(by: 1800)
            let store = try await fixture.open()
            let seen = Mutex<[String]>([])
            let scheduler = VerificationScheduler(store: store, now: { clock.now }) { _, kinds, _ in seen.withLock { $0 += kinds } }
            #expect(try await scheduler.rearm() == 1)
            #expect(await scheduler.fireDue().map(\.id) == ["VR-1"])
            #expect(try await store.request(id: "VR-1")?.status == .escalated)
            #expect(seen.withLock { $0 } == ["escalated"])
            #expect(await scheduler.fireDue().isEmpty)
            clock.advance(by: 1800)
            _ = await scheduler.fireDue()
            #expect(try await store.request(id: "VR-1")?.secondBreachAt != nil)
            #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
            #expect(await scheduler.armedDeadlines.isEmpty)
        }
    }

    /// Long downtime: both deadlines passed, both transitions recorded at once.
    static func longDowntime(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let clock = TestClock(Self.t0)
            let store = try await fixture.open()
            _ = try await store.insert(try VerificationRequest.file(Self.filing(), id: "VR-1", at: clock.now))
            clock.advance(by: 7200)
            let seen = Mutex<[String]>([])
            let scheduler = VerificationScheduler(store: store, now: { clock.now }) { _, kinds, _ in seen.withLock { $0 += kinds } }
            try await scheduler.rearm()
            await scheduler.fireDue()
            #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
        }
    }

    /// Several instances on one store (issue 18): requests filed through A are learnt by B's
    /// scheduler from the store (`rearm`, as noproofd does every 30 s on PostgreSQL), both fire at
    /// once, and each deadline is applied and reported exactly once between them.
    static func twoSchedulersReportEachDeadlineOnce(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let clock = TestClock(Self.t0)
            let a = try await fixture.open()
            let b = try await fixture.open()
            let seen = Mutex<[String]>([])
            let observer: VerificationScheduler.Observer = { request, kinds, _ in
                seen.withLock { $0 += kinds.map { "\(request.id) \($0)" } }
            }
            let onA = VerificationScheduler(store: a, now: { clock.now }, observer: observer)
            let onB = VerificationScheduler(store: b, now: { clock.now }, observer: observer)
            let ids = (1...6).map { "VR-\($0)" }
            for id in ids {
                let request = try VerificationRequest.file(Self.filing(key: "key-\(id)"), id: id, at: clock.now)
                _ = try await a.insert(request)
                await onA.arm(request)
            }
            #expect(try await onB.rearm() == ids.count)
            // The answer deadline passes, then the supervisor's: both schedulers fire each time.
            for step in [1800.0, 1800.0] {
                clock.advance(by: step)
                async let first = onA.fireDue()
                async let second = onB.fireDue()
                _ = await (first, second)
            }
            let expected = ids.flatMap { ["\($0) escalated", "\($0) second_breach"] }.sorted()
            #expect(seen.withLock { $0 }.sorted() == expected)
            for id in ids { #expect(try await b.request(id: id)?.secondBreachAt != nil) }
        }
    }

    /// Issue 16: deadlines ran on the wall clock, so a request filed on Friday at 17:50 reached
    /// second breach at 18:50. In office time it is due on Monday at 09:00, escalated then, and
    /// the supervisor's 30 minutes end at 09:30.
    static func officeTimeDeadlines(_ backend: VerificationStoreBackend) async throws {
        let office = OfficeClock(calendar: .default, hours: .standard)
        func cst(_ day: Int, _ hour: Int, _ minute: Int) -> Date {
            // March 2026, China Standard Time.
            Date(timeIntervalSince1970: Double(CivilDate(year: 2026, month: 3, day: day)!.daysSinceEpoch * 86_400 + (hour - 8) * 3600 + minute * 60))
        }
        let friday = cst(13, 17, 50)
        let request = try VerificationRequest.file(Self.filing(), id: "VR-1", at: friday, clock: office)
        #expect(request.answerBy == cst(16, 9, 0) && request.returnBy == cst(16, 9, 0))
        let commitment = try VerificationDeadlines.compute(
            filedAt: cst(9, 8, 30), itemKind: .commitment, databaseBacked: false,
            promisedCompletionAt: cst(31, 0, 0), clock: office)
        #expect(commitment.rule == .commitment24h && commitment.answerBy == cst(12, 10, 0))

        try await VerificationStoreFixture.with(backend) { fixture in
            let clock = TestClock(Self.t0)
            clock.set(cst(13, 18, 50))
            let store = try await fixture.open()
            _ = try await store.insert(request)
            let seen = Mutex<[String]>([])
            let scheduler = VerificationScheduler(
                store: store, now: { clock.now }, observer: { _, kinds, _ in seen.withLock { $0 += kinds } },
                clock: { office })
            try await scheduler.rearm()
            #expect(await scheduler.fireDue().isEmpty, "nothing is due on Friday evening")
            clock.set(cst(16, 9, 0))
            await scheduler.fireDue()
            #expect(try await store.request(id: "VR-1")?.escalationBy == cst(16, 9, 30))
            #expect(seen.withLock { $0 } == ["escalated"])
            clock.set(cst(16, 9, 30))
            await scheduler.fireDue()
            #expect(try await store.request(id: "VR-1")?.secondBreachAt == cst(16, 9, 30))
            #expect(seen.withLock { $0 } == ["escalated", "second_breach"])
        }
    }

    /// Two instances (two stores, two connection pools) on one database write the same request at
    /// once: every read-modify-write lands (none is lost to an interleaving), the same key is filed
    /// once, and a request is re-filed once.
    static func twoInstancesDoNotLoseWrites(_ backend: VerificationStoreBackend) async throws {
        try await VerificationStoreFixture.with(backend) { fixture in
            let a = try await fixture.open()
            let b = try await fixture.open()
            let stores = [("a", a), ("b", b)]
            let request = try VerificationRequest.file(Self.filing(), id: "VR-1", at: Self.t0)

            // The same filing from both instances at once, under two identifiers: one is stored.
            let inserts = try await withThrowingTaskGroup(of: (id: String, created: Bool).self) { group in
                for (name, store) in stores {
                    var copy = request
                    copy.id = "VR-1" + (name == "a" ? "" : "-B")
                    let filing = copy
                    group.addTask {
                        let (stored, created) = try await store.insert(filing); return (stored.id, created)
                    }
                }
                var results: [(id: String, created: Bool)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(inserts.filter(\.created).count == 1)
            let filedID = try #require(inserts.first(where: \.created)?.id)
            #expect(inserts.allSatisfy { $0.id == filedID })

            // Each instance appends its own facts, all at once: every one is kept.
            let perInstance = 20
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, store) in stores {
                    for n in 0..<perInstance {
                        group.addTask {
                            _ = try await store.update(id: filedID) { r throws(NoProofError) in
                                r.declared.append(DeclaredFact(key: "\(name)-\(n)", value: "\(n)"))
                                return true
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let updated = try #require(try await b.request(id: filedID))
            let keys = updated.declared.map(\.key)
            #expect(keys.count == 1 + 2 * perInstance)
            var expected: Set<String> = ["degree"]
            for (name, _) in stores {
                for n in 0..<perInstance { expected.insert("\(name)-\(n)") }
            }
            #expect(Set(keys) == expected)

            // Returned, then re-filed from both instances at once: one new request, both told of it.
            _ = try await a.update(id: filedID) { r throws(NoProofError) in
                _ = try r.take(by: "agent-0001", isSupervisor: false, at: Self.t0)
                return try r.returnRequest(by: "agent-0001", isSupervisor: false, reason: "not ours", suggestedUnit: "11370400004315203J", at: Self.t0)
            }
            let refiles = try await withThrowingTaskGroup(of: (id: String, created: Bool).self) { group in
                for (name, store) in stores {
                    group.addTask {
                        let (new, created) = try await store.refile(id: filedID) { old throws(NoProofError) in
                            try old.refiling(
                                to: "11370400004315203J", unitName: "公安局", id: "VR-R-\(name)", by: "agent-0001",
                                databaseBacked: true, at: Self.t0)
                        }
                        return (new.id, created)
                    }
                }
                var results: [(id: String, created: Bool)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(refiles.filter(\.created).count == 1)
            let refiledID = try #require(refiles.first(where: \.created)?.id)
            #expect(refiles.allSatisfy { $0.id == refiledID })
            #expect(try await a.request(id: filedID)?.refiledAs == refiledID)
            #expect(try await b.queue(issuingUnit: "11370400004315203J", includeFinished: true, limit: 10).map(\.id) == [refiledID])
        }
    }
}
