import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol
import NoProofSeals

struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Get a sealed electronic proof that a holder holds a valid licence of a type (data sharing)."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var purpose: PurposeOptions

    @Option(name: .customLong("holder"), help: "Resident ID or unified social credit code of the holder.")
    var holderID: String

    @Option(name: .customLong("type"), help: "Licence type code (see 'noproof types').")
    var typeCode: String

    @Option(help: "Save the sealed proof to this file (verify it later with 'noproof verify').")
    var out: String?

    func run() async throws {
        let (holderID, typeCode, purpose) = (self.holderID, self.typeCode, self.purpose)
        let proof = try await connection.withClient { client in
            try await client.lookup(holderID: holderID, typeCode: typeCode, purpose: purpose.purpose, metadata: purpose.metadata)
        }
        let body = try ProoFile.body(of: proof)
        if let out {
            try ProoFile.write(proof, to: out)
        }
        let output = ProofPrinter.output(proof, body)
        if connection.json {
            try printJSON(output)
        } else {
            ProofPrinter.printProof(output)
            if let out { print("saved       \(out)") }
        }
    }
}

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a licence by its identifier and its holder's id.",
        discussion: "The holder is required: a licence of another holder answers NOT_FOUND, like a miss, and every attempt counts against the rate limits."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var purpose: PurposeOptions

    @Argument(help: "Licence identifier, 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>.")
    var licenceID: String

    @Option(name: .customLong("holder"), help: "Resident ID or unified social credit code of the licence's holder (required).")
    var holderID: String

    func run() async throws {
        let (licenceID, holderID, purpose) = (self.licenceID, self.holderID, self.purpose)
        let (licence, withheld) = try await connection.withClient { client in
            try await client.licenceAnswer(id: licenceID, holderID: holderID, purpose: purpose.purpose, metadata: purpose.metadata)
        }
        if connection.json {
            struct Output: Encodable { var licence: ProofPrinter.LicenceOutput; var withheldFields: [String] }
            try printJSON(Output(licence: ProofPrinter.LicenceOutput(licence), withheldFields: withheld))
        } else {
            ProofPrinter.printLicence(licence)
            if !withheld.isEmpty { print("withheld    \(withheld.joined(separator: ", "))  (not needed for the item: its list entry does not name them)") }
        }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare what an applicant declared with the record, field by field (the record is not shown)."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var purpose: PurposeOptions

    @Option(name: .customLong("holder"), help: "Resident ID or unified social credit code of the holder.")
    var holderID: String

    @Option(name: .customLong("type"), help: "Licence type code.")
    var typeCode: String

    @Option(
        name: .customLong("field"), help: "A declared field as KEY=VALUE (repeatable, once per key: holder_name or a field of the type, see 'noproof types').")
    var fields: [String] = []

    func validate() throws {
        guard !fields.isEmpty else { throw ValidationError("give at least one --field KEY=VALUE") }
        for field in fields where !field.contains("=") { throw ValidationError("--field must be KEY=VALUE, got '\(field)'") }
        var seen = Set<String>()
        for field in fields {
            let key = String(field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            guard seen.insert(key).inserted else { throw ValidationError("--field \(key) is given twice; declare each field once") }
        }
    }

    func run() async throws {
        let declared = fields.map { field -> APILicenceField in
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return APILicenceField(key: String(parts[0]), value: String(parts[1]))
        }
        let (holderID, typeCode, purpose) = (self.holderID, self.typeCode, self.purpose)
        let answer = try await connection.withClient { client in
            try await client.check(
                holderID: holderID, typeCode: typeCode, declared: declared, purpose: purpose.purpose,
                metadata: purpose.metadata)
        }
        let names: [APIFieldCheck.Result: String] = [.match: "MATCH", .mismatch: "MISMATCH", .notOnRecord: "NOT_ON_RECORD"]
        if connection.json {
            struct Output: Encodable { var status: String; var fields: [String: String] }
            try printJSON(
                Output(
                    status: answer.status,
                    fields: Dictionary(answer.fields.map { ($0.key, names[$0.result]!) }, uniquingKeysWith: { a, _ in a })))
        } else {
            print("licence status: \(answer.status)")
            for field in answer.fields { print("  \(field.key): \(names[field.result]!)") }
        }
        if answer.fields.contains(where: { $0.result != .match }) { throw ExitCode(1) }
    }
}

struct TypesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "types", abstract: "List the licence-type catalogue.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let types = try await connection.withClient(authenticate: false) { client in try await client.licenceTypes() }
        if connection.json {
            struct Output: Encodable {
                var code, nameZh, nameEn, issuerCode, issuerName: String
                var holderKinds: [String]
                var fields: [String]
                var connected: Bool
            }
            try printJSON(
                types.map {
                    Output(
                        code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, issuerCode: $0.issuerCode,
                        issuerName: $0.issuerName, holderKinds: $0.holderKinds, fields: $0.fields.map(\.key),
                        connected: $0.connected)
                })
            return
        }
        for type in types {
            let code = type.code.padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(code)\(type.nameZh) / \(type.nameEn) — \(type.issuerName)\(type.connected ? "" : "  [not connected: department verification]")")
            print("        holders: \(type.holderKinds.joined(separator: ", ")); fields: \(type.fields.map(\.key).joined(separator: ", "))")
        }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Issuing unit: suspend, reinstate or revoke a licence.",
        discussion: "Example: noproof status revoke 1.2.156.3005.2.... --reason \"obtained by fraud\""
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "suspend, reinstate or revoke.")
    var change: String

    @Argument(help: "Licence identifier.")
    var licenceID: String

    @Option(help: "Why (recorded with the change).")
    var reason: String

    func run() async throws {
        guard
            let change = [
                "suspend": NoProofClient.StatusChange.suspend, "reinstate": .reinstate, "revoke": .revoke,
            ][change]
        else {
            throw ValidationError("the change must be suspend, reinstate or revoke, not '\(change)'")
        }
        let (licenceID, reason) = (self.licenceID, self.reason)
        let licence = try await connection.withClient { client in
            try await client.changeStatus(change, licenceID: licenceID, reason: reason)
        }
        if connection.json { try printJSON(ProofPrinter.LicenceOutput(licence)) } else { ProofPrinter.printLicence(licence) }
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the published seal keys, or save them for offline verification (--out)."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Save the keys (protobuf GetSealKeysResponse) to this file.")
    var out: String?

    func run() async throws {
        let keys = try await connection.withClient(authenticate: false) { client in try await client.sealKeys() }
        if let out {
            try Data(ProtoCodec.encode(keys)).write(to: URL(fileURLWithPath: out))
        }
        if connection.json {
            struct Output: Encodable { var keyID, seal, name, algorithm, publicKeyHex: String; var validFromMillis: Int64 }
            try printJSON(
                keys.keys.map {
                    Output(
                        keyID: $0.keyID, seal: $0.sealKind, name: $0.nameZh, algorithm: $0.algorithm,
                        publicKeyHex: $0.publicKey.map { String(format: "%02x", $0) }.joined(),
                        validFromMillis: $0.validFromMillis)
                })
        } else {
            for key in keys.keys {
                print("\(key.keyID)  \(key.nameZh)  \(key.algorithm)  \(key.publicKey.map { String(format: "%02x", $0) }.joined())")
            }
            if let out { print("saved \(out)") }
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a saved proof's seal and print what it attests; with --online, also its current status.",
        discussion: """
            With --keys FILE (from 'noproof keys --out FILE') the seal check is fully offline; otherwise the published keys are fetched from the server. \
            --online then asks the server (GetProofStatus, authenticated) whether the proof still holds — the licence may since have been revoked, \
            suspended, amended or have expired — and checks the answer's signature with the data-sharing key. Exit status: 0 valid; 1 the seal or \
            the answer's signature does not verify; 20 the proof is no longer valid (licence revoked, suspended, expired, superseded by a newer \
            version, or no longer in the library); 21 its status cannot be checked online (a department-verification proof of a licence the library does not hold).
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "A proof saved by 'noproof lookup --out'.")
    var proofFile: String

    @Option(help: "Seal keys saved by 'noproof keys --out'.")
    var keys: String?

    @Flag(help: "Also ask the server for the proof's current status (needs a credential).")
    var online = false

    @OptionGroup var staff: StaffOption

    func run() async throws {
        let proof = try ProoFile.read(proofFile)
        let published: APIGetSealKeysResponse
        if let keys {
            guard let data = FileManager.default.contents(atPath: keys) else {
                throw ValidationError("cannot read the key file \(keys)")
            }
            do {
                published = try ProtoCodec.decode(APIGetSealKeysResponse.self, from: [UInt8](data))
            } catch {
                throw ValidationError("\(keys) is not a key file saved by 'noproof keys --out': \(error)")
            }
        } else {
            published = try await connection.withClient(authenticate: false) { client in try await client.sealKeys() }
        }
        let publicKeys = published.keys.compactMap { key in
            SealKind(rawValue: key.sealKind).map {
                SealPublicKey(
                    id: key.keyID, kind: $0, publicKey: key.publicKey, validFromMillis: key.validFromMillis,
                    validToMillis: key.validToMillis)
            }
        }
        let verifier = SealVerifier(keys: publicKeys)
        let seal = Seal(keyID: proof.keyID, signature: proof.signature, leafIndex: proof.leafIndex, batchSize: proof.batchSize, path: proof.path)
        do {
            try verifier.verify(body: proof.body, seal: seal)
        } catch {
            FileHandle.standardError.write(Data("NOT VERIFIED: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let body = try ProoFile.body(of: proof)
        var output = ProofPrinter.output(proof, body, verified: true)
        guard online else {
            if connection.json { try printJSON(output) } else { ProofPrinter.printProof(output) }
            return
        }
        var metadata: Metadata = [:]
        if let staffID = staff.resolved { metadata["staff"] = staffID }
        let answer = try await connection.withClient { [metadata] client in try await client.proofStatus(proof, metadata: metadata) }
        let statement = ProofStatusStatement(
            proofDigest: answer.proofDigest, proofSerial: answer.proofSerial, licenceID: answer.licenceID, proofVersion: answer.proofVersion,
            status: answer.status, currentVersion: answer.currentVersion, changedAtMillis: answer.changedAtMillis, reason: answer.reason,
            checkedAtMillis: answer.checkedAtMillis
        )
        do {
            try statement.verify(keyID: answer.keyID, signature: answer.signature, keys: publicKeys)
            guard answer.proofDigest == ProofStatusStatement.digest(ofBody: proof.body), answer.proofSerial == body.proofSerial else {
                throw SealError("the answer is about another proof")
            }
        } catch {
            FileHandle.standardError.write(Data("STATUS NOT VERIFIED: \(error)\n".utf8))
            throw ExitCode(1)
        }
        output.online = ProofPrinter.StatusOutput(answer)
        if connection.json { try printJSON(output) } else { ProofPrinter.printProof(output) }
        switch answer.status {
        case "valid": return
        case "not_checkable": throw ExitCode(21)
        default: throw ExitCode(20)
        }
    }
}

/// Reading and writing proof files: the protobuf encoding of `SealedProof`.
enum ProoFile {
    static func write(_ proof: APISealedProof, to path: String) throws {
        do {
            try Data(ProtoCodec.encode(proof)).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws -> APISealedProof {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do {
            return try ProtoCodec.decode(APISealedProof.self, from: [UInt8](data))
        } catch {
            FileHandle.standardError.write(Data("NOT VERIFIED: \(path) is not a NoProof proof file (\(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    static func body(of proof: APISealedProof) throws -> APIProofBody {
        do {
            return try ProtoCodec.decode(APIProofBody.self, from: proof.body)
        } catch {
            FileHandle.standardError.write(Data("NOT VERIFIED: the proof body is unreadable (\(error))\n".utf8))
            throw ExitCode(1)
        }
    }
}
