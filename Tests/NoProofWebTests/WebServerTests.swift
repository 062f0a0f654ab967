import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NoProofAudit
import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol
import NoProofServer
import NoProofServices
import NoProofTestSupport
import NoProofUnits
import NoProofUnitStore
import Synchronization
import Testing
@testable import NoProofWeb

/// The web page against a real RPC server (the unit and supervision services over the demo
/// units, fixed credentials with the secret "secret"): what it shows is what the RPC layer allows.
@Suite("Web server over loopback")
struct WebServerTests {
    static let water = UnitDemoData.water.code.value
    static let taskForce = UnitDemoData.taskForce.code.value

    static var quiet: Logger {
        var logger = Logger(label: "web-test")
        logger.logLevel = ProcessInfo.processInfo.environment["NOPROOF_TEST_LOG"] == nil ? .critical : .trace
        return logger
    }

    /// The system credential `id` and a staff credential `id/STAFF-ID` per staff member of each unit.
    static func credentials(_ units: [(String, ServiceUnit)]) -> [StaticCredentialAuthenticator.Credential] {
        var all: [StaticCredentialAuthenticator.Credential] = []
        for (id, unit) in units {
            let roles: Set<String> = unit.isTaskForceOffice ? ["taskforce"] : []
            all.append(.init(id: id, secret: "secret", unit: AuthenticatedUnit(unitCode: unit.code.value, unitName: unit.name, credentialID: id, roles: roles)))
            for member in UnitDemoData.staff(of: unit.code) {
                let staffID = "\(id)/\(member.id)"
                all.append(
                    .init(
                        id: staffID, secret: "secret",
                        unit: AuthenticatedUnit(
                            unitCode: unit.code.value, unitName: unit.name, credentialID: staffID, roles: roles, staffID: member.id)))
            }
        }
        return all
    }

    /// Runs the RPC server and calls `body` with a web server reading through it, on `clock`.
    static func withWeb(
        clock: TestClock, _ body: @Sendable (WebServer, Int) async throws -> Void,
        afterTheServerStopped: @Sendable (WebServer) async throws -> Void = { _ in }
    ) async throws {
        let temporary = try TemporaryDirectory(prefix: "noproof-web")
        defer { temporary.remove() }
        let units = try SQLiteUnitStore(directory: temporary.url)
        _ = try await UnitDemoSeeding.seed(into: units)
        let audit = try AuditLog(directory: temporary.url)
        let gate = AccessGate(store: units, limits: nil, audit: audit, logger: quiet)
        try await gate.refresh()
        var registry = RPCRegistry()
        UnitService(store: units, gate: gate, audit: audit, credentialRounds: 1_000, logger: quiet).register(in: &registry)
        SupervisionService(audit: audit, units: units, logger: quiet).register(in: &registry)
        let configuration = ServerConfiguration.forTests
        let fixed = credentials([("taskforce", UnitDemoData.taskForce), ("water", UnitDemoData.water)])
        let server = NoProofServer(
            configuration: configuration, registry: registry,
            authenticator: UnitCredentialAuthenticator(store: units, fixed: fixed), logger: quiet)
        let web = Mutex<WebServer?>(nil)
        try await withRunningServer(server) { port in
            let started = try WebServer(configuration: .init(port: 0, rpcPort: port), logger: quiet, now: { clock.now })
            web.withLock { $0 = started }
            try await body(started, port)
        }
        let stopped = try #require(web.withLock { $0 })
        try await afterTheServerStopped(stopped)
        await stopped.sessions.endAll()
        await gate.close()
        audit.close()
        try units.close()
    }

    /// A browser's cookie jar over the test client.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        init(_ client: any TestClientProtocol) { self.client = client }

        struct Page { var status: HTTPResponse.Status; var headers: HTTPFields; var body: String }

