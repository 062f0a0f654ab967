import ArgumentParser
import Foundation

/// The acting staff member of list, staff and credential commands (sent as the "staff" metadata).
struct StaffOption: ParsableArguments {
    @Option(help: "Acting staff member, e.g. agent-0001 (env NOPROOF_STAFF).")
    var staff: String?

    /// `--staff`, else NOPROOF_STAFF, else nil (the server then asks for it).
    var resolved: String? {
        if let staff, !staff.isEmpty { return staff }
        let environment = ProcessInfo.processInfo.environment["NOPROOF_STAFF"]
        return environment?.isEmpty == false ? environment : nil
    }
}
