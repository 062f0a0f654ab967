#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
package import Foundation
import NoProofSQLite
import NoProofDomain
package import NoProofAuditChain

/// The last chain head noproofd recorded outside the trail: `audit-head` in the data folder,
/// one line `SEQUENCE:HEX`, rewritten (atomically) after the start-up records, every 10 seconds
/// while running and at every clean stop. At the next start the trail must reach it.
package enum AuditHeadFile {
    package static let fileName = "audit-head"

    package static func read(directory: URL) -> AuditHead? {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return AuditHead(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    package static func write(_ head: AuditHead, directory: URL) throws {
        try DurableFile.write(Data("\(head)\n".utf8), to: directory.appendingPathComponent(fileName))
    }
}

/// noproofd's start-up check of the audit trail (docs/AUDIT.md, "Epochs"): it must not silently
/// start a fresh chain when the trail was deleted, emptied or cut short.
package enum AuditStartCheck {
    /// Files only noproofd creates. Every start of noproofd writes records to the trail (the seal
    /// keys in use), so any of these from an earlier start means the trail cannot be empty.
    package static let evidenceFiles = ["units.sqlite", "verification.sqlite", "oversight.sqlite"]
    /// The trail's files (the database, its WAL and shared memory).
    package static let trailFiles = ["audit.sqlite", "audit.sqlite-wal", "audit.sqlite-shm"]

    /// What the data folder held before this start opened anything.
    package struct Survey: Sendable {
        package var trailExists: Bool
        /// Files of `evidenceFiles` present (non-empty).
        package var evidence: [String]
        /// The head in `audit-head`, if any.
        package var recordedHead: AuditHead?
    }

    package static func survey(directory: URL) -> Survey {
        func present(_ name: String) -> Bool {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            return ((attributes?[.size] as? NSNumber)?.intValue ?? 0) > 0
        }
        return Survey(
            trailExists: present("audit.sqlite"), evidence: evidenceFiles.filter(present),
            recordedHead: AuditHeadFile.read(directory: directory))
    }

    /// What is wrong with the trail (nil when it may be used): missing or empty while other stores
    /// hold data or a head was recorded, shorter than the recorded head, or carrying another hash
    /// at the recorded head's sequence. `audit` is the opened trail (nil when its file is missing);
    /// `trailName` names it in the problem (default: the path of `audit.sqlite` in `directory`).
    package static func problem(
        _ survey: Survey, audit: (any SignedAuditTrail)?, directory: URL, trailName: String? = nil
    ) async throws -> String? {
        let path = trailName ?? directory.appendingPathComponent("audit.sqlite").path
        let head = try await audit?.head() ?? AuditHead(sequence: 0, hash: AuditChain.genesis)
        let recorded = survey.recordedHead.flatMap { $0.sequence > 0 ? $0 : nil }
        if head.sequence == 0 {
            var reasons: [String] = []
            if !survey.evidence.isEmpty {
                reasons.append(
                    "\(survey.evidence.joined(separator: ", ")) hold\(survey.evidence.count == 1 ? "s" : "") data of earlier starts, each of which wrote audit records"
                )
            }
            if let recorded {
                reasons.append("the last head recorded in \(AuditHeadFile.fileName) is \(recorded)")
            }
            if reasons.isEmpty { return nil }
            return "the audit trail \(path) is \(survey.trailExists ? "empty" : "missing") although \(reasons.joined(separator: " and ")): "
                + "its records were deleted"
        }
        guard let recorded else { return nil }
        if head.sequence < recorded.sequence {
            return "the audit trail \(path) ends at record \(head.sequence) but the head recorded in \(AuditHeadFile.fileName) is \(recorded): "
                + "records \(head.sequence + 1)–\(recorded.sequence) are missing (deleted)"
        }
        if let stored = try await audit?.chainHash(at: recorded.sequence), stored != recorded.hash {
            return "the audit trail \(path) has another chain hash at record \(recorded.sequence) than the head recorded in "
                + "\(AuditHeadFile.fileName) (\(recorded)): the trail was rewritten"
        }
        return nil
    }

    /// Moves the trail's files aside (`audit-before-epoch-MILLIS.sqlite`, with its -wal and -shm)
    /// for a new epoch; returns the new name of the database file, or nil when there was none.
    package static func moveTrailAside(directory: URL, at millis: Int64) throws -> String? {
        let manager = FileManager.default
        var moved: String?
        for name in trailFiles {
            let source = directory.appendingPathComponent(name)
            guard manager.fileExists(atPath: source.path) else { continue }
            let target = name.replacingOccurrences(of: "audit.sqlite", with: "audit-before-epoch-\(millis).sqlite")
            try manager.moveItem(at: source, to: directory.appendingPathComponent(target))
            if name == "audit.sqlite" { moved = target }
        }
        return moved
    }

    /// The first record of a new epoch: the operator's reason in `case_reference`, the previous
    /// head (if known) in `proof_serial`, where the previous trail was moved in `licence_id`.
    package static func epochRecord(reason: String, previousHead: AuditHead?, previousTrail: String?, at moment: Date) -> AuditRecord {
        AuditRecord(
            atMillis: Int64((moment.timeIntervalSince1970 * 1000).rounded(.down)), unitCode: "", credentialID: "",
            staff: "operator", action: .auditNewEpoch, itemCode: "", caseReference: String(reason.prefix(500)),
            holderID: "", typeCode: "", licenceID: previousTrail ?? "", result: .started,
            proofSerial: previousHead.map { "\($0)" } ?? "unknown")
    }
}

/// Owner-only files in the data folder (docs/SECURITY.md, 4): whatever the folder's mode when
/// noproofd found it, the folder becomes 0700 and every file directly in it 0600.
package enum DataFolderPermissions {
    /// Fixes the folder and its files; returns what was changed (`name 0644 -> 0600`), for a warning.
    package static func secure(_ directory: URL) throws -> [String] {
        var fixed: [String] = []
        func fix(_ path: String, _ name: String, to mode: mode_t) throws {
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            let current = info.st_mode & 0o7777
            guard current & 0o077 != 0 else { return }
            guard chmod(path, mode) == 0 else {
                throw NoProofError(.unavailable, "cannot make \(path) owner-only (chmod \(String(mode, radix: 8))): \(String(cString: strerror(errno)))")
            }
            fixed.append("\(name) \(String(current, radix: 8)) -> \(String(mode, radix: 8))")
        }
        try fix(directory.path, ".", to: 0o700)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() {
            let path = directory.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }  // not symlinks or folders (seals/ is checked by the keyring)
            try fix(path, name, to: 0o600)
        }
        return fixed
    }
}
