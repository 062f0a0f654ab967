/// Why bytes could not be turned into a message. Never a crash: every malformed input ends here.
@usableFromInline package struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    @usableFromInline package enum Kind: Hashable, Sendable {
        /// protobuf-c refused the bytes (truncated varint, bad wire type, length past the end...).
        case malformed
        /// A string field is not valid UTF-8.
        case invalidUTF8
        /// A string field holds a NUL byte (protobuf-c would silently cut it there).
        case embeddedNUL
        /// Messages nested deeper than the codec accepts.
        case tooDeep
        /// The bytes decoded, but a field's value is not acceptable (e.g. an unknown enum value).
        case invalidValue
    }

    @usableFromInline package var kind: Kind
    /// Fully qualified protobuf message name, e.g. "noproof.v1.CallHeader".
    @usableFromInline package var messageType: String
    /// Dotted field path within the message, when known.
    package var field: String?

    @usableFromInline package init(_ kind: Kind, messageType: String, field: String? = nil) {
        self.kind = kind
        self.messageType = messageType
        self.field = field
    }

    @usableFromInline package var description: String {
        let at = field.map { " field '\($0)'" } ?? ""
        switch kind {
        case .malformed: return "\(messageType): bytes are not a valid protobuf encoding of this message"
        case .invalidUTF8: return "\(messageType)\(at): string is not valid UTF-8"
        case .embeddedNUL: return "\(messageType)\(at): string contains a NUL byte"
        case .tooDeep: return "\(messageType): messages nested too deeply"
        case .invalidValue: return "\(messageType)\(at): value out of range"
        }
    }
}
