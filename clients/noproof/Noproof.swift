import ArgumentParser
import Foundation
import NoProofClient

@main
struct Noproof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noproof",
        abstract: "Command-line client of the NoProof server.",
        discussion: """
            Connection: --host/--port or NOPROOF_HOST/NOPROOF_PORT (default 127.0.0.1:7420); credential: \
            --credential ID:SECRET or NOPROOF_CREDENTIAL (the demo server's is demo-taskforce:demo-secret); acting \
            staff member of list, staff and credential commands: --staff or NOPROOF_STAFF.
            Exit status: 0 on success; on a failed call, the gRPC status code (e.g. 14 UNAVAILABLE, \
            16 UNAUTHENTICATED); 64 for a usage error.
            """,
        subcommands: [
            HealthCommand.self, MethodsCommand.self, TypesCommand.self, LookupCommand.self, GetCommand.self,
            CheckCommand.self, KeysCommand.self, VerifyCommand.self, StatusCommand.self, ImportCommand.self, StatsCommand.self,
            UnitsCommand.self, ListCommand.self, StaffCommand.self, CredentialCommand.self, DenialsCommand.self, VerifyRequestCommand.self,
            AuditCommand.self, CommitmentCommand.self, LedgerCommand.self, MismatchCommand.self, ComplaintCommand.self,
            OversightCountsCommand.self, CalendarCommand.self,
            ReportCommand.self, WhoLookedCommand.self, ExemptionCommand.self, ItemCommand.self,
        ]
    )
}
