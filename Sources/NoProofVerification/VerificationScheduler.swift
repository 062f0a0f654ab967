package import Foundation
package import NoProofUnits
package import NoProofDomain
import Synchronization

/// Watches the deadlines of open requests: marks a request overdue and escalates it to the
/// supervisor when its answer deadline passes, and records the second breach when the
/// supervisor's 30 minutes pass too. The armed deadlines live in memory and are re-armed from
/// the store at start-up (`rearm`), so they survive a restart; the time comes from the injected
/// clock, and `fireDue` does the work for whatever is due "now" — tests move the clock and call
/// it instead of sleeping.
package actor VerificationScheduler {
    /// Called after each transition is durable, with the event kinds ("escalated",
    /// "second_breach"); audits and pushes them.
    package typealias Observer = @Sendable (_ request: VerificationRequest, _ kinds: [String], _ at: Date) async -> Void

    private let store: any VerificationStore
    private let now: @Sendable () -> Date
    /// The office clock in force (the supervisor's 30 minutes run in office time).
    private let clock: @Sendable () -> OfficeClock
    private var observer: Observer?
    private var armed: [String: Date] = [:]

    /// - Parameter clock: the office clock in force at each check (the wall clock unless given).
    package init(
        store: any VerificationStore, now: @escaping @Sendable () -> Date, observer: Observer? = nil,
        clock: @escaping @Sendable () -> OfficeClock = { .roundTheClock }
    ) {
        self.store = store
        self.now = now
        self.clock = clock
        self.observer = observer
    }

    package func setObserver(_ observer: @escaping Observer) {
        self.observer = observer
    }

    /// Loads every pending deadline from the store (start-up). Returns how many are armed.
    @discardableResult
    package func rearm() async throws(NoProofError) -> Int {
        armed = [:]
        for request in try await store.pending() { arm(request) }
        return armed.count
    }

    /// Arms (or disarms) the request's next deadline after a change.
    package func arm(_ request: VerificationRequest) {
        armed[request.id] = request.nextDeadline
    }

    /// The armed deadlines, by request id.
    package var armedDeadlines: [String: Date] { armed }

    /// The earliest armed deadline.
    package var nextDeadline: Date? { armed.values.min() }

    /// Applies every deadline that has passed at the clock's time; returns the requests changed.
    @discardableResult
    package func fireDue() async -> [VerificationRequest] {
        let moment = now()
        let office = clock()
        let due = armed.filter { $0.value <= moment }.sorted { $0.value < $1.value }.map(\.key)
        var changed: [VerificationRequest] = []
        for id in due {
            do {
                // What changed is judged on the row as the update read it (locked, in its
                // transaction), not on an earlier read: when several schedulers watch one shared
                // store, only the one whose update made a change reports it, and only what it made.
                let kinds = Mutex<[String]>([])
                let (request, didChange) = try await store.update(id: id) { request throws(NoProofError) in
                    let wasEscalated = request.status == .escalated
                    let overdue = request.markOverdue(at: moment, clock: office)
                    let breach = request.recordSecondBreach(at: moment)
                    kinds.withLock { made in
                        made = []
                        if !wasEscalated, request.status == .escalated { made.append("escalated") }
                        if breach { made.append("second_breach") }
                    }
                    return overdue || breach
                }
                arm(request)
                guard didChange else { continue }
                changed.append(request)
                await observer?(request, kinds.withLock { $0 }, moment)
            } catch let error where error.code == .notFound {
                armed[id] = nil
            } catch {
                // Left armed: the next tick tries again.
                continue
            }
        }
        return changed
    }

    /// Runs until cancelled: checks the armed deadlines once a second.
    package func run(interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            if let next = nextDeadline, next <= now() { await fireDue() }
            try? await Task.sleep(for: interval)
        }
    }
}
