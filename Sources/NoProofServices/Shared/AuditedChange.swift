import Foundation
package import Logging
package import NoProofProtocol
package import NoProofAuditChain

/// Privileged changes fail closed (docs/AUDIT.md, "Privileged changes: intent first"): the audit
/// record of the intent is made durable *before* the change, so a change whose record cannot be
/// written is not made.
///
/// 1. The intent records (the action, actor, subject; result `intended`) are appended and
///    awaited. If that fails (the trail is locked past its busy timeout, the disk is full, the
///    server is stopping), nothing is changed and the caller gets UNAVAILABLE
///    "nothing was changed; retry".
/// 2. The change is made.
/// 3. Its outcome is appended: the records `outcome` builds from the result (the result the
///    action always had: `issued`, `replaced`, the list's new status, ...), or, when the change
///    was refused, the intent's records with result `failed <status>`.
///
/// If the outcome cannot be written, the change stands and its intent is on record: the answer
/// is still given (the change was made and is attributable), and the error is logged. An intent
/// without an outcome in the trail therefore means "may have been made": the store tells.
package enum AuditedChange {
    /// The answer when the intent cannot be recorded.
    package static func notRecorded(_ action: AuditAction) -> RPCError {
        RPCError(
            .unavailable,
            "the audit trail could not record this change (\(action)), so nothing was changed; retry "
                + "(if it persists, check the server's data folder and its log)")
    }

    /// Records `intent` (each with result `intended`), runs `change`, then records `outcome(result)`.
    /// With no intent records there is nothing to make fail closed: only the change runs.
    package static func run<T>(
        audit: any AuditTrail, logger: Logger, intent: [AuditRecord],
        change: () async throws -> T, outcome: (T) -> [AuditRecord]
    ) async throws -> T {
        guard !intent.isEmpty else { return try await change() }
        let intents = intent.map { record -> AuditRecord in
            var record = record
            record.result = .intended
            return record
        }
        do {
            try await append(intents, to: audit)
        } catch {
            logger.error("audit write failed; the change was not made", metadata: ["action": "\(intent[0].action)", "error": "\(error)"])
            throw notRecorded(intent[0].action)
        }
        let result: T
        do {
            result = try await change()
        } catch {
            let status = RPCError(error).code.name.lowercased()
            let failed = intent.map { record -> AuditRecord in
                var record = record
                record.result = .failed(status: status)
                return record
            }
            do {
                try await append(failed, to: audit)
            } catch let auditError {
                logger.error("audit write of a refused change failed", metadata: ["action": "\(intent[0].action)", "error": "\(auditError)"])
            }
            throw error
        }
        let outcomes = outcome(result)
        if !outcomes.isEmpty {
            do {
                try await append(outcomes, to: audit)
            } catch {
                logger.error(
                    "audit write of a change's outcome failed; the change was made and its intent is recorded",
                    metadata: ["action": "\(outcomes[0].action)", "error": "\(error)"])
            }
        }
        return result
    }

    /// Appends through the log's group-committing writer (never blocking a cooperative thread on
    /// the database lock) and waits until every record is durable.
    static func append(_ records: [AuditRecord], to audit: any AuditTrail) async throws {
        for record in records { _ = try await audit.append(record) }
    }
}

extension AuditRecord {
    /// This record with another result (an intent's outcome).
    func with(result: AuditResult) -> AuditRecord {
        var record = self
        record.result = result
        return record
    }
}
