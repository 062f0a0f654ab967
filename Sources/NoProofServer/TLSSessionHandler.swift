import Logging
import NIOCore
import NIOSSL
import NIOTLS
import NoProofCodec
import NoProofProtocol

/// Sits between the TLS handler and the connection handler. Logs a failed handshake at debug
/// with its reason (the connection alone closes; others are untouched). With mutual TLS it
/// authenticates the connection by the verified client certificate before the connection
/// handler sees a byte: reads are held while the certificate's credential is looked up, then
/// the unit is handed on (`ClientCertificateAuthenticated`) — or, for a certificate that is not
/// registered, whose credential was revoked or expired, the server preface is followed by
/// GOAWAY naming the reason, and the connection closes.
final class TLSSessionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case handshaking
        /// Looking up the client certificate; reads are held and data is kept.
        case authenticating(held: [ByteBuffer], readRequested: Bool)
        /// The certificate identified `unit`; waiting for the whole client preface, so that the
        /// connection handler gets the preface, then the unit, then the frames.
        case authenticated(AuthenticatedUnit, held: ByteBuffer)
        case passing
        case refused
    }

    private let authenticator: (any Authenticator)?
    private var logger: Logger
    private var state = State.handshaking

    /// - Parameter authenticator: set for mutual TLS (the client certificate authenticates).
    init(authenticator: (any Authenticator)?, logger: Logger) {
        self.authenticator = authenticator
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "peer"] = "\(context.channel.remoteAddress?.description ?? "?")"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .authenticating(var held, let readRequested):
            held.append(unwrapInboundIn(data))
            state = .authenticating(held: held, readRequested: readRequested)
        case .authenticated(let unit, var held):
            var bytes = unwrapInboundIn(data)
            held.writeBuffer(&bytes)
            state = .authenticated(unit, held: held)
            release(context: context)
        case .refused:
            break
        case .handshaking, .passing:
            context.fireChannelRead(data)
        }
    }

    func read(context: ChannelHandlerContext) {
        switch state {
        case .authenticating(let held, _):
            state = .authenticating(held: held, readRequested: true)
        case .handshaking, .passing, .authenticated, .refused:
            // Refused connections still read: the TLS layer must see the peer's close_notify.
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch state {
        case .handshaking:
            logger.debug("TLS handshake failed", metadata: ["reason": "\(error)"])
            state = .refused
            context.close(promise: nil)
            return
        case .refused:
            return  // the connection is already on its way out; its reason was logged
        case .authenticating, .authenticated, .passing:
            break
        }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let tls = event as? TLSUserEvent, case .handshakeCompleted = tls, case .handshaking = state else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let version = (try? context.pipeline.syncOperations.nioSSL_tlsVersion()).map { "\($0)" } ?? "?"
        guard let authenticator else {
            logger.trace("TLS handshake completed", metadata: ["tls": "\(version)"])
            state = .passing
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate(),
            let der = try? certificate.toDERBytes()
        else {
            // The handshake requires a verified certificate, so this does not happen; refuse anyway.
            refuse(RPCError(.unauthenticated, "no client certificate was presented"), context: context)
            return
        }
        state = .authenticating(held: [], readRequested: false)
        context.fireUserInboundEventTriggered(event)
        let presented = ClientCertificate(der: der, subject: certificate.description)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        Task {
            let result: Result<AuthenticatedUnit, RPCError>
            do throws(RPCError) {
                result = .success(try await authenticator.authenticate(clientCertificate: presented))
            } catch {
                result = .failure(error)
            }
            bound.eventLoop.execute {
                let (handler, context) = bound.value
                handler.authenticationFinished(result, context: context)
            }
        }
    }

    private func authenticationFinished(_ result: Result<AuthenticatedUnit, RPCError>, context: ChannelHandlerContext) {
        guard case .authenticating(let held, let readRequested) = state, context.channel.isActive else { return }
        switch result {
        case .success(let unit):
            logger.debug("client certificate accepted", metadata: ["unit": "\(unit.unitCode)", "credential": "\(unit.credentialID)"])
            var joined = context.channel.allocator.buffer(capacity: held.reduce(0) { $0 + $1.readableBytes })
            for var buffer in held { joined.writeBuffer(&buffer) }
            state = .authenticated(unit, held: joined)
            release(context: context)
            if readRequested { context.read() }
        case .failure(let error):
            refuse(error, context: context)
        }
    }

    /// Once the client preface is in: hands on the preface, then the unit, then the rest.
    private func release(context: ChannelHandlerContext) {
        guard case .authenticated(let unit, var held) = state, held.readableBytes >= Preface.length else { return }
        state = .passing
        let preface = held.readSlice(length: Preface.length)!
        context.fireChannelRead(wrapInboundOut(preface))
        context.fireUserInboundEventTriggered(ClientCertificateAuthenticated(unit: unit))
        if held.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(held)) }
        context.fireChannelReadComplete()
    }

    /// Answers the client's preface with ours and GOAWAY carrying the reason, then closes.
    private func refuse(_ error: RPCError, context: ChannelHandlerContext) {
        logger.debug("client certificate refused", metadata: ["status": "\(error.code)", "reason": "\(error.message)"])
        state = .refused
        var buffer = context.channel.allocator.buffer(capacity: 64 + error.message.utf8.count)
        buffer.writeBytes(Preface.bytes)
        buffer.writeFrame(type: .goAway, callID: 0, message: GoAway(lastCallID: 0, code: error.code.rawValue, message: error.message))
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.close(promise: nil)
    }
}
