package import CNoProofProtos

/// Health/Check response.
package struct HealthCheckResponse: Hashable, Sendable {
    package enum ServingStatus: UInt32, Sendable, CaseIterable {
        case unknown = 0
        case serving = 1
        case notServing = 2
        case serviceUnknown = 3

        /// The protobuf enum value name, e.g. "SERVING".
        package var name: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            }
        }
    }

    package var status: ServingStatus
    package var serverName: String
    package var serverVersion: String
    package var uptimeSeconds: UInt64

    package init(status: ServingStatus, serverName: String = "", serverVersion: String = "", uptimeSeconds: UInt64 = 0) {
        self.status = status
        self.serverName = serverName
        self.serverVersion = serverVersion
        self.uptimeSeconds = uptimeSeconds
    }
}

extension HealthCheckResponse: ProtoMessage {
    package typealias CMessage = Noproof__V1__HealthCheckResponse
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> { noproof__v1__health_check_response__descriptor_ptr() }

    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.status = Noproof__V1__HealthCheckResponse__ServingStatus(rawValue: status.rawValue)
        c.server_name = arena.string(serverName)
        c.server_version = arena.string(serverVersion)
        c.uptime_seconds = uptimeSeconds
    }

    package init(c: borrowing CMessage) throws(CodecError) {
        // proto3 enums are open: a value this build does not know reads as UNKNOWN.
        status = ServingStatus(rawValue: c.status.rawValue) ?? .unknown
        serverName = try String(protobufC: c.server_name)
        serverVersion = try String(protobufC: c.server_version)
        uptimeSeconds = c.uptime_seconds
    }
}
