import Crypto

/// The Merkle tree of RFC 9162 (Certificate Transparency) over proof bodies, for sealing many
/// proofs with one signature: leaf = SHA-256(0x00 ‖ body), node = SHA-256(0x01 ‖ left ‖ right),
/// split at the largest power of two below the size.
package enum MerkleTree {
    package static func leafHash(_ body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root over `leaves` (leaf hashes); `leaves` must not be empty.
    package static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return leaves.first! }
        let split = largestPowerOfTwo(below: leaves.count)
        let middle = leaves.startIndex + split
        return nodeHash(root(leaves[leaves.startIndex..<middle]), root(leaves[middle...]))
    }

    /// The audit path of leaf `index`: sibling hashes from the leaf up to the root.
    package static func path(_ leaves: ArraySlice<[UInt8]>, index: Int) -> [[UInt8]] {
        paths(Array(leaves))[index]
    }

    /// The audit paths of every leaf, from one bottom-up pass: O(n) hashes in all.
    ///
    /// Pairing neighbours level by level and carrying an unpaired last node up unchanged builds
    /// the same tree as RFC 9162's split at the largest power of two.
    package static func paths(_ leaves: [[UInt8]]) -> [[[UInt8]]] {
        var paths = [[[UInt8]]](repeating: [], count: leaves.count)
        var level = leaves
        // positions[i]: the node of the current level that leaf i lies under.
        var positions = Array(leaves.indices)
        while level.count > 1 {
            var next: [[UInt8]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index < level.count {
                if index + 1 < level.count {
                    next.append(nodeHash(level[index], level[index + 1]))
                } else {
                    next.append(level[index])
                }
                index += 2
            }
            for leaf in paths.indices {
                let position = positions[leaf]
                let sibling = position ^ 1
                if sibling < level.count { paths[leaf].append(level[sibling]) }
                positions[leaf] = position / 2
            }
            level = next
        }
        return paths
    }

    /// The root implied by a leaf, its index, the tree size and its path (RFC 9162 §2.1.3.2);
    /// nil when the path cannot belong to such a tree (a seal batch's 32-bit form).
    package static func root(leaf: [UInt8], index: UInt32, size: UInt32, path: [[UInt8]]) -> [UInt8]? {
        root(leaf: leaf, index: UInt64(index), size: UInt64(size), path: path)
    }

    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
