import Foundation
import NoProofCodec
import NoProofMessages

/// The pages as HTML, from the RPC answers (no I/O here). Every value is escaped.
enum WebPages {
    /// The figures charted per month on the supervision page: (report key, label).
    static let chartedFigures: [(key: String, label: String)] = [
        ("verification_overdue", "逾期未答复 Overdue answers"),
        ("verification_second_breaches", "二次超时 Second breaches"),
        ("list_changes_late", "清单变更迟报 Late list changes"),
        ("denied_calls", "拒绝的调用 Denials"),
        ("harvesting_suspected", "疑似批量获取 Harvesting flags"),
    ]

    /// The figures of the period's table, before the charted ones.
    static let tableFigures: [(key: String, label: String)] =
        [("lookups", "共享调用 Lookups"), ("verification_received", "收到核验 Verifications received")]
        + chartedFigures

    static func login(csrf: String, message: String?) -> String {
        var body = ""
        if let message { body += "<p class=\"error\">\(HTML.escape(message))</p>" }
        body += """
            <form method="post" action="/login">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            <label>凭证 Credential ID <input name="credential" autocomplete="username" size="40" required placeholder="UNIT/STAFF-ID"></label>
            <label>密钥 Secret <input name="secret" type="password" autocomplete="current-password" size="40" required></label>
            <button type="submit">登录 Sign in</button>
            </form>
            <p class="hint">Sign in with your own staff credential (<code>UNIT/STAFF-ID</code>, README “staff credential”). The page reads
            through noproofd’s RPC port as you: what you may see is what the RPC layer lets you see. Read-only.</p>
            """
        return HTML.page(title: "登录 Sign in", viewer: nil, body: body)
    }

    static func home(_ viewer: WebViewer) -> String {
        var body = "<table><tr><th>单位 Unit</th><td>\(HTML.escape(viewer.unitName)) (\(HTML.escape(viewer.unitCode)))</td></tr>"
        body += "<tr><th>凭证 Credential</th><td>\(HTML.escape(viewer.credentialID))</td></tr>"
        if let staff = viewer.staffID { body += "<tr><th>工作人员 Staff</th><td>\(HTML.escape(staff))</td></tr>" }
        body += "<tr><th>登录时间 Signed in</th><td>\(CivilPeriod.time(Int64(viewer.signedInAt.timeIntervalSince1970 * 1000)))</td></tr></table>"
        body += """
            <ul>
            <li><a href="/supervision">监督报告 Supervision report</a>: per unit and period, with monthly charts</li>
            <li><a href="/approvals">待审批清单 Approvals inbox</a>: list versions submitted and waiting for approval</li>
            <li><a href="/queue">核验队列 Verification queue</a>: your unit's open requests, by time left</li>
            </ul>
            """
        return HTML.page(title: "无证明城市 NoProof", viewer: viewer, body: body)
    }

    /// An RPC refusal or failure, as the RPC layer worded it.
    static func failure(_ viewer: WebViewer?, title: String, status: String, message: String) -> String {
        HTML.page(title: title, viewer: viewer, body: "<p class=\"error\"><strong>\(HTML.escape(status))</strong>: \(HTML.escape(message))</p>")
    }

    static func figure(_ row: APIUnitReport, _ key: String) -> UInt64? {
        row.figures.first { $0.key == key && $0.recorded }?.value
    }

    /// The supervision page: the form, the period's table (one row per unit) with the flags, and
    /// one bar chart per charted figure with a bar per month (summed over the rows shown).
    static func supervision(
        _ viewer: WebViewer, units: [APIUnitInfo], selected: String, period: CivilPeriod,
        report: APISupervisionReportResponse, monthly: [(label: String, report: APISupervisionReportResponse)]
    ) -> String {
        var body = "<form class=\"filter\" method=\"get\" action=\"/supervision\"><label>单位 Unit <select name=\"unit\">"
        body += "<option value=\"\"\(selected.isEmpty ? " selected" : "")>全部单位 All units (task force office)</option>"
        for unit in units {
            body += "<option value=\"\(HTML.escape(unit.code))\"\(unit.code == selected ? " selected" : "")>\(HTML.escape(unit.name))</option>"
        }
        body += "</select></label> <label>从 From <input name=\"from\" value=\"\(HTML.escape(period.from))\" size=\"10\"></label>"
        body += " <label>至 To <input name=\"to\" value=\"\(HTML.escape(period.to))\" size=\"10\"></label> <button type=\"submit\">显示 Show</button></form>"

        body += "<h2>\(HTML.escape(report.fromDate)) – \(HTML.escape(report.toDate))</h2><div class=\"charts\">"
        for (key, label) in chartedFigures {
            let bars = monthly.map { month -> (label: String, value: UInt64) in
                (month.label, month.report.units.reduce(UInt64(0)) { $0 + (figure($1, key) ?? 0) })
            }
            body += "<figure data-figure=\"\(key)\"><figcaption>\(HTML.escape(label))</figcaption>\(BarChart(title: label, bars: bars).svg)</figure>"
        }
        body += "</div><h2>各单位 Per unit</h2><table id=\"report\"><tr><th>单位 Unit</th>"
        for (_, label) in tableFigures { body += "<th>\(HTML.escape(label))</th>" }
        body += "<th>标记 Flags</th></tr>"
        for row in report.units {
            body += "<tr><td>\(HTML.escape(row.unitName))<br><small>\(HTML.escape(row.unitCode))</small></td>"
            for (key, _) in tableFigures {
                body += "<td class=\"num\">\(figure(row, key).map(String.init) ?? "—")</td>"
            }
            body +=
                "<td>"
                + row.flags.map { flag in
                    "<span class=\"mark\">\(HTML.escape(flag.code))</span> \(HTML.escape(flag.detail))"
                        + (flag.exempted ? " <em>(豁免 exempted: \(HTML.escape(flag.exemption)))</em>" : "")
                }.joined(separator: "<br>") + "</td></tr>"
        }
        body += "</table>"
        if !report.rules.isEmpty {
            body += "<details><summary>标记规则 Flag rules</summary><ul>" + report.rules.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></details>"
        }
        return HTML.page(title: "监督报告 Supervision report", viewer: viewer, body: body)
    }

