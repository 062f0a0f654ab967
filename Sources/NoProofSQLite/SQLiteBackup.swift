package import Foundation
import GRDB
package import NoProofDomain

/// Copies a data folder's SQLite databases with SQLite's online backup API (`sqlite3_backup_*`,
/// through GRDB): each copy is one consistent snapshot of its database, taken while the server
/// may go on writing, and the copy is a complete database file of its own (no WAL to carry).
package enum SQLiteBackup {
    /// Copies the database at `source` into the new file `destination` (mode 0600), then fsyncs it.
    /// - Throws: `NoProofError(.unavailable)` naming the file when it cannot be read or written.
    package static func copy(_ source: URL, to destination: URL) throws(NoProofError) {
        guard !FileManager.default.fileExists(atPath: destination.path) else {
            throw NoProofError(.alreadyExists, "\(destination.path) exists; back up into a new folder")
        }
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.busyMode = .timeout(10)
            let from = try DatabaseQueue(path: source.path, configuration: readOnly)
            let to = try DatabaseQueue(path: destination.path)
            try from.backup(to: to)
            try to.close()
            try from.close()
            chmod(destination.path, 0o600)
            try fsyncFile(destination)
        } catch let error as NoProofError {
            throw error
        } catch {
            throw NoProofError(.unavailable, "cannot back up \(source.lastPathComponent) to \(destination.path): \(error)")
        }
    }

    private static func fsyncFile(_ url: URL) throws(NoProofError) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw NoProofError(.unavailable, "cannot open \(url.path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw NoProofError(.unavailable, "cannot sync \(url.path)") }
    }
}
