/// The connection preface: 7 ASCII bytes "NOPROOF" then one version byte. Both peers send it.
package enum Preface {
    package static let magic: [UInt8] = Array("NOPROOF".utf8)
    package static let version: UInt8 = 1
    package static let length = 8
    package static var bytes: [UInt8] { magic + [version] }

    package enum Verdict: Equatable, Sendable {
        case accepted
        /// The magic is wrong: not a NoProof peer.
        case notNoProof
        /// NoProof, but a version this build does not speak.
        case unsupportedVersion(UInt8)
    }

    /// Judges the first `length` bytes a peer sent.
    package static func check(_ received: some Collection<UInt8>) -> Verdict {
        guard received.count >= length, received.prefix(magic.count).elementsEqual(magic) else { return .notNoProof }
        let peerVersion = received[received.index(received.startIndex, offsetBy: magic.count)]
        return peerVersion == version ? .accepted : .unsupportedVersion(peerVersion)
    }
}
