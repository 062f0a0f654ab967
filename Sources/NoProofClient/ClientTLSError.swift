/// TLS files the client cannot use, with what to do.
package struct ClientTLSError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