    /// The approvals inbox: every list version with status "submitted" the session may see.
    static func approvals(_ viewer: WebViewer, waiting: [(unit: APIUnitInfo, list: APIItemList)]) -> String {
        var body = "<p>\(waiting.count) 个清单版本待审批 list version(s) waiting for approval.</p>"
        body += "<table id=\"approvals\"><tr><th>单位 Unit</th><th>版本 Version</th><th>基于 Based on</th><th>提交时间 Submitted</th>"
        body += "<th>提交人 By</th><th>事项 Items</th><th>申报变更 Declared changes</th></tr>"
        for (unit, list) in waiting {
            body +=
                "<tr data-unit=\"\(HTML.escape(unit.code))\" data-version=\"\(list.version)\"><td>\(HTML.escape(unit.name))<br><small>\(HTML.escape(unit.code))</small></td>"
            body += "<td class=\"num\">v\(list.version)</td><td class=\"num\">\(list.basedOn == 0 ? "—" : "v\(list.basedOn)")</td>"
            body += "<td>\(CivilPeriod.time(list.submittedAtMillis))</td><td>\(HTML.escape(list.submittedBy))</td>"
            body += "<td class=\"num\">\(list.items.count)</td><td class=\"num\">\(list.changes.count)</td></tr>"
        }
        body += "</table><p class=\"hint\">Approve or reject with <code>noproof list approve|reject</code> (task force supervisor, own staff credential).</p>"
        return HTML.page(title: "待审批清单 Approvals inbox", viewer: viewer, body: body)
    }

    /// The deadline a request must be answered by now: the supervisor's once escalated, else the answer limit.
    static func deadline(_ request: APIVerificationRecord) -> Int64 {
        request.status == "escalated" && request.escalationByMillis != 0 ? request.escalationByMillis : request.answerByMillis
    }

    /// The open requests of the queue, least time left first (overdue ones first of all).
    static func sortedQueue(_ requests: [APIVerificationRecord]) -> [APIVerificationRecord] {
        requests.sorted { (deadline($0), $0.requestID) < (deadline($1), $1.requestID) }
    }

    /// A resident ID or credit code with its middle hidden (the page shows whose request it is, not the number).
    static func masked(_ id: String) -> String {
        guard id.count > 8 else { return String(repeating: "*", count: id.count) }
        return String(id.prefix(4)) + String(repeating: "*", count: id.count - 8) + String(id.suffix(4))
    }

    static func duration(_ millis: Int64) -> String {
        let minutes = abs(millis) / 60_000
        return minutes >= 120 ? "\(minutes / 60) 小时 h \(minutes % 60) 分 min" : "\(minutes) 分钟 min"
    }

    static func queue(_ viewer: WebViewer, requests: [APIVerificationRecord], nowMillis: Int64) -> String {
        let sorted = sortedQueue(requests)
        let overdue = sorted.filter { nowMillis > deadline($0) || $0.overdueAtMillis != 0 }.count
        var body = "<p>\(HTML.escape(viewer.unitName)): \(sorted.count) 个待办核验 open request(s), \(overdue) 个逾期 overdue.</p>"
        body += "<table id=\"queue\"><tr><th>剩余时间 Time left</th><th>请求 Request</th><th>申请单位 Requesting unit</th><th>证明 Proof</th>"
        body += "<th>申请人 Holder</th><th>时限规则 Rule</th><th>答复期限 Answer by</th><th>状态 Status</th><th>承办人 Taken by</th></tr>"
        for request in sorted {
            let left = deadline(request) - nowMillis
            let isOverdue = left < 0 || request.overdueAtMillis != 0
            body += "<tr class=\"\(isOverdue ? "overdue" : "open")\" data-request=\"\(HTML.escape(request.requestID))\" data-left-ms=\"\(left)\"><td>"
            body += isOverdue ? "<span class=\"mark\">逾期 OVERDUE</span> \(left < 0 ? duration(left) : "")" : duration(left)
            body += "</td><td>\(HTML.escape(request.requestID))</td><td>\(HTML.escape(request.requestingUnitName))</td>"
            body += "<td>\(HTML.escape(request.proofType))</td><td>\(HTML.escape(masked(request.holderID)))</td>"
            body += "<td>\(HTML.escape(request.deadlineRule))</td><td>\(CivilPeriod.time(deadline(request)))</td>"
            body += "<td>\(HTML.escape(request.status))\(request.secondBreachAtMillis != 0 ? " <span class=\"mark\">二次超时 second breach</span>" : "")</td>"
            body += "<td>\(HTML.escape(request.takenBy.isEmpty ? "—" : request.takenBy))</td></tr>"
        }
        body += "</table>"
        return HTML.page(title: "核验队列 Verification queue", viewer: viewer, body: body)
    }
}
