package import Logging
import NoProofDomain

/// Work that runs on exactly one instance of a cluster at a time (the verification deadline
/// scheduler, issue 18): the instance whose `run` holds the exclusive advisory lock `name` (a
/// `PostgresSessionLock` on a connection of its own) runs `body`; the others try again every
/// `retry`. The holder's death closes its connection, PostgreSQL frees the lock, and the next
/// instance to try takes it over: fail-over within one `retry` of PostgreSQL noticing the end of
/// the connection (at once for a killed process, whose socket the kernel closes; a host that
/// vanishes is noticed by TCP keepalive).
///
/// An instance that loses the lock while running `body` (its connection ended: PostgreSQL
/// restarted, the network failed, its backend was terminated) cancels `body` as soon as it sees
/// the connection close, and goes back to trying. Between PostgreSQL freeing the lock and the old
/// holder seeing its connection close, another instance may already have started: the work run
/// under a lease must stay correct if two runs overlap briefly (the deadline scheduler judges each
/// transition on the locked row, so it is still reported once).
package struct PostgresLease: Sendable {
    /// What a `run` did, in order, for logs and tests.
    package enum Event: Equatable, Sendable {
        /// Took the lease: `body` starts.
        case taken
        /// Someone else holds it: tries again after `retry`.
        case refused
        /// PostgreSQL could not be reached: tries again after `retry`.
        case unavailable
        /// Held it and lost it (the connection ended): `body` was cancelled.
        case lost
    }

    package let database: PostgresStoreDatabase
    /// The lock's name, e.g. `noproof.verification-scheduler.SCHEMA`.
    package let name: String
    package let holder: String
    package let retry: Duration
    let logger: Logger

    package init(_ database: PostgresStoreDatabase, name: String, holder: String = "noproofd", retry: Duration = .seconds(5), logger: Logger? = nil) {
        self.database = database
        self.name = name
        self.holder = holder
        self.retry = retry
        self.logger = logger ?? database.logger
    }

    /// The lease of the verification deadline scheduler on `database`'s schema.
    package static func verificationScheduler(
        _ database: PostgresStoreDatabase, retry: Duration = .seconds(5), logger: Logger? = nil
    ) -> PostgresLease {
        PostgresLease(
            database, name: "noproof.verification-scheduler." + database.schema, holder: "noproofd verification scheduler",
            retry: retry, logger: logger)
    }

    /// Until cancelled: takes the lease when free and runs `body` while holding it (cancelling it
    /// when the lease is lost); releases the lease when `body` returns or the run is cancelled.
    /// - Parameter observe: told each event (synchronously, before `body` starts on `.taken`).
    package func run(observe: (@Sendable (Event) -> Void)? = nil, body: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            let lock: PostgresSessionLock?
            do {
                lock = try await PostgresSessionLock.tryAcquire(database, name: name, mode: .exclusive, holder: holder)
            } catch {
                if Task.isCancelled { break }
                logger.debug("postgres lease: database unavailable", metadata: ["lease": "\(name)", "error": "\(error)"])
                observe?(.unavailable)
                do { try await Task.sleep(for: retry) } catch { break }
                continue
            }
            guard let lock else {
                observe?(.refused)
                do { try await Task.sleep(for: retry) } catch { break }
                continue
            }
            logger.info("lease taken: this instance runs it", metadata: ["lease": "\(name)"])
            observe?(.taken)
            let lost = await Self.hold(lock, body: body)
            if lost {
                logger.warning("lease lost (its connection ended): stopped here, another instance may take it over", metadata: ["lease": "\(name)"])
                observe?(.lost)
            } else {
                await lock.release()
            }
            if Task.isCancelled { break }
            do { try await Task.sleep(for: retry) } catch { break }
        }
    }

    /// Runs `body` until it returns, the lease is lost or the caller is cancelled; true when lost.
    private static func hold(_ lock: PostgresSessionLock, body: @escaping @Sendable () async -> Void) async -> Bool {
        let (losses, signal) = AsyncStream<Void>.makeStream()
        lock.onLoss {
            signal.yield()
            signal.finish()
        }
        if !lock.isHeld { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await body()
                return false
            }
            group.addTask {
                for await _ in losses { return true }
                return false  // cancelled
            }
            let first = await group.next() ?? false
            group.cancelAll()
            signal.finish()
            return first
        }
    }
}
