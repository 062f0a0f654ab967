/// The roots of a growing RFC 9162 tree from its leaves in order, in O(log n) memory: the
/// perfect subtrees covering the leaves so far (a "compact range"), largest first. Used to
/// recompute the audit log's root at every witnessed size in one pass over the records.
package struct MerkleFrontier: Sendable {
    /// (leaf count, hash) of each perfect subtree, left to right; counts strictly decrease.
    private var nodes: [(count: UInt64, hash: [UInt8])] = []
    package private(set) var size: UInt64 = 0

    package init() {}

    /// Appends a leaf hash (SHA-256(0x00 ‖ entry)).
    package mutating func append(leaf: [UInt8]) {
        var node = (count: UInt64(1), hash: leaf)
        while let last = nodes.last, last.count == node.count {
            nodes.removeLast()
            node = (last.count * 2, MerkleTree.node(last.hash, node.hash))
        }
        nodes.append(node)
        size += 1
    }

    /// MTH of the leaves so far: the subtrees folded right to left.
    package var root: [UInt8] {
        guard var result = nodes.last?.hash else { return MerkleTree.emptyRoot }
        for node in nodes.dropLast().reversed() { result = MerkleTree.node(node.hash, result) }
        return result
    }
}
