import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof staff list|set`: a unit's staff and the Art. 10 rule (one supervisor, agents).
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "A unit's staff: one supervisor (督办员) and at least one agent (代办员) (Art. 10).",
        subcommands: [StaffListCommand.self, StaffSetCommand.self]
    )
}

struct StaffListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show a unit's staff (default: your own unit).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Unified social credit code of the unit (default: the credential's unit).")
    var unitCode: String?

    @Flag(help: "Include deactivated members.")
    var all = false

    func run() async throws {
        let (unitCode, all) = (self.unitCode ?? "", self.all)
        let answer = try await connection.withClient { client in try await client.staff(of: unitCode, includeInactive: all) }
        StaffListCommand.show(answer, json: connection.json)
    }

    static func show(_ answer: APIListStaffResponse, json: Bool) {
        if json {
            try? printJSON(answer.staff.map { ListPrinter.Member(staffID: $0.staffID, name: $0.name, role: $0.role, active: $0.active) })
            return
        }
        print("staff of \(answer.unitCode)")
        for member in answer.staff {
            print(
                "  \(member.staffID.padding(toLength: 18, withPad: " ", startingAt: 0)) \(member.role.padding(toLength: 11, withPad: " ", startingAt: 0)) \(member.name)\(member.active ? "" : "  (inactive)")"
            )
        }
    }
}

struct StaffSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Replace a unit's whole staff set; members left out are deactivated.",
        discussion: """
            The unit itself or the task force office. The new set must have exactly one supervisor and at \
            least one agent, or the server refuses and says why. Hand over the supervisor role in one step:
              noproof staff set 91370400MA3C7WX81E --supervisor supervisor-0002:赵敏 --agent agent-0001:李娜 --agent agent-0002:张伟
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Unified social credit code of the unit.")
    var unitCode: String

    @Option(help: "The supervisor as ID:NAME.")
    var supervisor: [String] = []

    @Option(help: "An agent as ID:NAME (repeatable).")
    var agent: [String] = []

    func members() throws -> [APIStaffEntry] {
        func parse(_ text: String, role: String) throws -> APIStaffEntry {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
                throw ValidationError("--\(role) must be ID:NAME, e.g. agent-0003:李明; got '\(text)'")
            }
            return APIStaffEntry(staffID: String(text[..<colon]), name: String(text[text.index(after: colon)...]), role: role, active: true)
        }
        return try supervisor.map { try parse($0, role: "supervisor") } + agent.map { try parse($0, role: "agent") }
    }

    func run() async throws {
        let members = try self.members()
        guard !members.isEmpty else { throw ValidationError("give the new staff set with --supervisor ID:NAME and --agent ID:NAME") }
        let unitCode = self.unitCode
        let answer = try await connection.withClient { client in try await client.setStaff(of: unitCode, to: members) }
        StaffListCommand.show(answer, json: connection.json)
    }
}
