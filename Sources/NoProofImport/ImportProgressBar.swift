import Foundation
import NoProofImport

/// A one-line import progress bar on standard error (only when it is a terminal).
final class ImportProgressBar: Sendable {
    private let enabled: Bool
    private let started = Date()

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ progress: LicenceImporter.Progress) {
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

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
