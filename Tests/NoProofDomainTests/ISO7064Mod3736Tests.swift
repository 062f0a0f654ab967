import Testing
@testable import NoProofDomain

@Suite struct ISO7064Mod3736Tests {
    /// Vectors: `A12425GABC1234002` -> `M` is the example published with python-stdnum's
    /// iso7064.mod_37_36; the others were computed with a separate 10-line Python implementation
    /// (P = 36; S = (P + v) mod 36, 0 -> 36; P = 2S mod 37; check v with (P + v) mod 36 = 1).
    static let vectors: [(String, Character)] = [
        ("A12425GABC1234002", "M"), ("0", "2"), ("A", "H"), ("Z", "4"), ("ABC", "Z"), ("1234567890", "I"),
        ("0000", "G"), ("ISO", "N"), ("HJDJ91350100M000100Y43SN0001001", "2"),
        ("HKB11370400MB0F000121202300000000001001", "I"),
    ]

    @Test func knownVectors() {
        for (text, check) in Self.vectors {
            #expect(ISO7064Mod3736.checkCharacter(for: text) == check, "\(text)")
            #expect(ISO7064Mod3736.isValid(text + String(check)), "\(text)")
        }
    }

    @Test func handComputedShortCase() {
        // "A" (value 10): S = (36 + 10) mod 36 = 10, P = 20 mod 37 = 20; check v: (20 + v) mod 36 = 1 -> v = 17 = "H".
        #expect(ISO7064Mod3736.checkCharacter(for: "A") == "H")
    }

    @Test func rejectsInvalidInput() {
        #expect(ISO7064Mod3736.checkCharacter(for: "") == nil)
        #expect(ISO7064Mod3736.checkCharacter(for: "abc") == nil)
        #expect(ISO7064Mod3736.checkCharacter(for: "A-1") == nil)
        #expect(!ISO7064Mod3736.isValid("A"))
        #expect(!ISO7064Mod3736.isValid("A12425GABC1234002N"))
        #expect(!ISO7064Mod3736.isValid("A12425GABC1234002m"))
    }

    @Test func detectsAllSingleSubstitutionsAndAdjacentTranspositions() {
        let base = Array("A12425GABC1234002M")
        for i in base.indices {
            for c in ISO7064Mod3736.alphabet where c != base[i] {
                var typo = base
                typo[i] = c
                #expect(!ISO7064Mod3736.isValid(String(typo)), "\(String(typo))")
            }
        }
        for i in 0..<(base.count - 1) where base[i] != base[i + 1] {
            var swapped = base
            swapped.swapAt(i, i + 1)
            #expect(!ISO7064Mod3736.isValid(String(swapped)), "\(String(swapped))")
        }
    }
}
