import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec

/// `noproof denials [UNIT_CODE]`: the supervision log of refused proof requests and limit breaches.
struct DenialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denials",
        abstract: "Task force: the most recent refused proof requests and anti-harvesting breaches."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Unified social credit code of a unit (default: every unit).")
    var unitCode: String?

    @Option(help: "How many (default 100).")
    var limit: UInt32 = 100

    func run() async throws {
        let (unitCode, limit) = (self.unitCode ?? "", self.limit)
        let denials = try await connection.withClient { client in try await client.denials(of: unitCode, limit: limit) }
        if connection.json {
            struct Output: Encodable { var at, unitCode, staff, itemCode, caseReference, typeCode, kind, reason, message: String }
            try printJSON(
                denials.map {
                    Output(
                        at: ListPrinter.time($0.atMillis) ?? "", unitCode: $0.unitCode, staff: $0.staffID, itemCode: $0.itemCode,
                        caseReference: $0.caseReference, typeCode: $0.typeCode, kind: $0.kind, reason: $0.reason, message: $0.message)
                })
        } else {
            for denial in denials {
                print(
                    "\(ListPrinter.time(denial.atMillis) ?? "-")  \(denial.kind)  \(denial.unitCode)  staff=\(denial.staffID)  item=\(denial.itemCode)  type=\(denial.typeCode)  case=\(denial.caseReference)"
                )
                print("    \(denial.message)")
            }
        }
    }
}
