/// A walk over the top-level fields of an encoded protobuf message, without decoding it: where each
/// field starts and where its value lies. For the few places that look at a message's layout before
/// (or instead of) decoding it — the CALL frame's request split (`CallFrame`) and the row count of an
/// import checked before its rows are decoded.
package enum ProtoWire {
    /// One top-level field.
    package struct Field {
        /// The field number (1 or more).
        package var number: UInt64
        /// The wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
        package var wireType: UInt64
        /// Offset of the field's tag.
        package var start: Int
        /// The value's bytes (for a length-delimited field, without its length prefix).
        package var value: Range<Int>
    }

    /// Calls `body` for each top-level field in order until it returns false. Returns false when
    /// the bytes are not a well-formed sequence of fields (a truncated value, field number 0, a tag
    /// beyond 32 bits, a group or an unknown wire type) or `body` stopped the walk; true when every
    /// field was visited.
    @discardableResult
    package static func walk(_ bytes: UnsafeRawBufferPointer, _ body: (Field) -> Bool) -> Bool {
        var index = 0
        while index < bytes.count {
            let start = index
            guard let tag = readVarint(bytes, &index), tag <= UInt64(UInt32.max), tag >> 3 != 0 else { return false }
            let valueStart: Int
            switch tag & 7 {
            case 0:
                valueStart = index
                guard readVarint(bytes, &index) != nil else { return false }
            case 1:
                guard bytes.count - index >= 8 else { return false }
                valueStart = index
                index += 8
            case 2:
                guard let length = readVarint(bytes, &index), length <= UInt64(bytes.count - index) else { return false }
                valueStart = index
                index += Int(length)
            case 5:
                guard bytes.count - index >= 4 else { return false }
                valueStart = index
                index += 4
            default:
                return false  // groups, invalid wire types
            }
            guard body(Field(number: tag >> 3, wireType: tag & 7, start: start, value: valueStart..<index)) else { return false }
        }
        return true
    }

    /// `walk` over an array's bytes.
    @discardableResult
    package static func walk(_ bytes: [UInt8], _ body: (Field) -> Bool) -> Bool {
        bytes.withUnsafeBytes { walk($0, body) }
    }

    private static func readVarint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
