import Logging
import NIOCore
import NIOHTTP1

/// One HTTP connection of the metrics endpoint: `GET /metrics` (a query string is ignored) gets
/// the exposition, anything else 404; then the connection closes.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: NoProofMetrics
    private let logger: Logger
    private var request: HTTPRequestHead?
    private var answering = false

    init(metrics: NoProofMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request, !answering else { return }
            answering = true
            let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard path == "/metrics", head.method == .GET else {
                respond(status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("not found: GET /metrics\n".utf8), context: context)
                return
            }
            let metrics = self.metrics
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask { await metrics.exposition() }.whenSuccess { body in
                let (handler, context) = bound.value
                handler.respond(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body, context: context)
            }
        }
    }

    private func respond(status: HTTPResponseStatus, contentType: String, body: [UInt8], context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("metrics connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
