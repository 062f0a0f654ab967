/// An `application/x-www-form-urlencoded` body: `+` is a space, `%XX` a byte (UTF-8).
struct FormBody {
    private(set) var fields: [String: String] = [:]

    struct Invalid: Error, CustomStringConvertible { var description: String }

    init(_ body: String) throws(Invalid) {
        for pair in body.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0]), value = try Self.decode(parts.count > 1 ? parts[1] : "")
            guard fields[key] == nil else { throw Invalid(description: "the form field '\(key)' is given twice") }
            fields[key] = value
        }
    }

    subscript(_ key: String) -> String? { fields[key] }

    static func decode(_ text: Substring) throws(Invalid) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hex), let low = iterator.next().flatMap(Self.hex) else {
                    throw Invalid(description: "the form has a malformed %-escape")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw Invalid(description: "the form is not UTF-8") }
        return string
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
