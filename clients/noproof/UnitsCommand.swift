import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec

/// `noproof units [UNIT_CODE]`: the unit registry (public), or one unit with its staff.
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
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
                try printJSON(Output(unit: ListPrinter.Unit(unit), staff: staff.staff.map {
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
