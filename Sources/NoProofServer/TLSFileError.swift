/// A TLS file that cannot be used, with what to do about it.
package struct TLSFileError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
