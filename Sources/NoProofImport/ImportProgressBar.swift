import Foundation

/// A one-line import progress bar on standard error (only when it is a terminal); used by
/// `noproof import` and `noproofd import`.
package final class ImportProgressBar: Sendable {
    private let enabled: Bool
    private let started = Date()

    package init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    package func update(_ progress: LicenceImporter.Progress) {
        guard enabled else { return }
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let rate = Int(Double(progress.rowsProcessed) / seconds)
        var line = "\r"
        if let fraction = progress.fraction {
            let filled = Int(fraction * 30)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100)
        }
        line += "\(progress.rowsProcessed) rows, \(rate) rows/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    package func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
