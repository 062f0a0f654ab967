/// ISO/IEC 7064 MOD 37,36 — the hybrid system over the 36 symbols `0-9A-Z` (values 0...35)
/// that protects national electronic-licence identifiers.
///
/// Starting with `P = 36`, each character `c` gives `S = (P + value(c)) mod 36` (0 read as 36)
/// and then `P = 2·S mod 37`. The check character is the symbol `v` with `(P + v) mod 36 == 1`,
/// so that a string followed by its check character ends with `S == 1`.
package enum ISO7064Mod3736 {
    /// The 36-symbol alphabet; a symbol's value is its index.
    package static let alphabet: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// ASCII byte -> value, or -1 when the byte is not in the alphabet (lowercase is rejected).
    static let valueTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c.asciiValue!)] = Int8(i) }
        return table
    }()

    /// The check character for `text`, or `nil` when `text` is empty or holds a character outside
    /// `0-9A-Z`.
    package static func checkCharacter(for text: String) -> Character? {
        guard let p = runningProduct(text.utf8) else { return nil }
        let v = ((1 - p) % 36 + 36) % 36
        return alphabet[v]
    }

    /// Whether the last character of `textWithCheck` is the correct check character for the rest.
    package static func isValid(_ textWithCheck: String) -> Bool {
        let bytes = Array(textWithCheck.utf8)
        guard bytes.count >= 2, let p = runningProduct(bytes.dropLast()) else { return false }
        let v = valueTable[Int(bytes[bytes.count - 1])]
        guard v >= 0 else { return false }
        return (p + Int(v)) % 36 == 1
    }

    /// `P` after consuming `bytes` starting from `p`; the bytes must already be known to be in the
    /// alphabet.
    static func step(_ start: Int, _ bytes: ArraySlice<UInt8>) -> Int {
        var p = start
        for b in bytes {
            var s = (p + Int(valueTable[Int(b)])) % 36
            if s == 0 { s = 36 }
            p = (s * 2) % 37
        }
        return p
    }

    /// `P` after consuming `bytes`; `nil` for empty input or a byte outside the alphabet.
    static func runningProduct<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        var p = 36
        for b in bytes {
            let v = valueTable[Int(b)]
            guard v >= 0 else { return nil }
            var s = (p + Int(v)) % 36
            if s == 0 { s = 36 }
            p = (s * 2) % 37
        }
        return p
    }
}
