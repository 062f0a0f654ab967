package import CNoProofProtos

/// Per-call key/value metadata, in order. Keys are lower-case ASCII by convention.
package struct Metadata: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    package struct Entry: Hashable, Sendable {
        package var key: String
        package var value: String
        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    package var entries: [Entry]

    package init(_ entries: [Entry] = []) { self.entries = entries }

    package init(dictionaryLiteral elements: (String, String)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }

    /// The first value under `key`.
    package subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append(Entry(key: key, value: newValue)) }
        }
    }

    package var isEmpty: Bool { entries.isEmpty }
    package func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}

extension Metadata.Entry: ProtoMessage {
    package typealias CMessage = Noproof__V1__MetadataEntry
    package static var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        noproof__v1__metadata_entry__descriptor_ptr()
    }
    package func fill(_ c: inout CMessage, arena: inout CArena) {
        c.key = arena.string(key)
        c.value = arena.string(value)
    }
    package init(c: borrowing CMessage) throws(CodecError) {
        key = try String(protobufC: c.key)
        value = try String(protobufC: c.value)
    }
}
