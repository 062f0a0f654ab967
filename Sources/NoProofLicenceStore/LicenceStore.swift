package import NoProofDomain
package import NoProofImport

/// The electronic licence library's persistent store (电子证照库).
///
/// Implementations must make every write durable before returning (the embedded SQLite store
/// commits with `synchronous=FULL`). All errors are `NoProofError`s. The current version of a
/// licence is what lookups return; older versions stay readable through `versions(of:)`.
package protocol LicenceStore: LicenceImportTarget {
    /// Inserts or replaces licence types (matched by code).
    /// - Throws: `.invalid` when a type fails `LicenceType.validate()`.
    func upsertLicenceTypes(_ types: [LicenceType]) async throws(NoProofError)

    /// All licence types, ordered by code.
    func licenceTypes() async throws(NoProofError) -> [LicenceType]

    /// The licence type with `code`, or `nil`.
    func licenceType(code: String) async throws(NoProofError) -> LicenceType?

    /// Stores a newly issued licence as version 1 (the `version` passed in is ignored).
    /// - Throws: `.alreadyExists` when the identifier is taken; `.invalid` when the licence is
    ///   inconsistent, its type is unknown, the holder kind is not allowed or a field is not
    ///   declared by the type.
    /// - Returns: the licence as stored.
    @discardableResult
    func issue(_ licence: Licence) async throws(NoProofError) -> Licence

    /// Records a new version with `changes` applied; the previous version is kept.
    /// - Throws: `.notFound`; `.conflict` for a revoked licence; `.invalid` when the result is
    ///   invalid or the amendment changes nothing.
    /// - Returns: the new current version.
    @discardableResult
    func amend(_ id: LicenceIdentifier, changes: LicenceAmendment, reason: String) async throws(NoProofError) -> Licence

    /// Suspends a valid (or expired) licence.
    /// - Throws: `.notFound`; `.conflict` when it is already suspended or revoked.
    @discardableResult
    func suspend(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence

    /// Returns a suspended licence to `valid`.
    /// - Throws: `.notFound`; `.conflict` when it is not suspended.
    @discardableResult
    func reinstate(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence

    /// Revokes a licence; revocation is final.
    /// - Throws: `.notFound`; `.conflict` when it is already revoked.
    @discardableResult
    func revoke(_ id: LicenceIdentifier, reason: String) async throws(NoProofError) -> Licence

    /// The current version of the licence, or `nil`.
    func licence(byID id: LicenceIdentifier) async throws(NoProofError) -> Licence?

    /// Current versions of the holder's licences (all statuses), optionally of one type only,
    /// ordered by type code then identifier.
    func licences(holder: Holder, typeCode: String?) async throws(NoProofError) -> [Licence]

    /// Every version of the licence, oldest first (the last is the current one); empty when the
    /// licence does not exist.
    func versions(of id: LicenceIdentifier) async throws(NoProofError) -> [Licence]

    /// Status transitions of the licence, oldest first.
    func statusChanges(of id: LicenceIdentifier) async throws(NoProofError) -> [LicenceStatusChange]

    /// When each archived version of the licence was superseded and why, by version (empty for a
    /// store that does not keep it).
    func supersessions(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: (at: String, reason: String)]

    /// Number of licences (current versions).
    func count() async throws(NoProofError) -> Int

    /// Imports licences idempotently: a new identifier is inserted (version 1); a row identical to
    /// the current version is reported unchanged and nothing is written; a row that differs
    /// becomes a new version (a revoked licence is never changed — such rows are rejected).
    /// Invalid rows are reported in `rejected` without stopping the batch.
    func importBatch(_ licences: [Licence]) async throws(NoProofError) -> ImportOutcome

    /// Up to `limit` current licences whose identifiers sort after `after` (all from the start
    /// when `nil`), ordered by identifier text: keyset pagination for cache warm-up.
    func licences(after: LicenceIdentifier?, limit: Int) async throws(NoProofError) -> [Licence]
}

extension LicenceStore {
    package func supersessions(of id: LicenceIdentifier) async throws(NoProofError) -> [Int: (at: String, reason: String)] { [:] }

    /// Calls `body` with consecutive chunks of all current licences (at most `size` each), in
    /// identifier order, until the store is exhausted.
    package func forEachChunk(size: Int = 10_000, _ body: ([Licence]) async throws -> Void) async throws {
        precondition(size > 0, "chunk size must be positive")
        var after: LicenceIdentifier?
        while true {
            let chunk = try await licences(after: after, limit: size)
            if chunk.isEmpty { return }
            try await body(chunk)
            if chunk.count < size { return }
            after = chunk.last!.id
        }
    }

    /// Current versions of all the holder's licences.
    package func licences(holder: Holder) async throws(NoProofError) -> [Licence] {
        try await licences(holder: holder, typeCode: nil)
    }
}
