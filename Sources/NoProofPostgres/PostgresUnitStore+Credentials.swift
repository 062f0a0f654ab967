package import Foundation
import Logging
package import NoProofDomain
package import NoProofUnits
import NoProofUnitStore
import PostgresNIO
import Synchronization

/// Credentials (hash only) and the working-day calendar.
extension PostgresUnitStore {
    // MARK: - Credentials

    static let credentialColumns = """
        id, unit_code, secret_hash, label, issued_at, issued_by, expires_at, revoked_at, revoked_by, revocation_reason, \
        kind, certificate_sha256, staff_id, source
        """

    static func decodeCredential(_ row: PostgresRow) throws -> Credential {
        let cells = row.makeRandomAccess()
        let id = (try? cells["id"].decode(String.self)) ?? "?"
        do {
            return Credential(
                id: id, unitCode: try UnifiedSocialCreditCode.parse(try cells["unit_code"].decode(String.self), field: "unit_code"),
                secretHash: try CredentialHash.parse(try cells["secret_hash"].decode(String.self)),
                label: try cells["label"].decode(String.self),
                issuedAt: date(try cells["issued_at"].decode(Int64.self)), issuedBy: try cells["issued_by"].decode(String.self),
                expiresAt: date(try cells["expires_at"].decode(Int64.self)),
                revokedAt: try cells["revoked_at"].decode(Int64?.self).map(date),
                revokedBy: try cells["revoked_by"].decode(String?.self),
                revocationReason: try cells["revocation_reason"].decode(String?.self),
                kind: try CredentialKind.parse(try cells["kind"].decode(String.self), field: "kind"),
                certificateSHA256: try cells["certificate_sha256"].decode(String?.self),
                staffID: try cells["staff_id"].decode(String?.self), source: try cells["source"].decode(String.self))
        } catch {
            throw NoProofError.unitStorage("stored credential \(id) is unreadable: \(error)")
        }
    }

    static func fetchCredential(_ connection: PostgresConnection, id: String, lock: Bool = false, logger: Logger) async throws -> Credential? {
        let query: PostgresQuery =
            lock
            ? "SELECT \(unescaped: credentialColumns) FROM credential WHERE id = \(id) FOR UPDATE"
            : "SELECT \(unescaped: credentialColumns) FROM credential WHERE id = \(id)"
        return try await rows(connection, query, logger: logger).first.map(decodeCredential)
    }

    package func insertCredential(_ credential: Credential) async throws(NoProofError) {
        let logger = self.logger
        try await write { connection in
            // The unit's row lock: the staff member cannot be deactivated meanwhile.
            _ = try await Self.requireUnit(connection, credential.unitCode, lock: true, logger: logger)
            if let staff = credential.staffID,
                try await Self.fetchMember(connection, staff, of: credential.unitCode, logger: logger)?.active != true
            {
                throw NoProofError.invalid(
                    ValidationError(
                        field: "staff_id",
                        reason: "\(staff) is not an active staff member of \(credential.unitCode); 'noproof staff list \(credential.unitCode)' shows who is"))
            }
            if try await Self.fetchCredential(connection, id: credential.id, logger: logger) != nil {
                throw NoProofError(.alreadyExists, "credential \(credential.id) already exists")
            }
            if let fingerprint = credential.certificateSHA256,
                let holder = try await Self.rows(connection, "SELECT id FROM credential WHERE certificate_sha256 = \(fingerprint)", logger: logger)
                    .first.map({ try $0.decode(String.self) })
            {
                throw NoProofError(
                    .alreadyExists,
                    "the certificate \(fingerprint) is already registered on credential \(holder); a certificate identifies one credential (issue a new certificate)"
                )
            }
            do {
                try await connection.query(
                    """
                    INSERT INTO credential (id, unit_code, secret_hash, label, issued_at, issued_by, expires_at, revoked_at, revoked_by,
                                            revocation_reason, kind, certificate_sha256, staff_id, source)
                    VALUES (\(credential.id), \(credential.unitCode.value), \(credential.secretHash.encoded), \(credential.label),
                            \(Self.millis(credential.issuedAt)), \(credential.issuedBy), \(Self.millis(credential.expiresAt)),
                            \(credential.revokedAt.map(Self.millis)), \(credential.revokedBy), \(credential.revocationReason),
                            \(credential.kind.rawValue), \(credential.certificateSHA256), \(credential.staffID), \(credential.source))
                    """, logger: logger)
            } catch let error where Self.isUniqueViolation(error) {
                // Inserted meanwhile by another instance (another unit's transaction).
                throw NoProofError(.alreadyExists, "credential \(credential.id) (or its certificate) already exists")
            }
        }
    }

