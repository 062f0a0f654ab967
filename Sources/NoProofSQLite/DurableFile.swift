#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
package import Foundation

/// Small files outside SQLite that must survive a power cut. Foundation's `Data.write(options: .atomic)`
/// fsyncs its temporary file on Linux but not the folder after the rename, so the new name can be
/// lost at a power cut (scripts/crash-test.sh, POWERCUT_DIRS). This writes a temporary file in
/// the same folder, fsyncs it, renames it over the target and fsyncs the folder.
package enum DurableFile {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Replaces `url` with `data` (mode 0600), durably.
    package static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create \(temporary.path)") }
        var written = 0
        let complete = data.withUnsafeBytes { bytes -> Bool in
            while written < bytes.count {
                let n = posixWrite(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                written += n
            }
            return true
        }
        let synced = complete && fsync(fd) == 0
        let error = failure("cannot write \(temporary.path)")
        close(fd)
        guard synced else {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let error = failure("cannot rename \(temporary.path) to \(url.path)")
            unlink(temporary.path)
            throw error
        }
        try syncDirectory(directory)
    }

    /// fsyncs a folder: the entries created, renamed or removed in it since are then durable.
    package static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open the folder \(url.path)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot sync the folder \(url.path)") }
    }

    private static func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// `write(2)` (named apart from `DurableFile.write`).
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
