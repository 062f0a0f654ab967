import NoProofDomain

/// An incremental RFC 4180 CSV parser: feed it byte chunks, take complete records out.
///
/// Handles quoted fields with embedded commas, doubled quotes and line breaks, CRLF or LF line
/// ends, a UTF-8 byte-order mark, and skips blank lines. Each record carries the physical line
/// number on which it starts, so reports match what an editor shows.
struct CSVRecordParser {
    /// One parsed record.
    struct Record {
        /// The record's cells.
        var fields: [String]
        /// 1-based line number of the record's first line.
        var line: Int
        /// Set when the record is malformed (unterminated quote at end of input).
        var error: String?
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var line = 1
    private var sawStart = false

    /// Appends the next chunk of input.
    mutating func append(_ bytes: some Collection<UInt8>) {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        if !sawStart, buffer.count >= 3 {
            sawStart = true
            if buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
    }

    /// The next complete record, or `nil` when more input is needed (or, at end of input, when
    /// everything has been consumed).
    mutating func next(atEndOfInput: Bool) -> Record? {
        if atEndOfInput, !sawStart {
            sawStart = true
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
        while true {
            guard position < buffer.count else { return nil }
            // Skip blank lines.
            if buffer[position] == 0x0A { position += 1; line += 1; continue }
            if buffer[position] == 0x0D {
                if position + 1 < buffer.count, buffer[position + 1] == 0x0A { position += 2; line += 1; continue }
                if position + 1 >= buffer.count && !atEndOfInput { return nil }
                position += 1
                continue
            }
            return parseRecord(atEndOfInput: atEndOfInput)
        }
    }

    private mutating func parseRecord(atEndOfInput: Bool) -> Record? {
        var fields: [String] = []
        var i = position
        var newlines = 0
        var scratch: [UInt8] = []
        let count = buffer.count
        while true {
            // Start of a field.
            if i < count, buffer[i] == 0x22 {
                // Quoted field.
                scratch.removeAll(keepingCapacity: true)
                i += 1
                var closed = false
                while i < count {
                    let b = buffer[i]
                    if b == 0x22 {
                        if i + 1 < count {
                            if buffer[i + 1] == 0x22 { scratch.append(0x22); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if !atEndOfInput { return nil }
                        i += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { newlines += 1 }
                    scratch.append(b)
                    i += 1
                }
                if !closed {
                    if !atEndOfInput { return nil }
                    fields.append(String(decoding: scratch, as: UTF8.self))
                    let record = Record(fields: fields, line: line, error: "unterminated quoted field")
                    position = count
                    line += newlines + 1
                    return record
                }
                // Tolerate stray characters between the closing quote and the delimiter.
                while i < count, buffer[i] != 0x2C, buffer[i] != 0x0A, buffer[i] != 0x0D {
                    scratch.append(buffer[i])
                    i += 1
                }
                fields.append(String(decoding: scratch, as: UTF8.self))
            } else {
                let start = i
                while i < count, buffer[i] != 0x2C, buffer[i] != 0x0A, buffer[i] != 0x0D { i += 1 }
                fields.append(String(decoding: buffer[start..<i], as: UTF8.self))
            }
            // After a field: delimiter, line end, or end of buffer.
            if i >= count {
                if !atEndOfInput { return nil }
                let record = Record(fields: fields, line: line)
                position = count
                line += newlines + 1
                return record
            }
            let b = buffer[i]
            if b == 0x2C { i += 1; continue }
            if b == 0x0D {
                if i + 1 >= count && !atEndOfInput { return nil }
                i += (i + 1 < count && buffer[i + 1] == 0x0A) ? 2 : 1
            } else {
                i += 1
            }
            let record = Record(fields: fields, line: line)
            position = i
            line += newlines + 1
            return record
        }
    }
}
