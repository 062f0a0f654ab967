/// HTML text built by the pages: every value from the RPC layer (unit names are Chinese text
/// from the database, and may hold anything) goes through `escape` before it is written.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted attributes.
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static let style = """
        body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","PingFang SC",sans-serif;margin:0;color:#222;background:#fafafa}
        header{background:#8b1a1a;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}
        header a{color:#fff} header .who{margin-left:auto;font-size:.9em}
        main{padding:1em 1.5em;max-width:72em}
        table{border-collapse:collapse;margin:.5em 0 1.5em} th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
        th{background:#eee} td.num{text-align:right}
        tr.overdue td{background:#fde2e2} .mark{color:#b00;font-weight:bold}
        .charts{display:flex;flex-wrap:wrap;gap:1em} figure{margin:0;background:#fff;border:1px solid #ddd;padding:.5em}
        figcaption{font-size:.9em;margin-bottom:.3em} .error{color:#b00;border:1px solid #b00;padding:.5em;background:#fff0f0}
        form.inline{display:inline} label{display:block;margin:.4em 0} form.filter label{display:inline-block;margin-right:1em}
        .hint{color:#666;font-size:.9em}
        """

    /// A whole page: the header with the pages' links (and the signed-in person with a logout
    /// button, when `viewer` is given) around `body`.
    static func page(title: String, viewer: WebViewer?, body: String) -> String {
        var header = "<header><strong>无证明城市 NoProof</strong>"
        if let viewer {
            header += "<a href=\"/\">首页 Home</a><a href=\"/supervision\">监督报告 Supervision</a>"
            header += "<a href=\"/approvals\">待审批清单 Approvals</a><a href=\"/queue\">核验队列 Queue</a>"
            header += "<span class=\"who\">\(escape(viewer.unitName)) · \(escape(viewer.credentialID)) "
            header += "<form class=\"inline\" method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(escape(viewer.csrfToken))\">"
            header += "<button type=\"submit\">退出 Log out</button></form></span>"
        }
        header += "</header>"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(title)) · NoProof</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head>
            <body>\(header)<main><h1>\(escape(title))</h1>
            \(body)
            </main></body></html>
            """
    }
}
