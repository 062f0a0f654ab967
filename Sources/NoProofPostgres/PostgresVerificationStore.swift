import Foundation
import Logging
package import NoProofDomain
package import NoProofVerification
import PostgresNIO

/// The verification store on PostgreSQL (issue 18): the same behaviour as `SQLiteVerificationStore`
/// — the whole request as a JSON document plus the columns queries use, idempotent filing by
/// `(requesting_unit, request_key)`, the same queue orders — in the tables of its
/// `PostgresStoreDatabase`'s schema.
///
/// Schema (migration `verification-1`): `verification_request`, with the same columns and indexes as
/// in SQLite. Times are seconds since 1970 as `DOUBLE PRECISION`, as SQLite's `REAL` columns hold
/// them (the document keeps the exact `Date`); identifiers sort bytewise (`COLLATE "C"`).
///
/// Concurrency: `update` and `refile` lock the request's row (`SELECT … FOR UPDATE`) for their one
/// transaction, so two instances on one database cannot interleave a read-modify-write of the same
/// request: the second waits, then reads the first one's result. `insert` is one
/// `INSERT … ON CONFLICT DO NOTHING`: two instances filing the same key store one request, and the
/// second gets the first one's back.
package final class PostgresVerificationStore: VerificationStore {
    /// The database and schema the store lives in.
    package let database: PostgresStoreDatabase

    /// The schema migrations of this store (ids distinct from the other stores' in `schema_migrations`).
    static let migrator = PostgresMigrator([
        .init(
            "verification-1",
            [
                """
                CREATE TABLE verification_request (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    requesting_unit TEXT COLLATE "C" NOT NULL,
                    request_key TEXT COLLATE "C" NOT NULL,
                    issuing_unit TEXT COLLATE "C" NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('filed', 'taken', 'escalated', 'answered', 'returned')),
                    filed_at DOUBLE PRECISION NOT NULL,
                    next_deadline DOUBLE PRECISION,
                    document TEXT NOT NULL,
                    UNIQUE (requesting_unit, request_key)
                )
                """,
                "CREATE INDEX verification_queue ON verification_request (issuing_unit, status, filed_at)",
                "CREATE INDEX verification_filed ON verification_request (requesting_unit, filed_at)",
                "CREATE INDEX verification_pending ON verification_request (next_deadline) WHERE next_deadline IS NOT NULL",
            ])
    ])

    private init(database: PostgresStoreDatabase) {
        self.database = database
    }

    /// Opens the store in `database`'s schema, creating or migrating its table first.
    /// - Throws: `.unavailable` when PostgreSQL cannot be reached or refuses the migration.
    package static func open(_ database: PostgresStoreDatabase) async throws(NoProofError) -> PostgresVerificationStore {
        try await migrator.migrate(database)
        return PostgresVerificationStore(database: database)
    }

    var logger: Logger { database.logger }

    // MARK: - Documents

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    static func decode(_ text: String) throws(NoProofError) -> VerificationRequest {
        do {
            return try decoder.decode(VerificationRequest.self, from: Data(text.utf8))
        } catch {
            throw NoProofError(.unavailable, "a stored verification request is unreadable: \(error)", cause: error)
        }
    }

    static func encode(_ request: VerificationRequest) throws(NoProofError) -> String {
        do {
            return String(decoding: try encoder.encode(request), as: UTF8.self)
        } catch {
            throw NoProofError(.unavailable, "verification request \(request.id) cannot be encoded: \(error)", cause: error)
        }
    }

    /// The `document` column of every row, in order (decoded synchronously, row by row).
    static func documents(_ rows: PostgresRowSequence) async throws -> [VerificationRequest] {
        var texts: [String] = []
        for try await row in rows { texts.append(try row.decode(String.self)) }
        return try texts.map { text throws(NoProofError) in try decode(text) }
    }

    /// The request `id`, its row locked until the end of the transaction when `forUpdate`.
    static func fetch(_ connection: PostgresConnection, id: String, forUpdate: Bool, logger: Logger) async throws -> VerificationRequest? {
        let query: PostgresQuery =
            forUpdate
            ? "SELECT document FROM verification_request WHERE id = \(id) FOR UPDATE"
            : "SELECT document FROM verification_request WHERE id = \(id)"
        return try await documents(connection.query(query, logger: logger)).first
    }

    /// Inserts `request` unless its requesting unit filed its key already; returns whether it did.
    static func insertIfAbsent(_ connection: PostgresConnection, _ request: VerificationRequest, logger: Logger) async throws -> Bool {
        let document = try encode(request)
        let rows = try await connection.query(
            """
            INSERT INTO verification_request (id, requesting_unit, request_key, issuing_unit, status, filed_at, next_deadline, document)
            VALUES (\(request.id), \(request.requestingUnit), \(request.requestKey), \(request.issuingUnit), \(request.status.rawValue),
                    \(request.filedAt.timeIntervalSince1970), \(request.nextDeadline?.timeIntervalSince1970), \(document))
            ON CONFLICT (requesting_unit, request_key) DO NOTHING
            RETURNING id
            """, logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        return inserted
    }

    /// Writes back what changes in a stored request (its status, deadline and document).
    static func save(_ connection: PostgresConnection, _ request: VerificationRequest, logger: Logger) async throws {
        let document = try encode(request)
        try await connection.query(
            """
            UPDATE verification_request SET status = \(request.status.rawValue), next_deadline = \(request.nextDeadline?.timeIntervalSince1970),
                document = \(document)
            WHERE id = \(request.id)
            """, logger: logger)
    }

    /// A `LIMIT` value with SQLite's meaning: a negative limit is no limit (NULL in PostgreSQL).
    static func limit(_ limit: Int) -> Int? { limit < 0 ? nil : limit }

    /// The open statuses (what a queue shows unless finished requests are asked for).
    static let openFilter = "AND status IN ('filed', 'taken', 'escalated')"

    // MARK: - VerificationStore

    package func insert(_ request: VerificationRequest) async throws(NoProofError) -> (request: VerificationRequest, created: Bool) {
        let logger = self.logger
        return try await database.transaction { connection in
            if try await Self.insertIfAbsent(connection, request, logger: logger) { return (request, true) }
            // Filed before (or by another instance just now, committed once the insert returned).
            let rows = try await connection.query(
                """
                SELECT document FROM verification_request WHERE requesting_unit = \(request.requestingUnit) AND request_key = \(request.requestKey)
                """, logger: logger)
            guard let existing = try await Self.documents(rows).first else {
                throw NoProofError(.unavailable, "verification request key \(request.requestKey) conflicted but is not stored; retry")
            }
            return (existing, false)
        }
    }

    package func request(id: String) async throws(NoProofError) -> VerificationRequest? {
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.fetch(connection, id: id, forUpdate: false, logger: logger)
        }
    }

    package func update(id: String, _ body: @Sendable (inout VerificationRequest) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (request: VerificationRequest, changed: Bool)
    {
        let logger = self.logger
        return try await database.transaction { connection in
            guard var request = try await Self.fetch(connection, id: id, forUpdate: true, logger: logger) else {
                throw NoProofError(.notFound, "no verification request \(id)")
            }
            let changed = try body(&request)
            if changed { try await Self.save(connection, request, logger: logger) }
            return (request, changed)
        }
    }

    package func refile(id: String, _ build: @Sendable (VerificationRequest) throws(NoProofError) -> VerificationRequest)
        async throws(NoProofError) -> (request: VerificationRequest, created: Bool)
    {
        let logger = self.logger
        return try await database.transaction { connection in
            guard var old = try await Self.fetch(connection, id: id, forUpdate: true, logger: logger) else {
                throw NoProofError(.notFound, "no verification request \(id)")
            }
            if let next = old.refiledAs, let existing = try await Self.fetch(connection, id: next, forUpdate: false, logger: logger) {
                return (existing, false)
            }
            let new = try build(old)
            old.refiledAs = new.id
            guard try await Self.insertIfAbsent(connection, new, logger: logger) else {
                throw NoProofError(.conflict, "verification request \(new.requestingUnit)/\(new.requestKey) is filed already")
            }
            try await Self.save(connection, old, logger: logger)
            return (new, true)
        }
    }

    package func queue(issuingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        let filter = includeFinished ? "" : Self.openFilter
        let bound = Self.limit(limit)
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.documents(
                connection.query(
                    """
                    SELECT document FROM verification_request WHERE issuing_unit = \(issuingUnit) \(unescaped: filter)
                    ORDER BY filed_at, id LIMIT \(bound)
                    """, logger: logger))
        }
    }

    package func filed(requestingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        let filter = includeFinished ? "" : Self.openFilter
        let bound = Self.limit(limit)
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.documents(
                connection.query(
                    """
                    SELECT document FROM verification_request WHERE requesting_unit = \(requestingUnit) \(unescaped: filter)
                    ORDER BY filed_at DESC, id LIMIT \(bound)
                    """, logger: logger))
        }
    }

    package func pending() async throws(NoProofError) -> [VerificationRequest] {
        let logger = self.logger
        return try await database.withConnection { connection in
            try await Self.documents(
                connection.query(
                    "SELECT document FROM verification_request WHERE next_deadline IS NOT NULL ORDER BY next_deadline, id", logger: logger))
        }
    }
}
