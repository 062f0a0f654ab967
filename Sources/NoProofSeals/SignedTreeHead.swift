import Crypto
import Foundation

/// A signed head of the audit log's Merkle tree (docs/AUDIT.md, "Signed tree heads"): the
/// tree's size and root at a moment, signed with the audit key. Witnesses keep these; a later
/// trail must contain a tree with the same root at that size.
///
/// The signature is Ed25519 over
///
///     "noproof.audit.sth.v1" ‖ tree_size (8 bytes, big-endian) ‖ timestamp_ms (8 bytes, big-endian) ‖ root (32 bytes)
package struct SignedTreeHead: Sendable, Hashable, Codable {
    package static let domain = Array("noproof.audit.sth.v1".utf8)

    package var treeSize: UInt64
    package var timestampMillis: Int64
    package var root: [UInt8]
    package var keyID: String
    package var signature: [UInt8]

    package init(treeSize: UInt64, timestampMillis: Int64, root: [UInt8], keyID: String, signature: [UInt8]) {
        self.treeSize = treeSize
        self.timestampMillis = timestampMillis
        self.root = root
        self.keyID = keyID
        self.signature = signature
    }

    /// The bytes signed for a head.
    package static func signedBytes(treeSize: UInt64, timestampMillis: Int64, root: [UInt8]) -> [UInt8] {
        var bytes = domain
        withUnsafeBytes(of: treeSize.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(bitPattern: timestampMillis).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: root)
        return bytes
    }

    /// Whether the signature is `publicKey`'s (raw 32-byte Ed25519) over this head.
    package func verifies(publicKey: [UInt8]) -> Bool {
        guard root.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Self.signedBytes(treeSize: treeSize, timestampMillis: timestampMillis, root: root))
    }

    package var rootHex: String { root.hex }

    package var timestampText: String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(timestampMillis) / 1000))
    }

    // One JSON object per line in a witness file: hex root and signature.
    private enum CodingKeys: String, CodingKey {
        case treeSize = "tree_size", timestampMillis = "timestamp_ms", root, keyID = "key_id", signature
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        treeSize = try container.decode(UInt64.self, forKey: .treeSize)
        timestampMillis = try container.decode(Int64.self, forKey: .timestampMillis)
        keyID = try container.decode(String.self, forKey: .keyID)
        guard let root = [UInt8](hex: try container.decode(String.self, forKey: .root)), root.count == 32 else {
            throw DecodingError.dataCorruptedError(forKey: .root, in: container, debugDescription: "root: 64 hex digits expected")
        }
        guard let signature = [UInt8](hex: try container.decode(String.self, forKey: .signature)), signature.count == 64 else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: container, debugDescription: "signature: 128 hex digits expected")
        }
        self.root = root
        self.signature = signature
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(treeSize, forKey: .treeSize)
        try container.encode(timestampMillis, forKey: .timestampMillis)
        try container.encode(root.hex, forKey: .root)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(signature.hex, forKey: .signature)
    }

    /// The head as one line of JSON (no newline), the witness file's form.
    package var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    package init?(jsonLine: some StringProtocol) {
        guard let head = try? JSONDecoder().decode(SignedTreeHead.self, from: Data(jsonLine.utf8)) else { return nil }
        self = head
    }
}

extension [UInt8] {
    package var hex: String { map { String(format: "%02x", $0) }.joined() }

    package init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}
