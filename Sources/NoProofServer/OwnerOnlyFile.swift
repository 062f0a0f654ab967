import Foundation

/// Private key files must be readable by their owner only.
package enum OwnerOnlyFile {
    /// Throws naming the file and the `chmod` to run when group or others may read or write it.
    package static func check(_ path: String, what: String) throws(TLSFileError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TLSFileError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))")
        }
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            throw TLSFileError("the \(what) \(path) is accessible to group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
    }
}
