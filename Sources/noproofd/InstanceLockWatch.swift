import Logging
import NoProofPostgres
import ServiceLifecycle

/// Runs as long as noproofd serves on PostgreSQL; throws when the instance lock is lost, so the
/// service group shuts down gracefully (and noproofd exits non-zero, for its supervisor to restart
/// it once the database is back).
struct InstanceLockWatch: Service {
    let lock: PostgresInstanceLock
    let logger: Logger

    func run() async throws {
        let (lost, signal) = AsyncStream<Void>.makeStream()
        lock.onLoss {
            signal.yield()
            signal.finish()
        }
        // Ends with false when the application shuts down first (cancelled).
        let wasLost = await cancelWhenGracefulShutdown {
            for await _ in lost { return true }
            return false
        }
        guard wasLost else { return }
        logger.critical("the PostgreSQL instance lock was lost (its connection closed): stopping, since another noproofd may now start on the database")
        throw ConfigurationError("lost the PostgreSQL instance lock on schema \(lock.schema): the database connection closed")
    }
}
