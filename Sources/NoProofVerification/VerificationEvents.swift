package import Foundation
import Synchronization

/// A change pushed to watchers.
package struct VerificationEvent: Hashable, Sendable {
    /// "new", "taken", "overdue", "escalated", "second_breach", "answered", "returned", "refiled"
    /// (and "queued"/"current" for the snapshot a watch starts with).
    package var kind: String
    package var at: Date
    package var request: VerificationRequest

    package init(kind: String, at: Date, request: VerificationRequest) {
        self.kind = kind
        self.at = at
        self.request = request
    }
}

/// Fans events out to watch streams.
///
/// - an issuing unit's agents (代办员) get new requests and overdue ones;
/// - its supervisor (督办员) gets new requests, escalations and second breaches;
/// - a request's watchers (the requesting unit) get every change of that request.
package final class VerificationEventHub: Sendable {
    package enum Interest: Hashable, Sendable {
        case queue(unit: String, supervisor: Bool)
        case request(id: String)
    }

    private struct Subscriber {
        var interest: Interest
        var continuation: AsyncStream<VerificationEvent>.Continuation
    }

    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextID = Atomic<UInt64>(1)

    package init() {}

    /// A stream of the events matching `interest`; it ends when the consumer stops iterating.
    package func subscribe(_ interest: Interest) -> AsyncStream<VerificationEvent> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream<VerificationEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = Subscriber(interest: interest, continuation: continuation) }
        return stream
    }

    /// Number of open watch streams (diagnostics, tests).
    package var subscriberCount: Int { subscribers.withLock { $0.count } }

    package func publish(_ event: VerificationEvent) {
        let targets = subscribers.withLock { Array($0.values) }
        for subscriber in targets {
            if let routed = Self.route(event, to: subscriber.interest) { subscriber.continuation.yield(routed) }
        }
    }

    static func route(_ event: VerificationEvent, to interest: Interest) -> VerificationEvent? {
        switch interest {
        case .request(let id):
            return event.request.id == id ? event : nil
        case .queue(let unit, let supervisor):
            guard event.request.issuingUnit == unit else { return nil }
            switch event.kind {
            case "new": return event
            case "escalated":
                if supervisor { return event }
                var overdue = event
                overdue.kind = "overdue"
                return overdue
            case "second_breach": return supervisor ? event : nil
            default: return nil
            }
        }
    }
}
