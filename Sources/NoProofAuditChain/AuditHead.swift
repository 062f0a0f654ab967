import Foundation

/// A position in the audit chain: a record's sequence and its chain hash (the anchor an operator
/// publishes and compares later).
package struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    package var sequence: Int64
    package var hash: [UInt8]
    package init(sequence: Int64, hash: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
    }
    package var hashHex: String { hash.map { String(format: "%02x", $0) }.joined() }
    /// `SEQUENCE:HEX`, the form `noproofd audit-verify --anchor` takes.
    package var description: String { "\(sequence):\(hashHex)" }

    /// Parses `SEQUENCE:HEX` (64 hex digits).
    package init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence >= 0, parts[1].count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = parts[1].startIndex
        while index < parts[1].endIndex {
            let next = parts[1].index(index, offsetBy: 2)
            guard let byte = UInt8(parts[1][index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(sequence: sequence, hash: bytes)
    }
}
