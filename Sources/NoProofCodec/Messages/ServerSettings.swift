package import CNoProofProtos

/// Payload of the SETTINGS frame the server sends after its preface.
package struct ServerSettings: Hashable, Sendable {
    package var protocolVersion: UInt32
    package var maxFrameSize: UInt32
    package var maxConcurrentCalls: UInt32
    package var idleTimeoutMillis: UInt32
    package var serverName: String
    package var authenticationRequired: Bool

    package init(
        protocolVersion: UInt32, maxFrameSize: UInt32, maxConcurrentCalls: UInt32,
        idleTimeoutMillis: UInt32, serverName: String, authenticationRequired: Bool
    ) {
        self.protocolVersion = protocolVersion
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.idleTimeoutMillis = idleTimeoutMillis
        self.serverName = serverName
        self.authenticationRequired = authenticationRequired
    }
}

extension ServerSettings: ProtoMessage {
    package typealias CMessage = Noproof__V1__ServerSettings
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__server_settings__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.protocol_version = protocolVersion
        c.max_frame_size = maxFrameSize
        c.max_concurrent_calls = maxConcurrentCalls
        c.idle_timeout_millis = idleTimeoutMillis
        c.server_name = arena.string(serverName)
        c.authentication_required = authenticationRequired ? 1 : 0
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        protocolVersion = c.protocol_version
        maxFrameSize = c.max_frame_size
        maxConcurrentCalls = c.max_concurrent_calls
        idleTimeoutMillis = c.idle_timeout_millis
        serverName = try String(protobufC: c.server_name)
        authenticationRequired = c.authentication_required != 0
    }
}
