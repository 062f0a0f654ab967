import Foundation
import Logging
import NoProofAudit
import NoProofAuditChain
import NoProofTestSupport
import NoProofUnitStore
import NoProofUnits

/// What the use-case tests (`*UseCasesTests`) stand on — no server, no socket: the demo units with
/// their published lists in a temporary folder, the audit trail beside them, a clock a day after the
/// lists took effect and a quiet logger. Each suite builds its own use cases on it.
struct UseCaseWorld: Sendable {
    let directory: URL
    let units: SQLiteUnitStore
    let audit: AuditLog
    let clock: TestClock
    let logger: Logger

    /// The clock as the use cases take it.
    var now: @Sendable () -> Date { { [clock] in clock.now } }

    /// The records of `action` in the trail, in order.
    func audited(_ action: AuditAction) throws -> [AuditRecord] {
        try audit.records(after: 0, limit: 10_000).filter { $0.action == action }
    }

    /// Runs `body` in a fresh world, removed afterwards whether `body` throws or not.
    static func with(prefix: String, _ body: (UseCaseWorld) async throws -> Void) async throws {
        let temporary = try TemporaryDirectory(prefix: prefix)
        defer { temporary.remove() }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let units = try SQLiteUnitStore(directory: temporary.url)
        _ = try await UnitDemoSeeding.seed(into: units)
        let audit = try AuditLog(directory: temporary.url)
        defer { audit.close() }
        let clock = TestClock(UnitDemoData.effectiveAt.addingTimeInterval(86_400))
        try await body(UseCaseWorld(directory: temporary.url, units: units, audit: audit, clock: clock, logger: quiet))
    }
}