    package func credential(id: String) async throws(NoProofError) -> Credential? {
        let logger = self.logger
        return try await read { connection in try await Self.fetchCredential(connection, id: id, logger: logger) }
    }

    package func credential(certificateSHA256: String) async throws(NoProofError) -> Credential? {
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: Self.credentialColumns) FROM credential WHERE certificate_sha256 = \(certificateSHA256)",
                logger: logger
            ).first.map(Self.decodeCredential)
        }
    }

    @discardableResult
    package func revokeCredential(id: String, by actor: String, reason: String, at time: Date) async throws(NoProofError) -> Credential {
        let at = Self.truncated(time)
        let logger = self.logger
        return try await write { connection in
            guard let current = try await Self.fetchCredential(connection, id: id, lock: true, logger: logger) else {
                throw NoProofError(.notFound, "credential \(id) not found")
            }
            let revoked: Credential
            do throws(ValidationError) {
                revoked = try current.revoked(at: at, by: actor, reason: reason)
            } catch {
                if error.field == "credential_id" { throw NoProofError(.conflict, error.reason) }
                throw NoProofError.invalid(error)
            }
            try await connection.query(
                """
                UPDATE credential SET revoked_at = \(Self.millis(at)), revoked_by = \(actor), revocation_reason = \(revoked.revocationReason)
                WHERE id = \(id)
                """, logger: logger)
            return revoked
        }
    }

    package func credentials(of unit: UnifiedSocialCreditCode) async throws(NoProofError) -> [Credential] {
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: Self.credentialColumns) FROM credential WHERE unit_code = \(unit.value) ORDER BY issued_at DESC, id",
                logger: logger
            ).map(Self.decodeCredential)
        }
    }

    // MARK: - Working-day calendar

    static func insertCalendarYear(
        _ connection: PostgresConnection, _ year: CalendarYear, version: Int, by actor: String, at millis: Int64,
        logger: Logger
    ) async throws {
        let document = String(decoding: try UnitStoreCoding.encoder.encode(year), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO calendar_year (year, version, document, provisional, published_by, published_at)
            VALUES (\(year.year), \(version), \(document), \(year.provisional), \(actor), \(millis))
            """, logger: logger)
    }

    static func decodeCalendarYear(_ row: PostgresRow) throws -> PublishedCalendarYear {
        let cells = row.makeRandomAccess()
        let year = try cells["year"].decode(Int.self), version = try cells["version"].decode(Int.self)
        let data: CalendarYear
        do {
            data = try UnitStoreCoding.decoder.decode(CalendarYear.self, from: Data(try cells["document"].decode(String.self).utf8))
        } catch {
            throw NoProofError.unitStorage("stored calendar year \(year) v\(version) is unreadable: \(error)")
        }
        return PublishedCalendarYear(
            data: data, version: version, publishedBy: try cells["published_by"].decode(String.self),
            publishedAt: date(try cells["published_at"].decode(Int64.self)))
    }

    /// The latest version of each published year, by year.
    static func fetchCalendarYears(_ connection: PostgresConnection, logger: Logger) async throws -> [PublishedCalendarYear] {
        try await rows(
            connection,
            """
            SELECT DISTINCT ON (year) year, version, document, published_by, published_at FROM calendar_year
            ORDER BY year, version DESC
            """, logger: logger
        ).map(decodeCalendarYear)
    }

    package func calendarYears() async throws(NoProofError) -> [PublishedCalendarYear] {
        let logger = self.logger
        return try await read { connection in try await Self.fetchCalendarYears(connection, logger: logger) }
    }

    package func calendarHistory(year: Int) async throws(NoProofError) -> [PublishedCalendarYear] {
        let logger = self.logger
        return try await read { connection in
            try await Self.rows(
                connection,
                """
                SELECT year, version, document, published_by, published_at FROM calendar_year WHERE year = \(year) ORDER BY version
                """, logger: logger
            ).map(Self.decodeCalendarYear)
        }
    }

    /// The calendar's version marker (`CalendarMarker`): one small aggregate over `calendar_year`.
    static func fetchCalendarMarker(_ connection: PostgresConnection, logger: Logger) async throws -> CalendarMarker {
        guard
            let row = try await rows(
                connection,
                """
                SELECT count(*) AS versions, coalesce(max(published_at), 0) AS latest FROM calendar_year
                """, logger: logger
            ).first
        else {
            throw NoProofError.unitStorage("the calendar's version marker returned no row")
        }
        let cells = row.makeRandomAccess()
        return CalendarMarker(versions: try cells["versions"].decode(Int64.self), latest: try cells["latest"].decode(Int64.self))
    }

    /// The marker, then the years it covers (in that order: a year published in between is then
    /// newer than the marker, loaded again at the next refresh, never missed).
    static func fetchCalendarState(_ connection: PostgresConnection, logger: Logger) async throws
        -> (CalendarMarker, [PublishedCalendarYear])
    {
        let marker = try await fetchCalendarMarker(connection, logger: logger)
        return (marker, try await fetchCalendarYears(connection, logger: logger))
    }

    /// Brings `calendarBook` up to date with years published through other instances (noproofd runs
    /// it every 30 s on PostgreSQL): reads the calendar's version marker (one small query) and
    /// reloads the published years only when it changed since this store last loaded them.
    /// - Returns: whether the book was reloaded.
    @discardableResult
    package func refreshCalendar() async throws(NoProofError) -> Bool {
        let logger = self.logger
        let known = calendarState.withLock { $0.marker }
        let marker = try await read { connection in try await Self.fetchCalendarMarker(connection, logger: logger) }
        if marker == known { return false }
        let (fresh, years) = try await read { connection in try await Self.fetchCalendarState(connection, logger: logger) }
        let loaded = install(calendar: years, marker: fresh)
        if loaded {
            logger.debug(
                "working-day calendar reloaded",
                metadata: [
                    "versions": "\(fresh.versions)", "years": "\(years.map { String($0.data.year) }.joined(separator: ","))",
                ])
        }
        return loaded
    }

    /// Publishes `year` as its next version and puts it in force at once in this store's
    /// `calendarBook` (another instance's book sees it at its next `refreshCalendar()`).
    package func publishCalendarYear(_ year: CalendarYear, by actor: String, at time: Date) async throws(NoProofError) -> PublishedCalendarYear {
        do { try year.validate() } catch { throw NoProofError.invalid(error) }
        let now = Self.millis(time)
        let logger = self.logger
        let (published, years) = try await write { connection in
            try await Self.lock(connection, "noproof-calendar", logger: logger)
            let latest =
                try await Self.rows(connection, "SELECT max(version) FROM calendar_year WHERE year = \(year.year)", logger: logger)
                .first.map { try $0.decode(Int?.self) } ?? nil
            let version = (latest ?? 0) + 1
            try await Self.insertCalendarYear(connection, year, version: version, by: actor, at: now, logger: logger)
            return (
                PublishedCalendarYear(data: year, version: version, publishedBy: actor, publishedAt: Self.date(now)),
                try await Self.fetchCalendarState(connection, logger: logger)
            )
        }
        install(calendar: years.1, marker: years.0)
        return published
    }
}
