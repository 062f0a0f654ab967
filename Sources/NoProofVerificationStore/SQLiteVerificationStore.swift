package import Foundation
package import GRDB
package import NoProofVerification
import NoProofSQLite
package import NoProofDomain

/// The embedded verification store: `verification.sqlite` through a GRDB `DatabasePool` in WAL
/// mode with `PRAGMA synchronous=FULL` on every connection (re-applied to the writer after GRDB's
/// WAL setup lowers it to NORMAL), so every acknowledged transition is committed and synced.
///
/// Schema (migration `v1`): `verification_request` with the whole request as a JSON document
/// plus the columns queries use; `(requesting_unit, request_key)` is unique (idempotent filing).
package final class SQLiteVerificationStore: VerificationStore {
    package static let fileName = "verification.sqlite"

    package let dbPool: DatabasePool
    package let path: String

    package init(directory: URL) throws(NoProofError) {
        let path = directory.appendingPathComponent(Self.fileName).path
        do {
            let pool = try DurableDatabasePool.open(
                directory: directory, fileName: Self.fileName,
                label: "NoProofVerificationStore", migrator: Self.migrator())
            self.dbPool = pool
            self.path = path
        } catch {
            throw NoProofError(.unavailable, "cannot open the verification database at \(path): \(error)")
        }
    }

    package func close() throws(NoProofError) {
        do { try dbPool.close() } catch { throw Self.wrap(error) }
    }

    /// `PRAGMA synchronous` of the writer: 2 (FULL).
    package func synchronousLevel() throws -> Int {
        try dbPool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE verification_request (
                        id TEXT PRIMARY KEY NOT NULL,
                        requesting_unit TEXT NOT NULL,
                        request_key TEXT NOT NULL,
                        issuing_unit TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('filed', 'taken', 'escalated', 'answered', 'returned')),
                        filed_at REAL NOT NULL,
                        next_deadline REAL,
                        document TEXT NOT NULL,
                        UNIQUE (requesting_unit, request_key)
                    );
                    CREATE INDEX verification_queue ON verification_request(issuing_unit, status, filed_at);
                    CREATE INDEX verification_filed ON verification_request(requesting_unit, filed_at);
                    CREATE INDEX verification_pending ON verification_request(next_deadline) WHERE next_deadline IS NOT NULL;
                    """)
        }
        return migrator
    }

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    private static func decode(_ text: String) throws -> VerificationRequest {
        try decoder.decode(VerificationRequest.self, from: Data(text.utf8))
    }

    private static func write(_ request: VerificationRequest, _ db: Database, insert: Bool) throws {
        let document = String(decoding: try encoder.encode(request), as: UTF8.self)
        let deadline = request.nextDeadline?.timeIntervalSince1970
        if insert {
            try db.execute(
                sql: """
                    INSERT INTO verification_request (id, requesting_unit, request_key, issuing_unit, status, filed_at, next_deadline, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.id, request.requestingUnit, request.requestKey, request.issuingUnit, request.status.rawValue,
                    request.filedAt.timeIntervalSince1970, deadline, document,
                ])
        } else {
            try db.execute(
                sql: "UPDATE verification_request SET status = ?, next_deadline = ?, document = ? WHERE id = ?",
                arguments: [request.status.rawValue, deadline, document, request.id])
        }
    }

    private static func fetch(_ db: Database, id: String) throws -> VerificationRequest? {
        try String.fetchOne(db, sql: "SELECT document FROM verification_request WHERE id = ?", arguments: [id]).map(decode)
    }

    static func wrap(_ error: any Error) -> NoProofError {
        if let error = error as? NoProofError { return error }
        return NoProofError(.unavailable, "the verification store could not be read or written; retry (verification store failure: \(error))", cause: error)
    }

    package func insert(_ request: VerificationRequest) async throws(NoProofError) -> (request: VerificationRequest, created: Bool) {
        do {
            return try await dbPool.write { db in
                if let existing = try String.fetchOne(
                    db, sql: "SELECT document FROM verification_request WHERE requesting_unit = ? AND request_key = ?",
                    arguments: [request.requestingUnit, request.requestKey])
                {
                    return (try Self.decode(existing), false)
                }
                try Self.write(request, db, insert: true)
                return (request, true)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func request(id: String) async throws(NoProofError) -> VerificationRequest? {
        do { return try await dbPool.read { db in try Self.fetch(db, id: id) } } catch { throw Self.wrap(error) }
    }

    package func update(id: String, _ body: @Sendable (inout VerificationRequest) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (request: VerificationRequest, changed: Bool)
    {
        do {
            return try await dbPool.write { db in
                guard var request = try Self.fetch(db, id: id) else {
                    throw NoProofError(.notFound, "no verification request \(id)")
                }
                let changed = try body(&request)
                if changed { try Self.write(request, db, insert: false) }
                return (request, changed)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func refile(id: String, _ build: @Sendable (VerificationRequest) throws(NoProofError) -> VerificationRequest)
        async throws(NoProofError) -> (request: VerificationRequest, created: Bool)
    {
        do {
            return try await dbPool.write { db in
                guard var old = try Self.fetch(db, id: id) else { throw NoProofError(.notFound, "no verification request \(id)") }
                if let next = old.refiledAs, let existing = try Self.fetch(db, id: next) { return (existing, false) }
                let new = try build(old)
                old.refiledAs = new.id
                try Self.write(new, db, insert: true)
                try Self.write(old, db, insert: false)
                return (new, true)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func queue(issuingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        let filter = includeFinished ? "" : "AND status IN ('filed', 'taken', 'escalated')"
        do {
            return try await dbPool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT document FROM verification_request WHERE issuing_unit = ? \(filter) ORDER BY filed_at, id LIMIT ?",
                    arguments: [issuingUnit, limit]
                ).map(Self.decode)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func filed(requestingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest] {
        let filter = includeFinished ? "" : "AND status IN ('filed', 'taken', 'escalated')"
        do {
            return try await dbPool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT document FROM verification_request WHERE requesting_unit = ? \(filter) ORDER BY filed_at DESC, id LIMIT ?",
                    arguments: [requestingUnit, limit]
                ).map(Self.decode)
            }
        } catch {
            throw Self.wrap(error)
        }
    }

    package func pending() async throws(NoProofError) -> [VerificationRequest] {
        do {
            return try await dbPool.read { db in
                try String.fetchAll(db, sql: "SELECT document FROM verification_request WHERE next_deadline IS NOT NULL ORDER BY next_deadline")
                    .map(Self.decode)
            }
        } catch {
            throw Self.wrap(error)
        }
    }
}
