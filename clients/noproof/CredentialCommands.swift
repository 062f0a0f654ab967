import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofUnits

/// `noproof credential issue|revoke|list`: the task force office's credential administration.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential",
        abstract: "Task force: issue, revoke and list the credentials departmental systems connect with.",
        subcommands: [CredentialIssueCommand.self, CredentialRevokeCommand.self, CredentialListCommand.self]
    )
}

struct CredentialIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a credential for a unit; the secret is printed once and cannot be shown again."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption

    @Argument(help: "Unified social credit code of the unit.")
    var unitCode: String

    @Option(name: .customLong("expires-days"), help: "Days until it expires (default 365, at most 3650).")
    var expiresDays: UInt32 = 365

    @Option(help: "A label, e.g. the departmental system's name.")
    var label: String = ""

    @Option(
        help:
            "unit (default): the unit's departmental system; staff: one staff member signing in (see --staff-member); citizen-portal: the citizen portal's app, which may only call who-looked."
    )
    var kind: String = ""

    @Option(
        name: .customLong("staff-member"),
        help:
            "A staff credential for this registered staff member of the unit: they sign in as themselves, as approving lists, answering verification and setting staff require."
    )
    var staffMember: String?

    @Option(help: "Mutual TLS: register this PEM client certificate of the unit; the credential then authenticates by it (no secret).")
    var cert: String?

    @Option(name: .customLong("cert-sha256"), help: "Mutual TLS: the client certificate's SHA-256 fingerprint instead of --cert (hex, ':' allowed).")
    var certSHA256: String?

    func run() async throws {
        let (unitCode, days, label, kind, staff, member) = (self.unitCode, expiresDays, self.label, self.kind, self.staff.resolved, staffMember ?? "")
        var fingerprint = ""
        if let cert {
            guard certSHA256 == nil else { throw ValidationError("give --cert or --cert-sha256, not both") }
            let pem: String
            do { pem = try String(contentsOfFile: cert, encoding: .utf8) } catch {
                throw ValidationError("cannot read the certificate \(cert): \(error.localizedDescription)")
            }
            do { fingerprint = try CertificateFingerprint.sha256(pem: pem) } catch {
                throw ValidationError("\(cert): \(error.reason)")
            }
        } else if let certSHA256 {
            fingerprint = certSHA256
        }
        let issued = try await connection.withClient { client in
            try await client.issueCredential(
                unitCode: unitCode, label: label, expiresInDays: days, kind: kind,
                certificateSHA256: fingerprint, staffMember: member, staff: staff)
        }
        guard let credential = issued.credential else { throw ExitCode(13) }
        let secret = issued.secret.isEmpty ? nil : issued.secret
        if connection.json {
            try printJSON(ListPrinter.CredentialOutput(credential, secret: secret))
        } else if let secret {
            ListPrinter.printCredential(credential)
            print("credential  \(credential.credentialID):\(secret)")
            print("            (use as --credential or NOPROOF_CREDENTIAL; the secret is shown only this once)")
        } else {
            ListPrinter.printCredential(credential)
            print("            the unit connects with its client certificate (--tls-cert, --tls-key) over mutual TLS; no secret")
        }
    }
}

struct CredentialRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a credential: it stops authenticating at once."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var staff: StaffOption

    @Argument(help: "The credential id (cred_...).")
    var credentialID: String

    @Option(help: "Why (recorded).")
    var reason: String

    func run() async throws {
        let (credentialID, reason, staff) = (self.credentialID, self.reason, self.staff.resolved)
        let revoked = try await connection.withClient { client in
            try await client.revokeCredential(id: credentialID, reason: reason, staff: staff)
        }
        if connection.json { try printJSON(ListPrinter.CredentialOutput(revoked)) } else { ListPrinter.printCredential(revoked) }
    }
}

struct CredentialListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List credentials (never their secrets).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "Unified social credit code of a unit (default: every unit).")
    var unitCode: String?

    func run() async throws {
        let unitCode = self.unitCode ?? ""
        let credentials = try await connection.withClient { client in try await client.credentials(of: unitCode) }
        if connection.json {
            try printJSON(credentials.map { ListPrinter.CredentialOutput($0) })
        } else {
            if credentials.isEmpty { print("no credentials issued") }
            for credential in credentials { ListPrinter.printCredential(credential) }
        }
    }
}
