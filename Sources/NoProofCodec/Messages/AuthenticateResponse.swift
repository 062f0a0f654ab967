package import CNoProofProtos

/// Session/Authenticate response: the unit the connection now acts for.
package struct AuthenticateResponse: Hashable, Sendable {
    package var unitCode: String
    package var unitName: String
    package var expiresAt: Int64
    package init(unitCode: String, unitName: String, expiresAt: Int64 = 0) {
        self.unitCode = unitCode
        self.unitName = unitName
        self.expiresAt = expiresAt
    }
}

extension AuthenticateResponse: ProtoMessage {
    package typealias CMessage = Noproof__V1__AuthenticateResponse
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__authenticate_response__descriptor_ptr() }
    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.unit_code = arena.string(unitCode)
        c.unit_name = arena.string(unitName)
        c.expires_at = expiresAt
    }
    package init(c: borrowing CMessage) throws(CodecError) {
        unitCode = try String(protobufC: c.unit_code)
        unitName = try String(protobufC: c.unit_name)
        expiresAt = c.expires_at
    }
}
