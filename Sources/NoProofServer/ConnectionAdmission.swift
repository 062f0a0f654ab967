import Synchronization

/// The server-wide and per-source-address caps on open connections
/// (`ServerConfiguration.maxConnections`, `maxConnectionsPerSource`). Consulted once when a
/// connection opens and once when it closes, never per frame: the total is an atomic, the
/// per-source counts a small locked table (only sources with open connections are kept).
package final class ConnectionAdmission: Sendable {
    /// Why a connection was refused, as the GOAWAY message says it.
    package enum Refusal: Sendable, Equatable {
        case serverFull(limit: Int)
        case sourceFull(limit: Int)

        package var message: String {
            switch self {
            case .serverFull(let limit):
                "server at its connection limit (\(limit) open connections); retry later with backoff, or reuse an open connection: one connection carries many concurrent calls"
            case .sourceFull(let limit):
                "too many connections from this address (limit \(limit)); reuse an open connection (one connection carries many concurrent calls) or close idle ones"
            }
        }
    }

    package let maxConnections: Int?
    package let maxConnectionsPerSource: Int?
    private let open = Atomic<Int>(0)
    private let bySource = Mutex<[String: Int]>([:])

    package init(maxConnections: Int?, maxConnectionsPerSource: Int?) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerSource = maxConnectionsPerSource
    }

    /// Connections admitted and not yet released.
    package var openConnections: Int { open.load(ordering: .relaxed) }

    /// Takes a place for a connection from `source`, or says why there is none. Each admitted
    /// connection must be `release`d exactly once.
    package func admit(source: String) -> Refusal? {
        if let limit = maxConnections {
            var current = open.load(ordering: .relaxed)
            while true {
                guard current < limit else { return .serverFull(limit: limit) }
                let (exchanged, original) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
                if exchanged { break }
                current = original
            }
        } else {
            open.add(1, ordering: .relaxed)
        }
        guard let perSource = maxConnectionsPerSource else { return nil }
        let admitted = bySource.withLock { table -> Bool in
            let count = table[source, default: 0]
            guard count < perSource else { return false }
            table[source] = count + 1
            return true
        }
        if admitted { return nil }
        open.subtract(1, ordering: .relaxed)
        return .sourceFull(limit: perSource)
    }

    /// Gives back the place of a connection `admit` let in.
    package func release(source: String) {
        open.subtract(1, ordering: .relaxed)
        guard maxConnectionsPerSource != nil else { return }
        bySource.withLock { table in
            guard let count = table[source] else { return }
            if count <= 1 { table.removeValue(forKey: source) } else { table[source] = count - 1 }
        }
    }
}
