import NIOCore
package import NoProofServer

extension ServerConfiguration {
    /// A test server's configuration: a free loopback port, a short grace period (so that tests
    /// leaving calls open shut down quickly), and an authentication deadline a loaded machine
    /// cannot miss (the deadline itself is tested with short ones).
    package static var forTests: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = .milliseconds(300)
        configuration.authenticationTimeout = .seconds(120)
        return configuration
    }
}
