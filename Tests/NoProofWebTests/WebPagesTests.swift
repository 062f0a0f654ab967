import Foundation
import NoProofCodec
import NoProofMessages
import Testing
@testable import NoProofWeb

@Suite("Web pages")
struct WebPagesTests {
    static func viewer(_ unitName: String) -> WebViewer {
        WebViewer(credentialID: "demo-water/agent-0001", unitCode: "91370400MA3C7WX81E", unitName: unitName, csrfToken: "t", signedInAt: Date())
    }

    static let hostile = "<script>alert('x')</script>水务"

    static func report(_ name: String, overdue: UInt64) -> APISupervisionReportResponse {
        APISupervisionReportResponse(
            fromDate: "2026-09-01", toDate: "2026-11-15",
            units: [
                APIUnitReport(
                    unitCode: "91370400MA3C7WX81E", unitName: name,
                    figures: [
                        APIReportFigure(key: "verification_overdue", label: "overdue", value: overdue, recorded: true),
                        APIReportFigure(key: "denied_calls", label: "denied", value: 2, recorded: true),
                    ], flags: [APIReportFlag(code: "repeated_overdue", rule: "r", detail: "<b>3</b>")])
            ])
    }

    @Test func aScriptInAUnitNameIsRenderedInert() throws {
        let period = try CivilPeriod.parse(from: "2026-09-01", to: "2026-11-15", today: Date())
        let units = [APIUnitInfo(code: "91370400MA3C7WX81E", name: Self.hostile)]
        let html = WebPages.supervision(
            Self.viewer(Self.hostile), units: units, selected: "91370400MA3C7WX81E", period: period,
            report: Self.report(Self.hostile, overdue: 3),
            monthly: period.months.map { (label: $0.label, report: Self.report(Self.hostile, overdue: 1)) })
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>3</b>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;水务"))
        // The page has no script at all and loads nothing from elsewhere.
        #expect(!html.contains("src="))
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
    }

    @Test func eachChartHasABarPerMonthWithTheMonthsFigure() throws {
        let period = try CivilPeriod.parse(from: "2026-09-10", to: "2026-11-15", today: Date())
        let monthly = period.months.enumerated().map { index, month in
            (label: month.label, report: Self.report("水务", overdue: UInt64(index + 1)))
        }
        let html = WebPages.supervision(
            Self.viewer("水务"), units: [], selected: "", period: period,
            report: Self.report("水务", overdue: 6), monthly: monthly)
        #expect(html.components(separatedBy: "<svg").count - 1 == WebPages.chartedFigures.count)
        #expect(html.components(separatedBy: "<rect class=\"bar\"").count - 1 == 3 * WebPages.chartedFigures.count)
        #expect(html.contains("data-label=\"2026-09\" data-value=\"1\""))
        #expect(html.contains("data-label=\"2026-11\" data-value=\"3\""))
    }

    @Test func theQueueIsOrderedByTimeLeftWithOverdueFirstAndMarked() {
        let now: Int64 = 1_800_000_000_000
        let requests = [
            APIVerificationRecord(requestID: "V-later", holderID: "370404199306107807", answerByMillis: now + 20 * 60_000, status: "filed"),
            APIVerificationRecord(
                requestID: "V-overdue", answerByMillis: now - 40 * 60_000, escalationByMillis: now - 10 * 60_000,
                status: "escalated", overdueAtMillis: now - 40 * 60_000),
            APIVerificationRecord(requestID: "V-soon", answerByMillis: now + 5 * 60_000, status: "taken", takenBy: "agent-0001"),
        ]
        #expect(WebPages.sortedQueue(requests).map(\.requestID) == ["V-overdue", "V-soon", "V-later"])
        let html = WebPages.queue(Self.viewer("民政局"), requests: requests, nowMillis: now)
        let order = ["V-overdue", "V-soon", "V-later"].map { html.range(of: "data-request=\"\($0)\"")!.lowerBound }
        #expect(order == order.sorted())
        #expect(html.contains("<tr class=\"overdue\" data-request=\"V-overdue\""))
        #expect(html.contains("<tr class=\"open\" data-request=\"V-soon\""))
        // The holder's number is not shown whole.
        #expect(!html.contains("370404199306107807"))
        #expect(html.contains("3704**********7807"))
    }

    @Test func periodsAreCheckedAndSplitIntoMonths() throws {
        let period = try CivilPeriod.parse(from: "2026-12-20", to: "2027-02-03", today: Date())
        #expect(period.months.map(\.label) == ["2026-12", "2027-01", "2027-02"])
        #expect(period.months.map(\.from) == ["2026-12-20", "2027-01-01", "2027-02-01"])
        #expect(period.months.map(\.to) == ["2026-12-31", "2027-01-31", "2027-02-03"])
        #expect(throws: CivilPeriod.Invalid.self) { try CivilPeriod.parse(from: "2026-02-30", to: nil, today: Date()) }
        #expect(throws: CivilPeriod.Invalid.self) { try CivilPeriod.parse(from: "2026-05-01", to: "2026-04-01", today: Date()) }
        #expect(throws: CivilPeriod.Invalid.self) { try CivilPeriod.parse(from: "2020-01-01", to: "2026-04-01", today: Date()) }
        // No dates: this month and the five before it, to today (China Standard Time).
        let defaults = try CivilPeriod.parse(from: nil, to: nil, today: Date(timeIntervalSince1970: 1_796_000_000))  // 2026-11-30 08:53 CST
        #expect(defaults == CivilPeriod(from: "2026-06-01", to: "2026-11-30"))
    }
}
