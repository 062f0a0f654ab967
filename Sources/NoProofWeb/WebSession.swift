import Foundation
import NoProofClient

/// One person signed in to the web page: their own authenticated RPC connection to noproofd
/// (the secret is not kept: it served once, to authenticate the connection), the random session
/// token (the cookie's value) and when the session was last used.
struct WebSession: Sendable {
    let token: String
    let viewer: WebViewer
    var lastSeen: Date
    let client: NoProofClient
}
