import Logging
import NIOCore

extension ServerConnectionHandler {
    /// Adds a connection's handlers: the call handler, then its management handler (the
    /// connection's clocks). Reads end in the call handler, so none passes the management handler.
    static func addConnectionHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, configuration: ServerConfiguration, registry: RPCRegistry,
        logger: Logger, statistics: ServerStatistics, sessions: LiveSessions = LiveSessions(), guards: ConnectionGuards? = nil
    ) throws {
        let management = ServerConnectionManagementHandler(configuration: configuration, logger: logger)
        let handler = ServerConnectionHandler(
            configuration: configuration, registry: registry, logger: logger, statistics: statistics,
            sessions: sessions, guards: guards, management: management)
        try pipeline.addHandler(handler)
        try pipeline.addHandler(management)
    }
}
