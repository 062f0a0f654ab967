import Crypto

/// RFC 9162 (Certificate Transparency v2) §2.1 proofs over trees of any size (64-bit indices):
/// the audit log's inclusion and consistency proofs (docs/AUDIT.md). Generation takes a function
/// giving the hash of a subtree `[start, end)` (the log computes these from its stored nodes);
/// verification needs only the proof.
extension MerkleTree {
    /// MTH({}) = SHA-256 of the empty string.
    package static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// Node hash, as RFC 9162: SHA-256(0x01 ‖ left ‖ right).
    package static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { nodeHash(left, right) }

    /// The largest power of two smaller than `n` (n ≥ 2).
    package static func split(_ n: UInt64) -> UInt64 {
        var k: UInt64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    // MARK: Generation

    /// PATH(m, D[0:n]) of RFC 9162 §2.1.3.1: the sibling hashes from leaf `index` up to the root
    /// of the tree of the first `size` leaves. `subtree(start, end)` gives MTH(D[start:end]).
    package static func inclusionPath(
        index: UInt64, size: UInt64,
        subtree: (UInt64, UInt64) throws -> [UInt8]
    ) rethrows -> [[UInt8]] {
        precondition(index < size)
        var path: [[UInt8]] = []
        func walk(_ m: UInt64, _ start: UInt64, _ end: UInt64) throws {
            let n = end - start
            if n <= 1 { return }
            let k = split(n)
            if m < k {
                try walk(m, start, start + k)
                path.append(try subtree(start + k, end))
            } else {
                try walk(m - k, start + k, end)
                path.append(try subtree(start, start + k))
            }
        }
        try walk(index, 0, size)
        return path
    }

    /// PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1: the consistency proof between the tree of the first
    /// `first` leaves and that of the first `second`. Empty when `first` is 0 or equals `second`.
    package static func consistencyProof(
        first: UInt64, second: UInt64,
        subtree: (UInt64, UInt64) throws -> [UInt8]
    ) rethrows -> [[UInt8]] {
        precondition(first <= second)
        if first == 0 || first == second { return [] }
        var proof: [[UInt8]] = []
        func sub(_ m: UInt64, _ start: UInt64, _ end: UInt64, _ complete: Bool) throws {
            let n = end - start
            if m == n {
                if !complete { proof.append(try subtree(start, end)) }
                return
            }
            let k = split(n)
            if m <= k {
                try sub(m, start, start + k, complete)
                proof.append(try subtree(start + k, end))
            } else {
                try sub(m - k, start + k, end, false)
                proof.append(try subtree(start, start + k))
            }
        }
        try sub(first, 0, second, true)
        return proof
    }

    // MARK: Verification

    /// The root implied by `leaf` at `index` in a tree of `size` leaves and its `path`
    /// (RFC 9162 §2.1.3.2); nil when the path cannot belong to such a tree.
    package static func root(leaf: [UInt8], index: UInt64, size: UInt64, path: [[UInt8]]) -> [UInt8]? {
        guard index < size else { return nil }
        var fn = index
        var sn = size - 1
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

    /// Whether `proof` shows the tree of `first` leaves with root `firstRoot` is a prefix of the
    /// tree of `second` leaves with root `secondRoot` (RFC 9162 §2.1.4.2).
    package static func verifyConsistency(
        first: UInt64, second: UInt64, firstRoot: [UInt8], secondRoot: [UInt8],
        proof: [[UInt8]]
    ) -> Bool {
        if first > second { return false }
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        if first == 0 { return proof.isEmpty }
        var proof = proof
        if first & (first - 1) == 0 { proof.insert(firstRoot, at: 0) }
        guard !proof.isEmpty, proof.allSatisfy({ $0.count == 32 }) else { return false }
        var fn = first - 1
        var sn = second - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = proof[0]
        var sr = proof[0]
        for c in proof.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0, fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}
