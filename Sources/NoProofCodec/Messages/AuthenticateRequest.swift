package import CNoProofProtos

/// Session/Authenticate request: the unit's credential.
package struct AuthenticateRequest: Hashable, Sendable {
    package var credentialID: String
    package var secret: String
    package init(credentialID: String, secret: String) {
        self.credentialID = credentialID
        self.secret = secret
    }
}

extension AuthenticateRequest: ProtoMessage {
    package typealias CMessage = Noproof__V1__AuthenticateRequest
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__authenticate_request__descriptor_ptr() }
    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.credential_id = arena.string(credentialID)
        c.secret = arena.string(secret)
    }
    package init(c: borrowing CMessage) throws(CodecError) {
        credentialID = try String(protobufC: c.credential_id)
        secret = try String(protobufC: c.secret)
    }
}
