/// A minimal, deterministic JSON writer for string maps: keys sorted, no whitespace, only the
/// escapes JSON requires. Equal maps always give byte-identical text.
package enum CanonicalJSON {
    /// `{"a":"1","b":"2"}` with keys in ascending order.
    package static func object(_ map: [String: String]) -> String {
        var out = "{"
        var first = true
        for key in map.keys.sorted() {
            if !first { out.append(",") }
            first = false
            appendString(key, to: &out)
            out.append(":")
            appendString(map[key]!, to: &out)
        }
        out.append("}")
        return out
    }

    /// Appends `s` as a quoted JSON string.
    package static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        var needsEscaping = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needsEscaping = true; break }
        if !needsEscaping {
            out.append(s)
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// Parses a JSON object whose values are all strings (`{"k":"v",...}`), as written by
    /// `object(_:)` or any other JSON writer. Returns `nil` for anything else (nested values,
    /// numbers, malformed text).
    package static func parseObject(_ text: String) -> [String: String]? {
        var text = text
        return text.withUTF8 { parseObject(utf8: $0) }
    }

    /// `parseObject(_:)` over UTF-8 bytes (e.g. a database column), without copying them first.
    package static func parseObject(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        var parser = Parser(bytes: bytes)
        return parser.object()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ b: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
            return true
        }

        mutating func object() -> [String: String]? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            // Sized once: each "key":"value" pair has four quotes (escaped ones only make the
            // estimate larger), so the dictionary is not grown and rehashed field by field.
            var quotes = 0
            for index in i..<bytes.count where bytes[index] == UInt8(ascii: "\"") { quotes &+= 1 }
            var result = [String: String](minimumCapacity: quotes / 4)
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                skipSpace()
                return i == bytes.count ? result : nil
            }
            while true {
                skipSpace()
                guard let key = string(), expect(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                guard let value = string() else { return nil }
                result[key] = value
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "}")) else { return nil }
                skipSpace()
                return i == bytes.count ? result : nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 48...57: d = UInt32(b - 48)
                case 65...70: d = UInt32(b - 55)
                case 97...102: d = UInt32(b - 87)
                default: return nil
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") {
                guard bytes[i] >= 0x20 else { return nil }
                i += 1
            }
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "\"") {
                defer { i += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            }
            var out = Array(bytes[start..<i])
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                guard b >= 0x20 else { return nil }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    i += 1
                    continue
                }
                i += 1
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        guard i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
                        i += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            }
            return nil
        }
    }
}
