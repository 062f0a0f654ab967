#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
package import NoProofSeals
import Synchronization
import NoProofDomain

/// A witness that is an append-only file, one signed head per line (JSON), ideally on another
/// volume or machine mount, or a file the operator makes append-only (`chattr +a`). Each head
/// is appended with O_APPEND and fsynced before `publish` returns.
package final class FileAuditWitness: AuditWitness {
    package let path: String
    package var name: String { path }
    private let descriptor = Mutex<Int32>(-1)

    package init(path: String) {
        self.path = path
    }

    deinit {
        descriptor.withLock { fd in if fd >= 0 { close(fd) } }
    }

    package func publish(_ head: SignedTreeHead) throws {
        let line = Array((head.jsonLine + "\n").utf8)
        try descriptor.withLock { fd in
            if fd < 0 {
                let created = !FileManager.default.fileExists(atPath: path)
                fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw NoProofError(.unavailable, "audit witness \(path): cannot open: \(String(cString: strerror(errno)))") }
                if created { Self.syncFolder(of: path) }
            }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(fd) == 0 else {
                let message = String(cString: strerror(errno))
                close(fd)
                fd = -1
                throw NoProofError(.unavailable, "audit witness \(path): cannot append: \(message)")
            }
        }
    }

    package func heads() throws -> (heads: [SignedTreeHead], unreadable: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw NoProofError(.unavailable, "audit witness \(path): cannot read: \(error.localizedDescription)")
        }
        var heads: [SignedTreeHead] = []
        var unreadable: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        for (number, line) in lines.enumerated() {
            if let head = SignedTreeHead(jsonLine: line) {
                heads.append(head)
            } else if number < lines.count - 1 || text.hasSuffix("\n") {
                unreadable.append("\(path) line \(number + 1)")
            }
            // A last line without its newline is a head cut short by a crash: ignored.
        }
        return (heads, unreadable)
    }

    private static func syncFolder(of path: String) {
        let folder = open(
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }
}
