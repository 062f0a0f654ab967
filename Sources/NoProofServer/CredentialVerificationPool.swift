import NIOCore
import NIOPosix
package import NoProofProtocol
import Synchronization

/// Runs slow credential checks (PBKDF2) on a few dedicated threads, off the event loops and
/// the cooperative pool, so that a flood of wrong secrets cannot delay other units' calls.
/// At most `threads` checks run at once and `maxQueued` wait; past that a check is refused at
/// once with UNAVAILABLE (retry later) instead of queueing without bound.
package final class CredentialVerificationPool: Sendable {
    package let threads: Int
    package let maxQueued: Int
    private let pool: NIOThreadPool
    private let admitted = Atomic<Int>(0)
    private let refusedCounter = Atomic<UInt64>(0)

    package init(threads: Int = 2, maxQueued: Int = 32) {
        self.threads = max(1, threads)
        self.maxQueued = max(0, maxQueued)
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }

    /// Checks refused because every thread was busy and the queue full.
    package var refused: UInt64 { refusedCounter.load(ordering: .relaxed) }

    /// Runs `body` on the pool, or throws UNAVAILABLE when the pool and its queue are full.
    package func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(RPCError) -> T {
        let limit = threads + maxQueued
        var current = admitted.load(ordering: .relaxed)
        while true {
            guard current < limit else {
                refusedCounter.add(1, ordering: .relaxed)
                throw RPCError(.unavailable, "server busy checking credentials (\(threads) running, \(maxQueued) waiting); retry after 1 s, with backoff")
            }
            let (exchanged, original) = admitted.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        defer { admitted.subtract(1, ordering: .relaxed) }
        do {
            return try await pool.runIfActive(body)
        } catch {
            throw RPCError(.unavailable, "credential check not run (\(error)); retry")
        }
    }
}
