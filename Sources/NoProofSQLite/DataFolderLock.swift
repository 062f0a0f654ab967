#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
package import Foundation
package import NoProofDomain

/// An exclusive lock on a data folder (`noproofd.lock`, flock): one noproofd, or one offline
/// `noproofd import --data-dir`, uses a data folder at a time. Released when the value is dropped
/// or the process dies (the kernel drops flock locks of dead processes, so kill -9 leaves none).
package final class DataFolderLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the lock or says who holds it. `holder` is recorded in the lock file for that message.
    package static func acquire(_ directory: URL, holder: String) throws(NoProofError) -> DataFolderLock {
        let path = directory.appendingPathComponent("noproofd.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw NoProofError(.unavailable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw NoProofError(
                .conflict, "the data folder \(directory.path) is in use\(owner.isEmpty ? "" : " by \(owner)"); stop it first or use it through the server")
        }
        let text = "\(holder) (pid \(getpid()))\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return DataFolderLock(descriptor: descriptor)
    }
}
