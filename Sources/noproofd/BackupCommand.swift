import ArgumentParser
import Foundation
import NoProofAudit
import NoProofSQLite

/// `noproofd backup --data-dir DIR --to NEW_DIR`: a consistent copy of a data folder, taken while
/// the server runs (docs/DEPLOYMENT.md, "Backup and restore").
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a data folder (databases, seal keys, audit head) into a new folder, while the server may run.",
        discussion: """
            Each SQLite database (licences, units, verification, oversight, the audit trail and its holder index) is \
            copied with SQLite's online backup API: a consistent snapshot of that database, whatever the server writes \
            meanwhile. The seal keys (seals/, with the retired public keys), the audit head and the demo holders file are \
            copied as files. The copy's audit trail is then verified (its hash chain recomputed) and its head printed: \
            publish it, or compare it with a witness. To restore, stop noproofd and start it with --data-dir NEW_DIR; a \
            backup older than the newest head a witness holds is refused at start (records acknowledged after the \
            backup would be lost) until started with --new-audit-epoch REASON. Exit status 0 on success, 1 when the \
            copy's audit trail does not verify, 2 when a file cannot be copied. On PostgreSQL (noproofd --database) the \
            records and the audit trail are in the database: back it up with pg_dump (or PostgreSQL's point-in-time \
            recovery) and keep a copy of each instance's seals/ folder; this command is for the embedded data folder \
            (docs/DEPLOYMENT.md, "PostgreSQL").
            """
    )

    @Option(name: .customLong("data-dir"), help: "The server's data folder. Required.")
    var dataDir: String?

    @Option(help: "The new folder to write the backup into (must not exist, or be empty).")
    var to: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        guard let folder = SubcommandDataFolder.resolve(dataDir) else { throw ValidationError("--data-dir DIR is required") }
        let source = URL(fileURLWithPath: folder, isDirectory: true)
        let target = URL(fileURLWithPath: to, isDirectory: true)
        let files = FileManager.default
        guard files.fileExists(atPath: source.appendingPathComponent("audit.sqlite").path) else {
            throw ValidationError(
                "\(folder) holds no audit.sqlite: is it noproofd's data folder? (A data folder of noproofd on PostgreSQL holds "
                    + "only the seal keys and the audit-head note: back the database up with pg_dump and copy seals/)")
        }
        if files.fileExists(atPath: target.path) {
            guard (try? files.contentsOfDirectory(atPath: target.path))?.isEmpty == true else {
                throw ValidationError("\(to) exists and is not empty: back up into a new folder")
            }
        }
        do {
            try files.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let names = try files.contentsOfDirectory(atPath: source.path).sorted()
            var copied: [String] = []
            for name in names where name.hasSuffix(".sqlite") {
                try SQLiteBackup.copy(source.appendingPathComponent(name), to: target.appendingPathComponent(name))
                copied.append(name)
            }
            for name in ["audit-head", "demo-holders.txt"] where files.fileExists(atPath: source.appendingPathComponent(name).path) {
                try DurableFile.write(try Data(contentsOf: source.appendingPathComponent(name)), to: target.appendingPathComponent(name))
                copied.append(name)
            }
            copied += try copyFolder(source.appendingPathComponent("seals"), to: target.appendingPathComponent("seals"), prefix: "seals/")
            try DurableFile.syncDirectory(target)
            let log = try AuditLog.openReadOnly(directory: target)
            let verification = try log.verifyChain()
            let head = verification.head
            if json {
                let output: [String: Any] = [
                    "backup": target.path, "files": copied, "auditRecords": verification.recordsChecked,
                    "auditHead": "\(head.sequence):\(head.hash.map { String(format: "%02x", $0) }.joined())",
                    "verified": verification.firstBreak == nil,
                ]
                let data = try JSONSerialization.data(withJSONObject: output, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("backup      \(target.path): \(copied.count) files (\(copied.joined(separator: ", ")))")
                print("audit trail \(verification.recordsChecked) records, head \(head.sequence):\(head.hash.map { String(format: "%02x", $0) }.joined())")
            }
            if let problem = verification.firstBreak {
                FileHandle.standardError.write(Data("error: the backup's audit trail does not verify: \(problem)\n".utf8))
                throw ExitCode(1)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let invalid as ValidationError {
            throw invalid
        } catch {
            FileHandle.standardError.write(Data("error: backup failed: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Copies the files of a folder and its sub-folders (the seal keys), owner-only, durably.
    private func copyFolder(_ source: URL, to target: URL, prefix: String) throws -> [String] {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        try files.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var copied: [String] = []
        for name in try files.contentsOfDirectory(atPath: source.path).sorted() {
            let from = source.appendingPathComponent(name)
            var nested: ObjCBool = false
            _ = files.fileExists(atPath: from.path, isDirectory: &nested)
            if nested.boolValue {
                copied += try copyFolder(from, to: target.appendingPathComponent(name), prefix: "\(prefix)\(name)/")
            } else {
                try DurableFile.write(try Data(contentsOf: from), to: target.appendingPathComponent(name))
                copied.append(prefix + name)
            }
        }
        try DurableFile.syncDirectory(target)
        return copied
    }
}
