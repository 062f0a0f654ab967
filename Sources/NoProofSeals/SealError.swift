/// Why a seal key could not be used or a seal does not verify.
package struct SealError: Error, Hashable, Sendable, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}