        func request(_ uri: String, method: HTTPRequest.Method = .get, form: [(String, String)]? = nil, origin: String? = nil) async throws -> Page {
            var headers: HTTPFields = [:]
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if let origin { headers[.origin] = origin }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&"))
            }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            for line in response.headers[values: .setCookie] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let (name, value) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
                if line.contains("Max-Age=0") || value.isEmpty { cookies.removeValue(forKey: name) } else { cookies[name] = value }
            }
            return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }

        /// The sign-in form's CSRF token.
        func csrf(in page: Page) -> String {
            let marker = "name=\"csrf\" value=\""
            let start = page.body.range(of: marker)!.upperBound
            return String(page.body[start...].prefix { $0 != "\"" })
        }

        func signIn(_ credential: String, secret: String = "secret") async throws -> Page {
            let form = try await request("/login")
            return try await request("/login", method: .post, form: [("csrf", csrf(in: form)), ("credential", credential), ("secret", secret)])
        }
    }

    @Test func signInShowsWhoYouAreAndLogoutEndsTheSession() async throws {
        let clock = TestClock(Date())
        try await Self.withWeb(clock: clock) { web, _ in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                let before = try await browser.request("/")
                #expect(before.status == .seeOther && before.headers[.location] == "/login")
                let signedIn = try await browser.signIn("water/agent-0001")
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
                let cookie = signedIn.headers[values: .setCookie].first { $0.hasPrefix("np_session=") }!
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains("secret"))
                let home = try await browser.request("/")
                #expect(home.status == .ok)
                #expect(home.body.contains(UnitDemoData.water.name) && home.body.contains("water/agent-0001"))
                #expect(home.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(web.sessions.count == 1)
                // Logout needs the page's CSRF token.
                let refused = try await browser.request("/logout", method: .post, form: [("csrf", "forged")])
                #expect(refused.status == .forbidden)
                let token = browser.csrf(in: home)
                let out = try await browser.request("/logout", method: .post, form: [("csrf", token)])
                #expect(out.status == .seeOther && out.headers[.location] == "/login")
                #expect(web.sessions.count == 0)
                #expect(try await browser.request("/").status == .seeOther)
            }
        }
    }

    @Test func aWrongSecretIsRefusedAndOpensNoSession() async throws {
        try await Self.withWeb(clock: TestClock(Date())) { web, _ in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                let page = try await browser.signIn("water/agent-0001", secret: "not-the-secret")
                #expect(page.status == .unauthorized)
                #expect(page.body.contains("sign-in refused"))
                #expect(!page.body.contains("not-the-secret"))
                #expect(browser.cookies["np_session"] == nil)
                #expect(web.sessions.count == 0)
                #expect(try await browser.request("/").status == .seeOther)
            }
        }
    }

    @Test func signInChecksTheOriginAndTheFormToken() async throws {
        try await Self.withWeb(clock: TestClock(Date())) { web, _ in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                let form = try await browser.request("/login")
                let fields = [("csrf", browser.csrf(in: form)), ("credential", "water/agent-0001"), ("secret", "secret")]
                let crossSite = try await browser.request("/login", method: .post, form: fields, origin: "http://evil.example")
                #expect(crossSite.status == .forbidden)
                let forged = try await browser.request("/login", method: .post, form: [("csrf", "x")] + fields.dropFirst())
                #expect(forged.status == .forbidden)
                // Without the sign-in form's cookie (a post from elsewhere), the token proves nothing.
                let stranger = Browser(client)
                #expect(try await stranger.request("/login", method: .post, form: fields).status == .forbidden)
                #expect(web.sessions.count == 0)
            }
        }
    }

    @Test func aSessionExpiresWhenUnusedAndAtItsMaximumLifetime() async throws {
        let clock = TestClock(Date())
        try await Self.withWeb(clock: clock) { web, _ in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.signIn("water/agent-0001")
                clock.advance(by: web.configuration.sessionIdleLifetime - 60)
                #expect(try await browser.request("/").status == .ok)
                clock.advance(by: web.configuration.sessionIdleLifetime - 60)
                #expect(try await browser.request("/").status == .ok)
                clock.advance(by: web.configuration.sessionIdleLifetime + 1)
                let expired = try await browser.request("/")
                #expect(expired.status == .seeOther && expired.headers[.location] == "/login")
                #expect(web.sessions.count == 0)

                _ = try await browser.signIn("water/agent-0001")
                var used = 0.0
                while used + web.configuration.sessionIdleLifetime / 2 <= web.configuration.sessionMaxLifetime {
                    clock.advance(by: web.configuration.sessionIdleLifetime / 2)
                    used += web.configuration.sessionIdleLifetime / 2
                    #expect(try await browser.request("/").status == .ok)
                }
                clock.advance(by: web.configuration.sessionIdleLifetime / 2)
                #expect(try await browser.request("/").status == .seeOther)
            }
        }
    }

    @Test func aSessionEndsWhenItsRPCConnectionFails() async throws {
        let cookies = Mutex<[String: String]>([:])
        try await Self.withWeb(clock: TestClock(Date())) { web, _ in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.signIn("water/agent-0001")
                #expect(try await browser.request("/").status == .ok)
                cookies.withLock { $0 = browser.cookies }
            }
        } afterTheServerStopped: { web in
            // noproofd went away (its graceful stop closed every connection): the next page asks to sign in again.
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                browser.cookies = cookies.withLock { $0 }
                #expect(web.sessions.count == 1)
                let page = try await browser.request("/approvals")
                #expect(page.status == .seeOther && page.headers[.location] == "/login")
                #expect(web.sessions.count == 0)
            }
        }
    }

    @Test func aUnitsClerkIsRefusedTheTaskForceReportAsTheRPCLayerRefusesIt() async throws {
        try await Self.withWeb(clock: TestClock(Date())) { web, port in
            let direct = try await NoProofClient.connect(.init(port: port, credential: ("water/agent-0001", "secret")))
            let rpcRefusal = await failure { _ = try await direct.supervisionReport(from: "2026-01-01", to: "2026-01-31") }
            await direct.close()
            #expect(rpcRefusal?.code == .permissionDenied)
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.signIn("water/agent-0001")
                let refused = try await browser.request("/supervision?unit=&from=2026-01-01&to=2026-01-31")
                #expect(refused.status == .forbidden)
                #expect(refused.body.contains("PERMISSION_DENIED"))
                #expect(refused.body.contains(HTML.escape(rpcRefusal?.message ?? "no refusal")))
                // Its own unit's report it may read (the default for a unit).
                let own = try await browser.request("/supervision?from=2026-01-01&to=2026-02-15")
                #expect(own.status == .ok)
                #expect(own.body.contains(UnitDemoData.water.name))
                #expect(own.body.components(separatedBy: "<rect class=\"bar\"").count - 1 == 2 * WebPages.chartedFigures.count)
                let invalid = try await browser.request("/supervision?from=2026-13-01")
                #expect(invalid.status == .badRequest)
            }
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.signIn("taskforce/supervisor-0001")
                let all = try await browser.request("/supervision?from=2026-01-01&to=2026-01-31")
                #expect(all.status == .ok)
                for unit in UnitDemoData.units { #expect(all.body.contains(HTML.escape(unit.name))) }
            }
        }
    }

    @Test func theApprovalsInboxListsASubmittedVersion() async throws {
        try await Self.withWeb(clock: TestClock(Date())) { web, port in
            try await web.application().test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.signIn("taskforce/supervisor-0001")
                let empty = try await browser.request("/approvals")
                #expect(empty.status == .ok)
                #expect(!empty.body.contains("data-unit=\"\(Self.water)\""))
                let water = try await NoProofClient.connect(.init(port: port, credential: ("water/agent-0001", "secret")))
                var draft = try await water.createDraft(unitCode: Self.water, staff: nil)
                // A revision must change something: the last item is withdrawn, declared today.
                let today = try CivilPeriod.parse(from: nil, to: nil, today: Date()).to
                let withdrawn = try #require(draft.items.last)
                draft = try await water.saveDraft(
                    unitCode: Self.water, version: draft.version, items: Array(draft.items.dropLast()),
                    changes: [APIDeclaredChange(kind: "reduce", item: withdrawn.code, cause: "web test", causeDate: today)],
                    staff: nil)
                let submitted = try await water.submitList(unitCode: Self.water, version: draft.version, staff: nil)
                await water.close()
                let inbox = try await browser.request("/approvals")
                #expect(inbox.body.contains("data-unit=\"\(Self.water)\" data-version=\"\(submitted.version)\""))
                #expect(inbox.body.contains(UnitDemoData.water.name))
            }
        }
    }
}
