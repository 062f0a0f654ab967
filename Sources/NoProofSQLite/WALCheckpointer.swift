import Dispatch
package import Foundation
import GRDB
import Synchronization

/// Checkpoints a WAL database off its writer's commit path (issue 19).
///
/// SQLite's automatic checkpoint runs inside the commit that crosses `wal_autocheckpoint` pages: that
/// commit copies the WAL into the database file and fsyncs it before it returns, so one batch of
/// answers in a thousand waits for a checkpoint. The writer turns the automatic checkpoint off
/// (`PRAGMA wal_autocheckpoint = 0`) and this checkpointer, on a connection and a queue of its own,
/// runs `PRAGMA wal_checkpoint(PASSIVE)` every `interval`: PASSIVE never takes the write lock and
/// never waits, so the writer's commits go on meanwhile. Once a checkpoint has copied every frame,
/// the writer's next commit starts the WAL over from its beginning (and `journal_size_limit` on the
/// writer truncates the file back), so the WAL stays about one interval of writes long — longer
/// only while a reader holds an older snapshot.
package final class WALCheckpointer: Sendable {
    /// One checkpoint's outcome, as SQLite reports it.
    package struct Checkpoint: Sendable, Equatable {
        /// Frames in the WAL when it ran.
        package var walFrames: Int
        /// Frames copied into the database file (all of them: the WAL will be reused).
        package var checkpointed: Int
        /// How long it took.
        package var duration: Duration
        /// True when every frame was copied.
        package var complete: Bool { checkpointed >= walFrames }
    }

    private let connection: DatabaseQueue
    private let queue: DispatchQueue
    private let interval: Duration
    /// The timer; touched only on `queue`.
    private let timer = TimerSlot()
    private let observer = Mutex<(@Sendable (Result<Checkpoint, any Error>) -> Void)?>(nil)

    /// A checkpointer for the WAL database at `path` (it must exist and be in WAL mode), on a
    /// connection of its own; nothing runs until `start()`.
    package init(path: String, label: String, interval: Duration = .seconds(1), busyTimeout: TimeInterval = 5) throws {
        var configuration = Configuration()
        configuration.label = label
        configuration.busyMode = .timeout(busyTimeout)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        queue = DispatchQueue(label: label, qos: .utility)
        self.interval = interval
    }

    /// Tells `observer` of every checkpoint the timer runs (metrics, the debug log).
    package func observe(_ observer: @escaping @Sendable (Result<Checkpoint, any Error>) -> Void) {
        self.observer.withLock { $0 = observer }
    }

    /// Runs a checkpoint every `interval` until `stop()`.
    package func start() {
        let source = DispatchSource.makeTimerSource(queue: queue)
        let nanos = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
        source.schedule(deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .nanoseconds(nanos / 10))
        source.setEventHandler { [weak self] in
            guard let self else { return }
            let outcome = Result { try self.checkpointNow() }
            self.observer.withLock { $0 }?(outcome)
        }
        queue.sync {
            timer.source?.cancel()
            timer.source = source
        }
        source.resume()
    }

    /// One PASSIVE checkpoint now, on the calling thread (the timer calls it on its queue).
    @discardableResult
    package func checkpointNow() throws -> Checkpoint {
        let clock = ContinuousClock()
        let started = clock.now
        let row = try connection.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
        }
        // (busy, log, checkpointed); log and checkpointed are -1 when the database is not in WAL mode.
        let frames: Int = row?[1] ?? -1
        let copied: Int = row?[2] ?? -1
        return Checkpoint(walFrames: max(frames, 0), checkpointed: max(copied, 0), duration: clock.now - started)
    }

    /// Stops the timer and waits for a checkpoint in progress; the connection closes with the object.
    package func stop() {
        queue.sync {
            timer.source?.cancel()
            timer.source = nil
        }
    }
}

/// The checkpointer's timer, read and written only on the checkpointer's serial queue.
private final class TimerSlot: @unchecked Sendable {
    var source: (any DispatchSourceTimer)?
}
