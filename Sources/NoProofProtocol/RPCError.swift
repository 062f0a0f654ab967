/// A call's failure: a status code and a message meant for the person reading it.
///
/// `cause` keeps the error that led to it (a database failure under an UNAVAILABLE) for the
/// server's log: it is not sent on the wire and not part of equality or hashing.
package struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    package var code: StatusCode
    package var message: String
    package var cause: (any Error)?

    package init(_ code: StatusCode, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String { "\(code.name): \(message)" }

    /// Equal when code and message are; the cause is not compared.
    package static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
