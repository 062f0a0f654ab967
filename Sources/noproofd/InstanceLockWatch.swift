import Logging
import NoProofPostgres
import ServiceLifecycle

/// Runs as long as noproofd serves on PostgreSQL; throws when the instance's share of the schema's
/// serving lock (`PostgresSchemaLock.serving`) is lost, so the service group shuts down gracefully
/// (and noproofd exits non-zero, for its supervisor to restart it once the database is back): an
/// instance without it could serve while an offline import rewrites the library.
struct InstanceLockWatch: Service {
    let lock: PostgresSessionLock
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
        logger.critical("the PostgreSQL serving lock was lost (its connection closed): stopping, since an offline import may now start on the database")
        throw ConfigurationError("lost the PostgreSQL serving lock \(lock.name): the database connection closed")
    }
}
