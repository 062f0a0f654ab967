import NoProofDomain
import NoProofLicenceStore
import Synchronization
import Testing
@testable import NoProofLibrary

/// `LicenceFreshness` without a database: a scripted change feed whose answers the test releases
/// one at a time, so what waits for what is seen exactly.
@Suite struct LicenceFreshnessTests {
    /// A feed that holds every `changes(after:)` until `release` gives its answer.
    final class ScriptedFeed: LicenceChangeFeed {
        private let pending = Mutex<[(after: Int64, answer: CheckedContinuation<Result<LicenceChanges, NoProofError>, Never>)]>([])

        func changes(after sequence: Int64) async throws(NoProofError) -> LicenceChanges {
            let result = await withCheckedContinuation { continuation in
                pending.withLock { $0.append((sequence, continuation)) }
            }
            return try result.get()
        }

        /// Waits until a query is waiting, answers it, and returns what it asked for.
        @discardableResult
        func release(_ answer: Result<LicenceChanges, NoProofError>) async -> Int64 {
            while true {
                if let next = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                    next.answer.resume(returning: answer)
                    return next.after
                }
                await Task.yield()
            }
        }

        var waiting: Int { pending.withLock { $0.count } }
    }

    /// Counts the callers `whenFresh` has called back, and with what.
    final class Callbacks: Sendable {
        let calls = Mutex<[NoProofError?]>([])
        func record(_ error: NoProofError?) { calls.withLock { $0.append(error) } }
        var count: Int { calls.withLock { $0.count } }
        func waitFor(_ count: Int) async {
            while self.count < count { await Task.yield() }
        }
    }

    static func licence(_ serial: String, holder: String) throws -> Licence {
        let jhz = LicenceTypeCatalogue.type(code: "JHZ")!
        return Licence(
            id: try LicenceIdentifier.make(typeCode: "JHZ", issuer: jhz.issuerCode, serial: serial),
            holder: try Holder.parse(holder), holderName: "张伟", issuerName: jhz.issuerName,
            issueDate: CivilDate(year: 2020, month: 5, day: 20)!, validFrom: CivilDate(year: 2020, month: 5, day: 20)!,
            validTo: nil, fields: ["spouse_name": "李娜"])
    }

    @Test func callersArrivingDuringACheckWaitForTheNextOneWhichServesThemAll() async throws {
        let feed = ScriptedFeed()
        let cache = LicenceCache(capacity: 100)
        let freshness = LicenceFreshness(feed: feed, cache: cache, watermark: 5)
        let callbacks = Callbacks()
        freshness.whenFresh { callbacks.record($0) }
        // The first check is running (its query waits): ten more callers arrive.
        for _ in 0..<10 { freshness.whenFresh { callbacks.record($0) } }
        #expect(await feed.release(.success(LicenceChanges(latest: 6, holders: []))) == 5)
        await callbacks.waitFor(1)
        #expect(callbacks.count == 1)  // the ten did not ride on a check that began before they asked
        #expect(await feed.release(.success(LicenceChanges(latest: 6, holders: []))) == 6)
        await callbacks.waitFor(11)
        #expect(freshness.checks == 2)
        #expect(callbacks.calls.withLock { $0.allSatisfy { $0 == nil } })
        #expect(feed.waiting == 0)
    }

    @Test func changedHoldersLeaveTheCacheAndAnIncompleteAnswerEmptiesIt() async throws {
        let feed = ScriptedFeed()
        let cache = LicenceCache(capacity: 100)
        let a = try Self.licence("2020000001", holder: "37040219850312123X")
        let b = try Self.licence("2020000002", holder: "110101199003070011")
        cache.fill(holder: a.holder.key, licences: [a], generation: cache.generation)
        cache.fill(holder: b.holder.key, licences: [b], generation: cache.generation)
        let freshness = LicenceFreshness(feed: feed, cache: cache, watermark: 0)

        async let first: Void = freshness.ensureFresh()
        await feed.release(.success(LicenceChanges(latest: 3, holders: [a.holder.key])))
        try await first
        #expect(cache.holder(ofLicence: a.id.description) == nil)
        #expect(cache.holder(ofLicence: b.id.description) == b.holder.key)
        #expect(freshness.watermark == 3)

        async let second: Void = freshness.ensureFresh()
        #expect(await feed.release(.success(LicenceChanges(latest: 900, holders: [], complete: false))) == 3)
        try await second
        #expect(cache.statistics.holders == 0)
        #expect(freshness.watermark == 900)
    }

    @Test func aFailedCheckFailsItsCallersAndTheNextCheckTriesAgain() async throws {
        let feed = ScriptedFeed()
        let cache = LicenceCache(capacity: 100)
        let freshness = LicenceFreshness(feed: feed, cache: cache, watermark: 2)
        async let failing: Void = freshness.ensureFresh()
        await feed.release(.failure(NoProofError(.unavailable, "connection refused")))
        do {
            try await failing
            Issue.record("a failed check let its caller answer from the cache")
        } catch let error as NoProofError {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("cannot be confirmed up to date"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(freshness.watermark == 2)
        async let retried: Void = freshness.ensureFresh()
        #expect(await feed.release(.success(LicenceChanges(latest: 4, holders: []))) == 2)
        try await retried
        #expect(freshness.watermark == 4)
    }
}
