/// gRPC's canonical status codes, carried in STATUS and GOAWAY frames.
///
/// A struct rather than an enum so that a code this build does not know (sent by a newer peer)
/// still round-trips.
package struct StatusCode: Hashable, Sendable, CustomStringConvertible {
    package var rawValue: UInt32

    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let ok = StatusCode(rawValue: 0)
    package static let cancelled = StatusCode(rawValue: 1)
    package static let unknown = StatusCode(rawValue: 2)
    package static let invalidArgument = StatusCode(rawValue: 3)
    package static let deadlineExceeded = StatusCode(rawValue: 4)
    package static let notFound = StatusCode(rawValue: 5)
    package static let alreadyExists = StatusCode(rawValue: 6)
    package static let permissionDenied = StatusCode(rawValue: 7)
    package static let resourceExhausted = StatusCode(rawValue: 8)
    package static let failedPrecondition = StatusCode(rawValue: 9)
    package static let aborted = StatusCode(rawValue: 10)
    package static let outOfRange = StatusCode(rawValue: 11)
    package static let unimplemented = StatusCode(rawValue: 12)
    package static let `internal` = StatusCode(rawValue: 13)
    package static let unavailable = StatusCode(rawValue: 14)
    package static let dataLoss = StatusCode(rawValue: 15)
    package static let unauthenticated = StatusCode(rawValue: 16)

    package static let allKnown: [StatusCode] = (0...16).map { StatusCode(rawValue: $0) }

    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ]

    /// The canonical upper-case name, e.g. "NOT_FOUND", or "CODE_42" for an unknown code.
    package var name: String {
        rawValue < Self.names.count ? Self.names[Int(rawValue)] : "CODE_\(rawValue)"
    }

    package var description: String { name }

    /// What a user can usually do about this code; used by the CLI's error messages.
    package var advice: String {
        switch self {
        case .unauthenticated: "check the credential (--credential or NOPROOF_CREDENTIAL)"
        case .permissionDenied: "this unit or staff member may not make this call; check the item list and role"
        case .unavailable: "the server is not reachable, overloaded or shutting down; check it is running and retry after a pause"
        case .deadlineExceeded: "the call took longer than its deadline; retry or raise --timeout"
        case .resourceExhausted: "the server is at a limit; slow down and retry"
        case .invalidArgument: "fix the request as the message says"
        case .notFound: "nothing matches; check the identifiers"
        case .unimplemented: "the server does not offer this method; run 'noproof methods'"
        case .failedPrecondition: "the record is not in a state that allows this"
        case .internal, .unknown, .dataLoss: "a server fault; report it with the server log"
        default: ""
        }
    }
}
