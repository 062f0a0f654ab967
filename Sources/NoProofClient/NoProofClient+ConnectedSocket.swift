package import NIOCore
import NIOPosix
import NoProofCodec
import NoProofProtocol

extension NoProofClient {
    /// Connects over an already-connected stream socket — one end of a `socketpair`, whose other
    /// end a server serves (`NoProofServer.serve(connectedSocket:)`) — then, as `connect`, exchanges
    /// prefaces, waits for the server's SETTINGS and authenticates if a credential is configured.
    /// The connection owns the descriptor and closes it. `configuration`'s host and port only name
    /// the server in messages (and TLS's server name).
    package static func connect(
        connectedSocket socket: NIOBSDSocket.Handle, _ configuration: Configuration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NoProofClient {
        try await open(configuration, group: group, failure: "cannot use the connected socket to the server") {
            $0.withConnectedSocket(socket)
        }
    }
}
