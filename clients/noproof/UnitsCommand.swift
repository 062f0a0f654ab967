import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages

/// `noproof units [UNIT_CODE]`: the unit registry (public), or one unit with its staff;
/// `noproof units create|update`: the task force office's registry changes.
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "List the registered units (no credential needed), or show one unit with its staff.",
        subcommands: [UnitsShowCommand.self, UnitsCreateCommand.self, UnitsUpdateCommand.self],
        defaultSubcommand: UnitsShowCommand.self,
        aliases: ["unit"]
    )
}

struct UnitsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the registered units (no credential needed), or show one unit with its staff."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "A unit's unified social credit code: show that unit and its staff (needs a credential).")
    var unitCode: String?

    func run() async throws {
        if let unitCode {
            let (unit, staff) = try await connection.withClient { client in
                (try await client.unit(code: unitCode), try await client.staff(of: unitCode))
            }
            if connection.json {
                struct Output: Encodable { var unit: ListPrinter.Unit; var staff: [ListPrinter.Member] }
                try printJSON(
                    Output(
                        unit: ListPrinter.Unit(unit),
                        staff: staff.staff.map {
                            ListPrinter.Member(staffID: $0.staffID, name: $0.name, role: $0.role, active: $0.active)
                        }))
            } else {
                print(ListPrinter.unitLine(unit))
                for member in staff.staff { print("  \(member.staffID)  \(member.role)  \(member.name)") }
            }
            return
        }
        let units = try await connection.withClient { client in try await client.listUnits() }
        if connection.json {
            try printJSON(units.map(ListPrinter.Unit.init))
        } else {
            for unit in units { print(ListPrinter.unitLine(unit)) }
        }
    }
}

/// The fields of a unit given on the command line.
struct UnitFields: ParsableArguments {
    @Option(help: "Unit name.")
    var name: String?

    @Option(help: "government or public_service.")
    var kind: String?

    @Option(help: "For public_service: water, power, gas, heating, cableTV, bank, insurer, school, hospital, telecom or other.")
    var sector: String?

    @Option(help: "District.")
    var district: String?
}

struct UnitsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Task force: register a unit with its supervisor (督办员) and agents (代办员).",
        discussion:
            "Example: noproof units create 91370400MA3C7WX81E --name 枣庄水务 --kind public_service --sector water --district 市中区 --supervisor s1:王强 --agent a1:李娜 --staff supervisor-0001"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var acting: StaffOption
    @OptionGroup var fields: UnitFields

    @Argument(help: "The unit's unified social credit code.")
    var unitCode: String

    @Option(help: "The supervisor as ID:NAME (exactly one).")
    var supervisor: String

    @Option(help: "An agent as ID:NAME (repeatable, at least one).")
    var agent: [String] = []

    func run() async throws {
        guard let name = fields.name, let kind = fields.kind, let district = fields.district else {
            throw ValidationError("give --name, --kind and --district")
        }
        let staff = try [member(supervisor, role: "supervisor")] + agent.map { try member($0, role: "agent") }
        let unit = APIUnitInfo(code: unitCode, name: name, kind: kind, sector: fields.sector ?? "", district: district, active: true)
        let actingStaff = acting.resolved
        let created = try await connection.withClient { client in
            try await client.createUnit(unit, staff: staff, actingStaff: actingStaff)
        }
        if connection.json { try printJSON(ListPrinter.Unit(created)) } else { print(ListPrinter.unitLine(created)) }
    }

    private func member(_ text: String, role: String) throws -> APIStaffEntry {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw ValidationError("staff must be ID:NAME, got '\(text)'")
        }
        return APIStaffEntry(staffID: String(text[..<colon]), name: String(text[text.index(after: colon)...]), role: role, active: true)
    }
}

struct UnitsUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Task force: change a unit's name, kind, district, or take it out of (or back into) service."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var acting: StaffOption
    @OptionGroup var fields: UnitFields

    @Argument(help: "The unit's unified social credit code.")
    var unitCode: String

    @Flag(inversion: .prefixedNo, help: "Whether the unit is active (--no-active takes it out of service).")
    var active: Bool?

    func run() async throws {
        let (unitCode, fields, active, actingStaff) = (self.unitCode, self.fields, self.active, acting.resolved)
        let changed = try await connection.withClient { client in
            var unit = try await client.unit(code: unitCode)
            if let name = fields.name { unit.name = name }
            if let kind = fields.kind { unit.kind = kind }
            if let sector = fields.sector { unit.sector = sector }
            if let district = fields.district { unit.district = district }
            if let active { unit.active = active }
            return try await client.updateUnit(unit, actingStaff: actingStaff)
        }
        if connection.json { try printJSON(ListPrinter.Unit(changed)) } else { print(ListPrinter.unitLine(changed)) }
    }
}
