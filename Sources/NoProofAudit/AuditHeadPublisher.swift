package import Foundation
package import Logging
package import NoProofSeals
import Synchronization
import NoProofAuditChain

/// Signs the audit tree's head on a schedule and hands it to the witnesses (docs/AUDIT.md,
/// "Signed tree heads"): a new head every `busyInterval` while records arrive (1 s by default),
/// and at least every `idleInterval` (60 s) when none do, so a witness also learns the log is
/// alive and has not grown. Each head is kept beside the trail's records (`tree_heads` in
/// audit.sqlite, `audit_signed_head` in PostgreSQL) and appended to every witness; a witness that
/// fails is logged and retried with the next head. Works over any `SignedAuditTrail`; every read
/// and write is awaited, none blocks a thread.
package final class AuditHeadPublisher: Sendable {
    package struct Schedule: Sendable {
        package var busyInterval: Duration = .seconds(1)
        package var idleInterval: Duration = .seconds(60)
        package init(busyInterval: Duration = .seconds(1), idleInterval: Duration = .seconds(60)) {
            self.busyInterval = busyInterval
            self.idleInterval = idleInterval
        }
    }

    private struct State {
        var last: SignedTreeHead?
        /// Whether `last` was read from the trail's kept heads (once, before the first tick or head).
        var loaded = false
        var witnessFailures: Int = 0
        var lastFailure: String?
    }

    private let log: any SignedAuditTrail
    private let key: AuditSigningKey
    package let witnesses: [any AuditWitness]
    private let schedule: Schedule
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())

    package init(
        log: any SignedAuditTrail, key: AuditSigningKey, witnesses: [any AuditWitness], schedule: Schedule = Schedule(),
        clock: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "noproof.audit-heads")
    ) {
        self.log = log
        self.key = key
        self.witnesses = witnesses
        self.schedule = schedule
        self.clock = clock
        self.logger = logger
    }

    /// Reads the newest head kept beside the trail into `latest`, unless a head is known already
    /// (called by `tick` and `publishNow`; at start, before `latest` is read).
    package func loadLatest() async {
        if state.withLock({ $0.loaded }) { return }
        let kept = try? await log.latestStoredHead()
        state.withLock {
            if !$0.loaded, $0.last == nil { $0.last = kept }
            $0.loaded = true
        }
    }

    package var publicKey: [UInt8] { key.publicKey }
    package var keyID: String { key.keyID }

    /// The newest head signed (by this process or, before its first, the last one kept).
    package var latest: SignedTreeHead? { state.withLock { $0.last } }

    /// Heads that at least one witness did not take, and the last reason.
    package var witnessFailures: (count: Int, last: String?) { state.withLock { ($0.witnessFailures, $0.lastFailure) } }

    /// Signs and publishes a head now (at start, at stop, and from `tick`).
    @discardableResult
    package func publishNow() async throws -> SignedTreeHead {
        let tree = try await log.currentTree()
        let millis = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let head = key.sign(treeSize: tree.size, root: tree.root, timestampMillis: millis)
        try await log.storeHead(head)
        state.withLock {
            $0.last = head
            $0.loaded = true
        }
        for witness in witnesses {
            do {
                try await witness.publish(head)
            } catch {
                state.withLock {
                    $0.witnessFailures += 1
                    $0.lastFailure = "\(witness.name): \(error)"
                }
                logger.warning(
                    "an audit witness did not take the signed head; it gets the next one",
                    metadata: ["witness": "\(witness.name)", "tree_size": "\(head.treeSize)", "error": "\(error)"])
            }
        }
        logger.trace("audit tree head signed", metadata: ["tree_size": "\(head.treeSize)", "root": "\(head.rootHex)"])
        return head
    }

    /// Publishes a head when one is due: the log grew since the last head, or `idleInterval`
    /// passed. Returns the head published, if any.
    @discardableResult
    package func tick() async -> SignedTreeHead? {
        await loadLatest()
        let last = state.withLock { $0.last }
        let now = clock()
        let size: UInt64
        do {
            size = UInt64(max(0, try await log.head().sequence))
        } catch {
            logger.error("cannot read the audit head", metadata: ["error": "\(error)"])
            return nil
        }
        if let last {
            let age = now.timeIntervalSince1970 - Double(last.timestampMillis) / 1000
            let idle = Double(schedule.idleInterval.components.seconds) + Double(schedule.idleInterval.components.attoseconds) / 1e18
            if size == last.treeSize, age < idle { return nil }
        }
        do {
            return try await publishNow()
        } catch {
            logger.error("the audit tree head could not be signed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Ticks every `busyInterval` until cancelled.
    package func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: schedule.busyInterval)
            if Task.isCancelled { break }
            await tick()
        }
    }
}
