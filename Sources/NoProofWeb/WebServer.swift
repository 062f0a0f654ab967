package import Foundation
import HTTPTypes
package import Hummingbird
package import Logging
package import NIOCore
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol
import ServiceLifecycle
import Synchronization

/// The read-only supervision and queue web page (docs/WEB.md) as a `Service`: a Hummingbird
/// HTTP/1.1 server on a loopback address unless another was asked for explicitly. It holds no
/// store: each signed-in person has their own authenticated RPC connection to noproofd, so what
/// the page shows is what the RPC layer lets that person see (authorization, purpose rules, rate
/// limits and the audit trail are the RPC layer's).
///
/// Every page is a GET; the only POSTs are sign-in and logout, which check the Origin header
/// and a CSRF token. The session token travels only in an HttpOnly, SameSite=Strict cookie.
package final class WebServer: Service, Sendable {
    static let sessionCookie = "np_session"
    static let loginCookie = "np_login"
    /// The largest sign-in or logout form accepted.
    static let maxFormBytes = 4096

    let configuration: WebConfiguration
    let sessions: WebSessions
    let logger: Logger
    private let now: @Sendable () -> Date
    private let bound: Bound

    /// Throws `WebConfiguration.NotLoopback` for a non-loopback host not explicitly allowed.
    package init(configuration: WebConfiguration, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard configuration.allowNonLoopback || LoopbackHost.contains(configuration.host) else {
            throw WebConfiguration.NotLoopback(host: configuration.host)
        }
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.sessions = WebSessions(idleLifetime: configuration.sessionIdleLifetime, maxLifetime: configuration.sessionMaxLifetime, now: now)
        self.bound = Bound()
    }

    /// The address listened on, once it is (the real port when 0 was asked).
    package func listeningAddress() async throws -> SocketAddress {
        try await bound.address()
    }

    /// The Hummingbird application serving the pages (run by `run`; tests drive it directly).
    package func application() -> some ApplicationProtocol {
        let (bound, logger) = (self.bound, self.logger)
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                guard let address = channel.localAddress else { return }
                bound.resolve(address)
                let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "127.0.0.1"
                logger.info("web page listening", metadata: ["url": "http://\(host):\(address.port ?? 0)/"])
            },
            logger: logger
        )
    }

    package func run() async throws {
        let application = self.application()
        do {
            try await application.run()
        } catch {
            bound.fail(error)
            await sessions.endAll()
            throw error
        }
        await sessions.endAll()
        logger.info("web page stopped")
    }

    // MARK: Routes

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/login") { [self] request, _ in loginForm(message: nil, status: .ok) }
        router.post("/login") { [self] request, _ in try await login(request) }
        router.post("/logout") { [self] request, _ in try await logout(request) }
        router.get("/") { [self] request, _ in
            try await page(request) { session in Self.html(WebPages.home(session.viewer)) }
        }
        router.get("/supervision") { [self] request, _ in
            let query = request.uri.queryParameters
            return try await page(request) { session in
                try await supervision(
                    session, unit: query["unit"].map(String.init), from: query["from"].map(String.init),
                    to: query["to"].map(String.init))
            }
        }
        router.get("/approvals") { [self] request, _ in
            try await page(request) { session in try await approvals(session) }
        }
        router.get("/queue") { [self] request, _ in
            try await page(request) { session in
                let requests = try await session.client.verificationQueue(limit: 1000)
                return Self.html(WebPages.queue(session.viewer, requests: requests, nowMillis: Int64((now().timeIntervalSince1970 * 1000).rounded(.down))))
            }
        }
        return router
    }

    /// A signed-in page: without a live session, a redirect to the sign-in form; an RPC failure
    /// is shown as the RPC layer worded it, with the matching HTTP status.
    private func page(_ request: Request, _ body: (WebSession) async throws -> Response) async throws -> Response {
        guard let session = sessions.session(request.cookies[Self.sessionCookie]?.value) else {
            return Self.redirect(to: "/login")
        }
        do {
            return try await body(session)
        } catch let error as RPCError {
            let status: HTTPResponse.Status
            switch error.code {
            case .permissionDenied: status = .forbidden
            case .invalidArgument, .failedPrecondition: status = .badRequest
            case .notFound: status = .notFound
            case .resourceExhausted: status = .tooManyRequests
            case .unauthenticated, .unavailable:
                // The connection closed (idle past the RPC idle timeout, the credential revoked, the
                // server restarting): the session ends, and the person signs in again.
                sessions.end(session.token)
                logger.debug("web session ended: its RPC connection failed", metadata: ["status": "\(error.code.name)"])
                return Self.redirect(to: "/login")
            default: status = .internalServerError
            }
            logger.debug("web page call refused", metadata: ["path": "\(request.uri.path)", "status": "\(error.code.name)"])
            return Self.html(
                WebPages.failure(session.viewer, title: "无法显示 Cannot show this page", status: error.code.name, message: error.message),
                status: status)
        } catch let error as CivilPeriod.Invalid {
            return Self.html(
                WebPages.failure(
                    session.viewer, title: "无法显示 Cannot show this page", status: "INVALID_ARGUMENT",
                    message: error.description), status: .badRequest)
        }
    }

    /// `unit` nil: the task force office's report of every unit, another unit's own; "" every unit.
    private func supervision(_ session: WebSession, unit: String?, from: String?, to: String?) async throws -> Response {
        let units = try await session.client.listUnits()
        let own = units.first { $0.code == session.viewer.unitCode }
        // No unit asked: the task force office sees every unit, a unit its own report.
        let selected = unit ?? (own?.taskForceOffice == true ? "" : session.viewer.unitCode)
        let period = try CivilPeriod.parse(from: from, to: to, today: now())
        let report = try await session.client.supervisionReport(from: period.from, to: period.to, unitCode: selected)
        var monthly: [(label: String, report: APISupervisionReportResponse)] = []
        for month in period.months {
            monthly.append((month.label, try await session.client.supervisionReport(from: month.from, to: month.to, unitCode: selected)))
        }
        return Self.html(WebPages.supervision(session.viewer, units: units, selected: selected, period: period, report: report, monthly: monthly))
    }

    private func approvals(_ session: WebSession) async throws -> Response {
        var waiting: [(unit: APIUnitInfo, list: APIItemList)] = []
        for unit in try await session.client.listUnits() {
            let lists = try await session.client.itemList(of: unit.code)
            for version in lists.versions where version.status == "submitted" { waiting.append((unit, version)) }
        }
        waiting.sort { ($0.list.submittedAtMillis, $0.unit.code) < ($1.list.submittedAtMillis, $1.unit.code) }
        return Self.html(WebPages.approvals(session.viewer, waiting: waiting))
    }

    // MARK: Sign-in and logout

    private func loginForm(message: String?, status: HTTPResponse.Status) -> Response {
        let csrf = WebSessions.randomToken()
        var response = Self.html(WebPages.login(csrf: csrf, message: message), status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: csrf, maxAge: 600, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    /// The Origin of a form post must be this page's own (`http://` + its Host), when the browser sends one.
    private static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)"
    }

    private func form(_ request: Request) async throws -> FormBody? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: Self.maxFormBytes) else { return nil }
        return try? FormBody(String(buffer: buffer))
    }

    private func login(_ request: Request) async throws -> Response {
        guard Self.sameOrigin(request) else {
            return Self.plain("sign-in refused: the form was posted from another site (Origin)", status: .forbidden)
        }
        guard let form = try await form(request) else {
            return loginForm(message: "表单无效 the sign-in form is malformed or larger than \(Self.maxFormBytes) bytes", status: .badRequest)
        }
        guard let expected = request.cookies[Self.loginCookie]?.value, let given = form["csrf"], Self.constantTimeEqual(expected, given) else {
            return loginForm(message: "表单已过期 the sign-in form expired or did not come from this page; sign in again", status: .forbidden)
        }
        let credential = (form["credential"] ?? "").trimmingCharacters(in: .whitespaces), secret = form["secret"] ?? ""
        guard !credential.isEmpty, !secret.isEmpty else {
            return loginForm(message: "请填写凭证和密钥 give the credential ID and the secret", status: .badRequest)
        }
        let client: NoProofClient
        do {
            client = try await NoProofClient.connect(.init(host: configuration.rpcHost, port: configuration.rpcPort, credential: (credential, secret)))
        } catch let error as RPCError where error.code == .unauthenticated {
            logger.debug("web sign-in refused")
            return loginForm(message: "登录失败 sign-in refused: \(error.message)", status: .unauthorized)
        } catch let error as RPCError {
            return loginForm(message: "登录失败 sign-in failed: \(error.code.name): \(error.message)", status: .serviceUnavailable)
        }
        let session = sessions.open(credentialID: credential, client: client)
        var response = Self.redirect(to: "/")
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: session.token, maxAge: Int(configuration.sessionMaxLifetime), path: "/",
                httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    private func logout(_ request: Request) async throws -> Response {
        guard Self.sameOrigin(request) else {
            return Self.plain("logout refused: the form was posted from another site (Origin)", status: .forbidden)
        }
        if let session = sessions.session(request.cookies[Self.sessionCookie]?.value) {
            guard let form = try await form(request), let given = form["csrf"], Self.constantTimeEqual(session.viewer.csrfToken, given) else {
                return Self.plain("logout refused: the form did not come from this page (CSRF token)", status: .forbidden)
            }
            sessions.end(session.token)
        }
        var response = Self.redirect(to: "/login")
        response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Responses

    /// No script, no frames, nothing from elsewhere; never cached.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the form posts.
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func plain(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func redirect(to path: String) -> Response {
        var headers = securityHeaders
        headers[.location] = path
        return Response(status: .seeOther, headers: headers)
    }
}

extension WebServer {
    /// The listening address, once known (or the failure to bind).
    final class Bound: Sendable {
        private let state = Mutex<(address: Result<SocketAddress, any Error>?, waiters: [CheckedContinuation<SocketAddress, any Error>])>((nil, []))

        func resolve(_ address: SocketAddress) { complete(.success(address)) }
        func fail(_ error: any Error) { complete(.failure(error)) }

        private func complete(_ result: Result<SocketAddress, any Error>) {
            let waiters = state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
                guard state.address == nil else { return [] }
                state.address = result
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(with: result) }
        }

        func address() async throws -> SocketAddress {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<SocketAddress, any Error>? in
                    if let address = state.address { return address }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}
