/// A call's failure: a status code and a message meant for the person reading it.
package struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    package var code: StatusCode
    package var message: String

    package init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code.name): \(message)" }
}
