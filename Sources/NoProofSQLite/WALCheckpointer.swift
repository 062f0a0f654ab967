import Dispatch
package import Foundation
package import GRDB
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
///
/// Under steady load that last step seldom happens by itself: the writer starts its next
/// transaction microseconds after each commit, while a checkpoint copies for milliseconds, so a
/// checkpoint always finds frames written during its own run and the WAL grows without end (about
/// 100 MB in a few seconds of paced lookups, every commit then extending the file). So when the WAL
/// holds at least `restartPages` pages and a checkpoint left at most `finishPages` behind, the
/// checkpointer asks the writer to finish the job: the writer's next `writerCommitted(_:)` runs one
/// more PASSIVE checkpoint on its own connection between two transactions (it copies only those
/// few pages), and its next transaction then starts the WAL over. That bounds the WAL to about
/// `restartPages` pages plus one interval of writes, at the cost of one small checkpoint on the
/// commit path per restart.
package final class WALCheckpointer: Sendable {
    /// One checkpoint's outcome, as SQLite reports it.
    package struct Checkpoint: Sendable, Equatable {
        /// Frames in the WAL when it ran.
        package var walFrames: Int
        /// Frames copied into the database file (all of them: the WAL will be reused).
        package var checkpointed: Int
        /// How long it took.
        package var duration: Duration
        /// Who ran it: the timer on the checkpointer's connection, or the writer finishing one.
        package var trigger: Trigger = .timer
        /// For a timer checkpoint: the WAL had started over since the previous one (it holds fewer
        /// frames than then).
        package var walStartedOver = false
        /// True when every frame was copied.
        package var complete: Bool { checkpointed >= walFrames }
    }

    /// Who ran a checkpoint.
    package enum Trigger: Sendable, Equatable {
        /// The checkpointer's timer, off the commit path.
        case timer
        /// The writer, between two transactions, to let the WAL start over.
        case writer
    }

    /// The default WAL size from which the writer is asked to let the WAL start over: 4,096 pages
    /// (16 MiB at SQLite's 4 KiB pages).
    package static let defaultRestartPages = 4096
    /// The most pages the writer copies when it finishes a checkpoint (4 MiB).
    package static let defaultFinishPages = 1024

    /// What the timer's checkpoints have seen; read and written under the mutex.
    private struct Progress {
        /// The WAL's frames at the previous timer checkpoint (a drop means the WAL started over).
        var lastFrames = 0
        /// Times the WAL was seen starting over.
        var restarts = 0
        /// Set by the timer, taken by the writer's next `writerCommitted(_:)`.
        var finishRequested = false
    }

    private let connection: DatabaseQueue
    private let queue: DispatchQueue
    private let interval: Duration
    /// The timer; touched only on `queue`.
    private let timer = TimerSlot()
    private let observer = Mutex<(@Sendable (Result<Checkpoint, any Error>) -> Void)?>(nil)
    private let progress = Mutex(Progress())
    private let restartPages: Int
    private let finishPages: Int

    /// A checkpointer for the WAL database at `path` (it must exist and be in WAL mode), on a
    /// connection of its own; nothing runs until `start()`. From `restartPages` pages of WAL the
    /// writer is asked to finish a checkpoint of at most `finishPages` pages so the WAL starts
    /// over (`restartPages` 0: never; the WAL then starts over only when a checkpoint happens to
    /// complete between two of the writer's transactions).
    package init(
        path: String, label: String, interval: Duration = .seconds(1), busyTimeout: TimeInterval = 5,
        restartPages: Int = WALCheckpointer.defaultRestartPages, finishPages: Int = WALCheckpointer.defaultFinishPages
    ) throws {
        self.restartPages = max(0, restartPages)
        self.finishPages = max(0, finishPages)
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
            var outcome = Result { try self.checkpointNow() }
            if case .success(var checkpoint) = outcome {
                checkpoint.walStartedOver = self.timerSaw(checkpoint)
                outcome = .success(checkpoint)
            }
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
        try Self.passiveCheckpoint(on: connection, trigger: .timer)
    }

    /// Runs `PRAGMA wal_checkpoint(PASSIVE)` on `database`'s connection, outside any transaction.
    private static func passiveCheckpoint(on database: some DatabaseWriter, trigger: Trigger) throws -> Checkpoint {
        let clock = ContinuousClock()
        let started = clock.now
        let row = try database.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
        }
        // (busy, log, checkpointed); log and checkpointed are -1 when the database is not in WAL mode.
        let frames: Int = row?[1] ?? -1
        let copied: Int = row?[2] ?? -1
        return Checkpoint(
            walFrames: max(frames, 0), checkpointed: max(copied, 0), duration: clock.now - started, trigger: trigger)
    }

    /// Notes a timer checkpoint: counts a WAL that started over, and asks the writer to finish a
    /// checkpoint when the WAL is long and only a few pages are left to copy. Returns whether the
    /// WAL had started over since the previous timer checkpoint.
    @discardableResult
    package func timerSaw(_ checkpoint: Checkpoint) -> Bool {
        progress.withLock { progress in
            let startedOver = checkpoint.walFrames < progress.lastFrames
            if startedOver { progress.restarts += 1 }
            progress.lastFrames = checkpoint.walFrames
            progress.finishRequested =
                restartPages > 0 && checkpoint.walFrames >= restartPages
                && checkpoint.walFrames - checkpoint.checkpointed <= finishPages
            return startedOver
        }
    }

    /// Times the timer saw the WAL start over (its frame count dropped between two checkpoints);
    /// a lower bound, since a WAL that grew past its old length after starting over is not seen.
    package var walRestarts: Int { progress.withLock { $0.restarts } }

    /// Whether the writer's next `writerCommitted(_:)` will finish a checkpoint.
    package var finishRequested: Bool { progress.withLock { $0.finishRequested } }

    /// Called by the writer after a commit, on its own connection and outside any transaction: when
    /// the timer asked for it, runs one PASSIVE checkpoint there (copying the few pages the last
    /// timer checkpoint left), so that the writer's next transaction starts the WAL over, and
    /// tells the observer. Otherwise does nothing and returns nil. A failure is reported to the
    /// observer, never thrown: the commit before it is already durable.
    @discardableResult
    package func writerCommitted(_ database: some DatabaseWriter) -> Checkpoint? {
        let asked = progress.withLock { progress in
            defer { progress.finishRequested = false }
            return progress.finishRequested
        }
        guard asked else { return nil }
        let outcome = Result { try Self.passiveCheckpoint(on: database, trigger: .writer) }
        observer.withLock { $0 }?(outcome)
        return try? outcome.get()
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
