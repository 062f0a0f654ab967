package import NoProofProtocol

/// A fixed set of credentials, for the demo server and tests.
package struct StaticCredentialAuthenticator: Authenticator {
    package struct Credential: Sendable {
        package var id: String
        package var secret: String
        package var unit: AuthenticatedUnit

        package init(id: String, secret: String, unit: AuthenticatedUnit) {
            self.id = id
            self.secret = secret
            self.unit = unit
        }
    }

    private let credentials: [String: Credential]

    package init(_ credentials: [Credential]) {
        self.credentials = Dictionary(credentials.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    package func authenticate(credentialID: String, secret: String) async throws(RPCError) -> AuthenticatedUnit {
        // Compare even for an unknown id so that timing does not tell which ids exist.
        let credential = credentials[credentialID]
        let matches = Self.constantTimeEqual(Array((credential?.secret ?? "\u{0}unknown").utf8), Array(secret.utf8))
        guard let credential, matches else {
            throw RPCError(.unauthenticated, "unknown credential or wrong secret")
        }
        return credential.unit
    }

    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
