import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomain
import NoProofMessages
import NoProofProtocol
import NoProofSeals
import NoProofTestSupport
import Testing
@testable import NoProofServices
import NoProofAuditChain

/// Issue 16, "whole records are returned: the water company receives ethnicity, birth date and
/// address for an account opening". Over a real socket with the demo lists: a lookup returns and
/// seals only the fields the item's list entry names, and the proof names the fields withheld.
@Suite("Field-level minimisation over the socket")
struct FieldMinimisationTests {
    typealias Env = LicenceHarvestingTests

    static func card() -> Licence { Env.idCards[5] }

    @Test("The water company's account opening gets the card's identity and validity, no personal details")
    func waterAccountGetsNoPersonalDetails() async throws {
        try await Env.withEnvironment { env in
            let water = try await env.client()
            let card = Self.card()
            #expect(card.fields["ethnicity"] != nil && card.fields["birth_date"] != nil && card.fields["address"] != nil)
            let proof = try await water.lookup(holderID: card.holder.key, typeCode: "JMSFZ", purpose: Env.purpose("M-1"), metadata: Env.staff)
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            let licence = try #require(body.licence)
            #expect(licence.fields.isEmpty, "\(licence.fields)")
            #expect(licence.licenceID == card.id.description && licence.holderName == card.holderName && licence.status == "valid")
            #expect(body.withheldFields == card.fields.keys.sorted())
            // The withheld list is part of what the seal signs.
            let keys = try await water.sealKeys()
            let verifier = SealVerifier(
                keys: keys.keys.map {
                    SealPublicKey(id: $0.keyID, kind: SealKind(rawValue: $0.sealKind)!, publicKey: $0.publicKey, validFromMillis: $0.validFromMillis)
                })
            if proof.path.isEmpty {
                #expect(throws: Never.self) { try verifier.verify(body: proof.body, seal: Seal(keyID: proof.keyID, signature: proof.signature)) }
                var edited = body
                edited.withheldFields = []
                #expect(throws: SealError.self) {
                    try verifier.verify(body: ProtoCodec.encode(edited), seal: Seal(keyID: proof.keyID, signature: proof.signature))
                }
            }
            await water.close()
        }
    }

    @Test("The bank's account opening gets the fields its list names, and not ethnicity")
    func bankGetsTheNamedFieldsOnly() async throws {
        try await Env.withEnvironment { env in
            let bank = try await env.client("bank")
            let card = Self.card()
            let proof = try await bank.lookup(
                holderID: card.holder.key, typeCode: "JMSFZ", purpose: Env.purpose("M-2", item: "YH-KH-001"),
                metadata: Env.staff)
            let body = try ProtoCodec.decode(APIProofBody.self, from: proof.body)
            let fields = Dictionary(uniqueKeysWithValues: (body.licence?.fields ?? []).map { ($0.key, $0.value) })
            let named = ["address", "birth_date", "gender", "issuing_authority"].filter { card.fields[$0] != nil }
            #expect(fields.keys.sorted() == named)
            for key in named { #expect(fields[key] == card.fields[key]) }
            #expect(body.withheldFields == ["ethnicity"])
            await bank.close()
        }
    }

    @Test("GetLicence is minimised like a lookup; CheckLicence refuses a field the item does not need")
    func readsAndChecksAreMinimisedToo() async throws {
        try await Env.withEnvironment { env in
            let water = try await env.client()
            let card = Self.card()
            let (licence, withheld) = try await water.licenceAnswer(
                id: card.id.description, holderID: card.holder.key,
                purpose: Env.purpose("M-3"), metadata: Env.staff)
            #expect(licence.fields.isEmpty && withheld == card.fields.keys.sorted())
            // Trying ethnicity's values one by one would disclose it: refused, and audited.
            let guess = await failure {
                _ = try await water.check(
                    holderID: card.holder.key, typeCode: "JMSFZ", declared: [APILicenceField(key: "ethnicity", value: "汉")],
                    purpose: Env.purpose("M-3"), metadata: Env.staff)
            }
            #expect(guess?.code == .permissionDenied, "\(String(describing: guess))")
            #expect(guess?.message.contains("declared[0].key") == true && guess?.message.contains("ethnicity") == true)
            // The holder's name is identity: still checkable.
            let name = try await water.check(
                holderID: card.holder.key, typeCode: "JMSFZ",
                declared: [APILicenceField(key: "holder_name", value: card.holderName)],
                purpose: Env.purpose("M-3"), metadata: Env.staff)
            #expect(name.fields.map(\.result) == [.match])
            #expect(try env.records(.checkLicence).map(\.result) == [.permissionDenied, .match])
            await water.close()
        }
    }
}
