import Dispatch
import Synchronization
import Testing
@testable import NoProofAudit

@Suite("Batching writer (group commit)")
struct BatchingWriterTests {
    /// Records the batches a writer was given.
    final class Batches: Sendable {
        private let seen = Mutex<[[Int]]>([])
        func add(_ batch: [Int]) { seen.withLock { $0.append(batch) } }
        var all: [[Int]] { seen.withLock { $0 } }
    }

    @Test func aSingleArrivalIsWrittenAtOnceAlone() async throws {
        let batches = Batches()
        let writer = BatchingWriter<Int, Int>(
            label: "test", maxBatch: 100,
            write: .blocking { batch in
                batches.add(batch)
                return batch.map { $0 * 10 }
            })
        #expect(try await writer.write(7) == 70)
        #expect(try await writer.write(8) == 80)
        #expect(batches.all == [[7], [8]])
    }

    @Test func itemsQueuedDuringAWriteFormTheNextBatchInOrderUpToMaxBatch() async throws {
        let batches = Batches()
        let queue = DispatchQueue(label: "test.writer")
        let writer = BatchingWriter<Int, Int>(
            label: "test", maxBatch: 4, queue: queue,
            write: .blocking { batch in
                batches.add(batch)
                return batch
            })
        // Hold the writer's queue: the first item's batch waits behind the block, and so do the rest.
        queue.suspend()
        let results = Mutex<[Int]>([])
        let done = DispatchGroup()
        for item in 1...10 {
            done.enter()
            writer.enqueue(item) { result in
                results.withLock { $0.append(try! result.get()) }
                done.leave()
            }
        }
        #expect(writer.depth == 10)
        queue.resume()
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        #expect(batches.all == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]])
        #expect(results.withLock { $0 } == Array(1...10), "completions in queue order")
        #expect(writer.depth == 0)
    }

    @Test func aFailedBatchFailsOnlyItsOwnItems() async throws {
        struct Refused: Error {}
        let writer = BatchingWriter<Int, Int>(
            label: "test", maxBatch: 10,
            write: .blocking { batch in
                if batch.contains(13) { throw Refused() }
                return batch
            })
        await #expect(throws: Refused.self) { try await writer.write(13) }
        #expect(try await writer.write(14) == 14)
    }

    @Test func aWriteReturningTheWrongNumberOfResultsFailsTheBatch() async throws {
        let writer = BatchingWriter<Int, Int>(label: "test", maxBatch: 10, write: .blocking { _ in [] })
        let error = await #expect(throws: (any Error).self) { try await writer.write(1) }
        #expect("\(error!)".contains("a batch of 1 was written with 0 results"))
    }

    @Test func closeWaitsForEveryQueuedItemAndRefusesLaterOnes() async throws {
        let batches = Batches()
        let queue = DispatchQueue(label: "test.writer")
        let writer = BatchingWriter<Int, Void>(
            label: "the test writer", maxBatch: 2, queue: queue,
            write: .blocking { batch in
                batches.add(batch)
                return batch.map { _ in () }
            })
        queue.suspend()
        for item in 1...5 { writer.enqueue(item) { _ in } }
        let closed = Task { await writer.close() }
        queue.resume()
        await closed.value
        #expect(batches.all.flatMap { $0 } == [1, 2, 3, 4, 5])
        #expect(!writer.enqueue(6) { _ in Issue.record("completion of a refused item must not run") })
        let error = await #expect(throws: BatchingWriter<Int, Void>.Closed.self) { try await writer.write(7) }
        #expect(error?.description == "the test writer is closed: the server is stopping")
    }

    @Test func closeAndWaitReturnsWhenIdle() {
        let writer = BatchingWriter<Int, Int>(label: "test", maxBatch: 2, write: .blocking { $0 })
        writer.closeAndWait()
        #expect(!writer.enqueue(1) { _ in })
    }

    @Test func anAsyncWriteRunsOneBatchAtATime() async throws {
        let inFlight = Mutex((now: 0, most: 0))
        let writer = BatchingWriter<Int, Int>(
            label: "test", maxBatch: 3,
            write: .async { batch in
                inFlight.withLock {
                    $0.now += 1; $0.most = max($0.most, $0.now)
                }
                try await Task.sleep(for: .milliseconds(2))
                inFlight.withLock { $0.now -= 1 }
                return batch.map { $0 + 1 }
            })
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for item in 0..<20 { group.addTask { try await writer.write(item) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...20))
        #expect(inFlight.withLock { $0.most } == 1)
    }

    @Test func deliveryRunsCompletionsOffTheWriterAndTheOldestWaitIsKept() async throws {
        let queue = DispatchQueue(label: "test.writer")
        let delivery = DispatchQueue(label: "test.delivery")
        let key = DispatchSpecificKey<String>()
        delivery.setSpecific(key: key, value: "delivery")
        let clock = Mutex(ContinuousClock.now)
        let start = clock.withLock { $0 }
        let writer = BatchingWriter<Int, Int>(
            label: "test", maxBatch: 10, queue: queue, delivery: delivery,
            now: { clock.withLock { $0 } }, write: .blocking { $0 })
        queue.suspend()
        let onDelivery = Mutex(false)
        let done = DispatchSemaphore(value: 0)
        writer.enqueue(1) { _ in
            onDelivery.withLock { $0 = DispatchQueue.getSpecific(key: key) == "delivery" }
            done.signal()
        }
        clock.withLock { $0 = start + .seconds(1) }
        writer.enqueue(2) { _ in }
        #expect(writer.oldestWaitingSince == start)
        queue.resume()
        done.wait()
        #expect(onDelivery.withLock { $0 })
    }
}
