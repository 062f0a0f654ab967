/// The frame types of docs/PROTOCOL.md.
package enum FrameType: UInt8, Sendable, CaseIterable {
    /// client -> server: starts a call; payload CallHeader.
    case call = 0x01
    /// server -> client: one response message; flag END_OK ends the call successfully.
    case message = 0x02
    /// server -> client: ends a call; payload CallStatus.
    case status = 0x03
    /// client -> server: abandon a call; empty payload.
    case cancel = 0x04
    /// either: 8 opaque bytes to be echoed in a PONG.
    case ping = 0x05
    /// either: answer to PING with the same 8 bytes.
    case pong = 0x06
    /// either: no new calls; payload GoAway.
    case goAway = 0x07
    /// server -> client, once after the preface; payload ServerSettings.
    case settings = 0x08

    package var name: String {
        switch self {
        case .call: "CALL"
        case .message: "MESSAGE"
        case .status: "STATUS"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .pong: "PONG"
        case .goAway: "GOAWAY"
        case .settings: "SETTINGS"
        }
    }
}

/// Frame flag bits.
package enum FrameFlags {
    /// On MESSAGE: this is the call's last message and the call ended with OK; no STATUS follows.
    package static let endOK: UInt8 = 0x01
}
