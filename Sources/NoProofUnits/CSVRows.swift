/// A small RFC 4180 CSV reader: comma-separated fields, double-quoted fields with `""` escapes
/// and embedded line breaks, CRLF or LF line ends, an optional UTF-8 byte-order mark.
package enum CSVRows {
    /// The rows of `text`, each a list of field values.
    package static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var justClosedQuote = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endField() { row.append(field); field = ""; justClosedQuote = false }
        func endRow() { endField(); rows.append(row); row = [] }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\""); i += 1
                    } else {
                        inQuotes = false; justClosedQuote = true
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty && !justClosedQuote: inQuotes = true
                case ",": endField()
                case "\r": if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }; endRow()
                case "\n": endRow()
                default: field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty || inQuotes { endRow() }
        return rows
    }
}
