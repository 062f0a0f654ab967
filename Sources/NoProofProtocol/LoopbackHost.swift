/// Which host names are this machine's loopback: the side ports (metrics, the web page) listen only
/// on these unless the operator names another host.
package enum LoopbackHost {
    /// 127.0.0.0/8, ::1 and `localhost`.
    package static func contains(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
