/// The `--data-dir` (or `--database`) of a `noproofd` subcommand (`import`, `audit-verify`).
///
/// The root command declares `--data-dir` too (the server's data folder), and ArgumentParser gives
/// an option that a command and its subcommand both declare to the root, so the subcommand's own
/// declaration stays empty. Until the root's options move into a group the subcommands can share,
/// the value is read from the command line here (`--data-dir DIR` or `--data-dir=DIR`, the last wins).
enum SubcommandDataFolder {
    static func resolve(_ parsed: String?, arguments: [String] = CommandLine.arguments) -> String? {
        resolve(parsed, option: "--data-dir", arguments: arguments)
    }

    /// Any option the root command declares too (`--data-dir`, `--database`), read the same way.
    static func resolve(_ parsed: String?, option: String, arguments: [String] = CommandLine.arguments) -> String? {
        if let parsed { return parsed }
        var found: String?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == option, index + 1 < arguments.endIndex {
                found = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix(option + "=") {
                found = String(argument.dropFirst(option.count + 1))
            }
            index += 1
        }
        return found
    }
}
