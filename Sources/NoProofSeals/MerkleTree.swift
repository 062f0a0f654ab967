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
        if leaves.count <= 1 { return [] }
        let split = largestPowerOfTwo(below: leaves.count)
        let middle = leaves.startIndex + split
        if index < split {
            return path(leaves[leaves.startIndex..<middle], index: index) + [root(leaves[middle...])]
        }
        return path(leaves[middle...], index: index - split) + [root(leaves[leaves.startIndex..<middle])]
    }

    /// The root implied by a leaf, its index, the tree size and its path (RFC 9162 §2.1.3.2);
    /// nil when the path cannot belong to such a tree.
    package static func root(leaf: [UInt8], index: UInt32, size: UInt32, path: [[UInt8]]) -> [UInt8]? {
        guard index < size else { return nil }
        var fn = UInt64(index)
        var sn = UInt64(size) - 1
        var result = leaf
        for sibling in path {
            guard sibling.count == 32, sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0, fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }

    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
