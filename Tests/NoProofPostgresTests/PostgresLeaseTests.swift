import Foundation
import NoProofDomain
import NoProofTestSupport
import PostgresNIO
import Synchronization
import Testing
@testable import NoProofPostgres

/// The verification scheduler's lease (issue 18): two instances (pools) run it on one schema, only
/// one runs the work; when the holder's connection ends (its process killed), the other takes
/// over and the old holder's work is cancelled. The retry interval is injected (short); nothing is
/// judged on time: the test waits for the events the leases report. Skipped, with the reason
/// shown, without `NOPROOF_TEST_POSTGRES_URL`.
@Suite(.enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason), .timeLimit(.minutes(1)))
struct PostgresLeaseTests {
    /// What happened, in order, across both instances.
    enum Happening: Equatable, Sendable {
        case lease(Int, PostgresLease.Event)
        case started(Int)
        case stopped(Int)
    }

    /// A log of happenings that a test can wait on.
    final class Log: Sendable {
        private let entries = Mutex<[Happening]>([])
        let stream: AsyncStream<Happening>
        private let continuation: AsyncStream<Happening>.Continuation

        init() { (stream, continuation) = AsyncStream.makeStream() }

        func add(_ happening: Happening) {
            entries.withLock { $0.append(happening) }
            continuation.yield(happening)
        }

        var all: [Happening] { entries.withLock { $0 } }
    }

    /// Reads `stream` until `count` happenings satisfy `match`.
    static func wait(_ iterator: inout AsyncStream<Happening>.Iterator, for count: Int = 1, _ match: (Happening) -> Bool) async {
        var seen = 0
        while seen < count, let next = await iterator.next() {
            if match(next) { seen += 1 }
        }
    }

    @Test func onlyOneInstanceRunsTheWorkAndTheOtherTakesOverWhenTheHolderDies() async throws {
        try await PostgresLicenceStoreTests.withDatabases(3) { databases in
            let log = Log()
            let leases = (0..<2).map { PostgresLease(databases[$0], name: "noproof.test-lease.\(databases[0].schema)", retry: .milliseconds(20)) }
            var iterator = log.stream.makeAsyncIterator()
            let runs = (0..<2).map { index in
                Task {
                    await leases[index].run(observe: { log.add(.lease(index, $0)) }) {
                        log.add(.started(index))
                        // The work runs until cancelled (as the scheduler's loop does).
                        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                        log.add(.stopped(index))
                    }
                }
            }
            await Self.wait(&iterator) { if case .started = $0 { true } else { false } }
            let first = try #require(log.all.compactMap { if case .started(let index) = $0 { index } else { nil } }.first)
            let other = 1 - first
            // The other instance tries again and again, and is refused each time while the first holds it.
            await Self.wait(&iterator, for: 3) { $0 == .lease(other, .refused) }
            #expect(!log.all.contains(.started(other)))
            #expect(!log.all.contains(.lease(other, .taken)))

            // The holder dies: its lease connection's backend ends (as with kill -9).
            let pid = try await Self.holderPID(lease: leases[first], through: databases[2])
            try await PostgresSchemaLockTests.terminate(pid, through: databases[2])
            // The other takes over, and the first sees its connection end. Either may come first:
            // PostgreSQL frees the lock at once, and the old holder notices the close a moment later
            // (on a loaded machine, after the other has already taken the lease and started).
            await Self.wait(&iterator, for: 2) { $0 == .started(other) || $0 == .lease(first, .lost) }
            let after = log.all
            // The first instance's work was cancelled when it lost the lease, before it reported the loss.
            let stopped = try #require(after.firstIndex(of: .stopped(first)))
            let lost = try #require(after.firstIndex(of: .lease(first, .lost)))
            #expect(after.contains(.lease(other, .taken)))
            #expect(stopped < lost)
            #expect(after.filter { $0 == .started(first) }.count == 1)
            // Now the first instance is the one refused.
            await Self.wait(&iterator, for: 2) { $0 == .lease(first, .refused) }
            #expect(!log.all.contains(.stopped(other)))
            #expect(log.all.filter { $0 == .started(first) }.count == 1)

            for run in runs { run.cancel() }
            for run in runs { await run.value }
            // Cancelled: the holder's work stopped, and the lease is free again.
            #expect(log.all.contains(.stopped(other)))
            let free = try await PostgresSessionLock.tryAcquire(databases[2], name: leases[0].name, mode: .exclusive, holder: "test")
            #expect(free != nil)
            await free?.release()
        }
    }

    /// The backend holding the advisory lock `lease.name`, read from pg_locks.
    static func holderPID(lease: PostgresLease, through database: PostgresStoreDatabase) async throws -> Int32 {
        try await database.withConnection { connection in
            var pids: [Int32] = []
            let query: PostgresQuery = """
                SELECT l.pid FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext(\(lease.name))::bigint
                """
            for try await pid in try await connection.query(query, logger: database.logger).decode(Int32.self) { pids.append(pid) }
            #expect(pids.count == 1)
            return try #require(pids.first)
        }
    }
}
