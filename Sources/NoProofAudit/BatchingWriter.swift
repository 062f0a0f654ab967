package import Dispatch
import Synchronization

/// Group commit for one durable writer: items are written in batches, one batch at a time, in the
/// order they were queued, and each item's completion runs once its batch is written.
///
/// The classic group-commit rule: an item queued while the writer is idle is written at once, alone
/// (a single arrival never waits for company); items queued while a batch is being written form the
/// next batch, up to `maxBatch`. So a quiet server pays one commit per item and a busy one a few
/// commits for thousands.
///
/// The write runs either synchronously on a serial `DispatchQueue` of the writer's own (for a store
/// whose commit blocks, such as an fsync — kept off the cooperative thread pool and the event
/// loops), or as `async` work in one task at a time. With `delivery`, a batch's completions run there,
/// in one hop per batch, so that the writer goes straight on to the next batch.
///
/// The audit trail's append queue, the proof issuer (seal + audit per batch) and the access gate's
/// denial log are its users.
package final class BatchingWriter<Item: Sendable, Output: Sendable>: Sendable {
    package typealias Completion = @Sendable (Result<Output, any Error>) -> Void

    /// How a batch is written: it returns one output per item, in order, or throws for the batch.
    package enum Write: Sendable {
        /// Runs on the writer's serial queue.
        case blocking(@Sendable (_ batch: [Item]) throws -> [Output])
        /// Runs in a task, one batch at a time.
        case async(@Sendable (_ batch: [Item]) async throws -> [Output])
    }

    /// The error a completion gets for an item queued after `close()` (unless the writer names another).
    package struct Closed: Error, CustomStringConvertible {
        package var label: String
        package var description: String { "\(label) is closed: the server is stopping" }
    }

    private struct State {
        var items: [Item] = []
        var completions: [Completion] = []
        /// When each waiting item was queued (only when the writer keeps time: `now` given).
        var enqueuedAt: [ContinuousClock.Instant] = []
        /// Items in the batch being written.
        var writing = 0
        var draining = false
        var closed = false
        var idleWaiters: [@Sendable () -> Void] = []
    }

    private let label: String
    private let maxBatch: Int
    private let write: Write
    private let queue: DispatchQueue
    private let delivery: DispatchQueue?
    private let now: (@Sendable () -> ContinuousClock.Instant)?
    private let closedError: any Error & Sendable
    private let state = Mutex(State())

    /// - Parameters:
    ///   - label: names the writer in errors and its queue.
    ///   - maxBatch: the most items written together.
    ///   - queue: the serial queue a `.blocking` write runs on (a test may suspend it); a new one
    ///     when nil.
    ///   - delivery: where a batch's completions run; on the writer itself when nil.
    ///   - now: the clock of `oldestWaitingSince` (overload shedding); the writer keeps no time
    ///     when nil.
    ///   - closedError: what an item queued after `close()` fails with (`Closed` when nil).
    package init(
        label: String, maxBatch: Int, queue: DispatchQueue? = nil, delivery: DispatchQueue? = nil,
        now: (@Sendable () -> ContinuousClock.Instant)? = nil, closedError: (any Error & Sendable)? = nil,
        write: Write
    ) {
        precondition(maxBatch > 0, "maxBatch must be positive")
        self.label = label
        self.maxBatch = maxBatch
        self.write = write
        self.queue = queue ?? DispatchQueue(label: label)
        self.delivery = delivery
        self.now = now
        self.closedError = closedError ?? Closed(label: label)
    }

    /// Queues `item`; `completion` runs once its batch is written. Returns false, and never calls
    /// `completion`, when the writer is closed (the caller answers the item itself, e.g. with
    /// `closedError`).
    @discardableResult
    package func enqueue(_ item: Item, completion: @escaping Completion) -> Bool {
        let queuedAt = now?()
        let (accepted, start): (Bool, Bool) = state.withLock { state in
            if state.closed { return (false, false) }
            if let queuedAt { state.enqueuedAt.append(queuedAt) }
            state.items.append(item)
            state.completions.append(completion)
            if state.draining { return (true, false) }
            state.draining = true
            return (true, true)
        }
        if start { startDraining() }
        return accepted
    }

    /// Queues `item`, calling `completion` with `closedError` at once when the writer is closed.
    package func enqueueOrFail(_ item: Item, completion: @escaping Completion) {
        if !enqueue(item, completion: completion) { completion(.failure(closedError)) }
    }

    /// Queues `item` and waits until its batch is written.
    package func write(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            enqueueOrFail(item) { continuation.resume(with: $0) }
        }
    }

    /// Items waiting or being written.
    package var depth: Int {
        state.withLock { $0.items.count + $0.writing }
    }

    /// When the oldest waiting item was queued (nil when none waits or the writer keeps no time).
    package var oldestWaitingSince: ContinuousClock.Instant? {
        state.withLock { $0.enqueuedAt.first }
    }

    /// Stops taking items and waits until every queued one is written (their completions have run
    /// or, with `delivery`, been handed to it).
    package func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            whenIdleAfterClosing { continuation.resume() }
        }
    }

    /// `close()` for synchronous callers; must not be called from the writer's own queue.
    package func closeAndWait() {
        let done = DispatchSemaphore(value: 0)
        whenIdleAfterClosing { done.signal() }
        done.wait()
    }

    private func whenIdleAfterClosing(_ body: @escaping @Sendable () -> Void) {
        let idle: Bool = state.withLock { state in
            state.closed = true
            if !state.draining { return true }
            state.idleWaiters.append(body)
            return false
        }
        if idle { body() }
    }

    private func startDraining() {
        switch write {
        case .blocking(let body):
            queue.async {
                while let batch = self.takeBatch() {
                    self.finish(batch, Result { try body(batch.items) })
                }
            }
        case .async(let body):
            Task {
                while let batch = self.takeBatch() {
                    let result: Result<[Output], any Error>
                    do { result = .success(try await body(batch.items)) } catch { result = .failure(error) }
                    self.finish(batch, result)
                }
            }
        }
    }

    private struct Batch {
        var items: [Item]
        var completions: [Completion]
    }

    /// The next batch, or nil (and the writer idle) when nothing waits.
    private func takeBatch() -> Batch? {
        let (batch, waiters): (Batch?, [@Sendable () -> Void]) = state.withLock { state in
            state.writing = 0
            if state.items.isEmpty {
                state.draining = false
                let waiters = state.idleWaiters
                state.idleWaiters = []
                return (nil, waiters)
            }
            let take = min(state.items.count, maxBatch)
            state.writing = take
            if take == state.items.count {
                // The usual case: everything waiting forms the batch; hand the arrays over
                // instead of copying the items.
                var batch = Batch(items: [], completions: [])
                swap(&batch.items, &state.items)
                swap(&batch.completions, &state.completions)
                state.enqueuedAt.removeAll(keepingCapacity: true)
                state.items.reserveCapacity(take)
                state.completions.reserveCapacity(take)
                return (batch, [])
            }
            let batch = Batch(items: Array(state.items.prefix(take)), completions: Array(state.completions.prefix(take)))
            state.items.removeFirst(take)
            state.completions.removeFirst(take)
            state.enqueuedAt.removeFirst(min(take, state.enqueuedAt.count))
            return (batch, [])
        }
        for waiter in waiters { waiter() }
        return batch
    }

    private func finish(_ batch: Batch, _ result: Result<[Output], any Error>) {
        let deliver: @Sendable () -> Void = {
            switch result {
            case .success(let outputs) where outputs.count == batch.completions.count:
                for (completion, output) in zip(batch.completions, outputs) { completion(.success(output)) }
            case .success(let outputs):
                let error = WrongOutputCount(label: self.label, expected: batch.completions.count, got: outputs.count)
                for completion in batch.completions { completion(.failure(error)) }
            case .failure(let error):
                for completion in batch.completions { completion(.failure(error)) }
            }
        }
        if let delivery { delivery.async(execute: deliver) } else { deliver() }
    }

    /// A write returned another number of outputs than it was given items (a bug in the writer).
    struct WrongOutputCount: Error, CustomStringConvertible {
        var label: String
        var expected: Int
        var got: Int
        var description: String { "\(label): a batch of \(expected) was written with \(got) results" }
    }
}
