import Foundation
import GRDB
import NoProofAudit
import NoProofAuditChain
import NoProofPostgres
import NoProofTestSupport
import PostgresNIO

/// Where one test's audit trail lives (`StoreFixture`).
typealias AuditTrailFixture = StoreFixture<AuditTrailBackend>

extension StoreFixture where Backend == AuditTrailBackend {
    /// Opens a trail on the fixture's data: an `AuditLog` on the folder, or a `PostgresAuditTrail`
    /// on a new client pool of the schema (a second call: a second instance on the same database).
    func open(maxBatch: Int = 2048) async throws -> any AuditTrail {
        switch backend {
        case .sqlite:
            let log = try AuditLog(directory: directory!.url, maxBatch: maxBatch)
            return opened(log) { log.close() }
        case .postgres:
            let trail = try await PostgresAuditTrail.open(try database(), maxBatch: maxBatch)
            return opened(trail) { await trail.close() }
        }
    }

    /// Runs `body` with a fresh fixture of `backend` and a trail opened in it, removing both
    /// afterwards whether `body` throws or not.
    static func withTrail(_ backend: AuditTrailBackend, _ body: (any AuditTrail, AuditTrailFixture) async throws -> Void) async throws {
        try await using(try backend.makeFixture()) { fixture in try await body(try await fixture.open(), fixture) }
    }

    /// Runs one statement on the trail's storage behind its back, as a tamperer with database access
    /// would. `sqlite` and `postgres` name the same change in each schema (`audit` / `audit_record`).
    func tamper(sqlite: String, postgres: String) async throws {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: directory!.url.appendingPathComponent("audit.sqlite").path)
            try await queue.write { db in try db.execute(sql: sqlite) }
            try queue.close()
        case .postgres:
            let database = try database(maximumConnections: 1)
            try await database.withConnection { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: postgres), logger: database.logger)
            }
        }
    }

    /// `audit-verify`'s tally check of `trail` on this backend (`AuditLog.verifyTallies`,
    /// `PostgresAuditTrail.verifyTallies`).
    func verifyTallies(_ trail: any AuditTrail) async throws -> (checked: Int, differences: [String]) {
        if let log = trail as? AuditLog { return try log.verifyTallies() }
        if let postgres = trail as? PostgresAuditTrail { return try await postgres.verifyTallies() }
        throw UnknownTrail(description: "\(type(of: trail)) is not a trail of the \(backend) backend")
    }

    struct UnknownTrail: Error, CustomStringConvertible { var description: String }
}
