/// Where and why the chain first fails to verify: `sequence` is the first record that is wrong or
/// missing (for deletions, the first deleted sequence).
package struct ChainBreak: Sendable, Hashable, CustomStringConvertible {
    package enum Reason: Sendable, Hashable {
        /// The stored hash is not SHA-256(previous hash ‖ this record): a field of this record was
        /// edited, its hash replaced, rows swapped, or the previous record rewritten together with its hash.
        case hashMismatch
        /// Records from `sequence` up to `resumesAt - 1` are gone (deleted).
        case sequenceGap(resumesAt: Int64)
        /// The record has no 32-byte chain hash (inserted or edited outside the log).
        case missingHash
        /// A column holds a value of the wrong type (e.g. a number where text belongs).
        case malformedField(String)
        /// The table's AUTOINCREMENT counter reached `through` but the last record is earlier: the
        /// trailing records were deleted.
        case trailingRowsDeleted(through: Int64)
        /// The record at the anchor's sequence has a different hash than the anchor published earlier.
        case anchorMismatch
        /// The chain ends before the anchor's sequence (records deleted since it was published).
        case anchorMissing
    }

    package var sequence: Int64
    package var reason: Reason

    package init(sequence: Int64, reason: Reason) {
        self.sequence = sequence
        self.reason = reason
    }

    package var description: String {
        switch reason {
        case .hashMismatch:
            "record \(sequence): stored chain hash does not match SHA-256(previous hash ‖ record) — a field of this record "
                + "was edited or its hash replaced, rows were reordered, or record \(sequence - 1) was rewritten with a recomputed hash"
        case .sequenceGap(let resumesAt):
            resumesAt - 1 == sequence
                ? "record \(sequence) is missing (deleted); the chain resumes at \(resumesAt)"
                : "records \(sequence)–\(resumesAt - 1) are missing (deleted); the chain resumes at \(resumesAt)"
        case .missingHash: "record \(sequence): no chain hash (row written outside the audit log)"
        case .malformedField(let column): "record \(sequence): column \(column) holds a value of the wrong type (edited)"
        case .trailingRowsDeleted(let through):
            "records \(sequence)–\(through) are missing (deleted from the end; the table's counter reached \(through))"
        case .anchorMismatch: "record \(sequence): chain hash differs from the anchor published for it (history rewritten)"
        case .anchorMissing: "the chain ends before the anchor's record \(sequence) (records deleted since the anchor)"
        }
    }
}
