import Foundation

/// Masks personal data for logs (data minimisation): resident ID numbers keep their region
/// and last four characters (`370404********7807`), names keep their first character
/// (`张*`, `欧阳**`→`欧**`). Organisation codes are public and are not masked.
package enum PersonalDataMask {
    /// A resident ID number masked like `ResidentID.masked`; any other 18-character text the
    /// same way, shorter text entirely (it may still be a partial number).
    package static func residentID(_ text: String) -> String {
        if let id = try? ResidentID.parse(text, field: "holder_id") { return id.masked }
        guard text.count >= 10 else { return String(repeating: "*", count: text.count) }
        return String(text.prefix(6)) + String(repeating: "*", count: text.count - 10) + String(text.suffix(4))
    }

    /// A person's name with every character but the first hidden: `张三` → `张*`, `欧阳娜娜` → `欧***`,
    /// `Zhang San` → `Z********`.
    package static func name(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, trimmed.count - 1))
    }

    /// `text` with every resident ID number in it masked (free text such as error messages).
    package static func redact(_ text: String) -> String {
        guard text.utf8.count >= 18 else { return text }
        let range = NSRange(text.startIndex..., in: text)
        var result = text
        for match in residentIDPattern.matches(in: text, range: range).reversed() {
            guard let found = Range(match.range, in: result) else { continue }
            result.replaceSubrange(found, with: residentID(String(result[found])))
        }
        return result
    }

    /// 6-digit region, a 19xx/20xx birth date, 3-digit sequence, check character; not inside a longer token.
    private static let residentIDPattern = try! NSRegularExpression(
        pattern: "(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
    )
}
