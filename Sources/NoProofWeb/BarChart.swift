/// A bar chart as inline SVG, rendered on the server: one `<rect class="bar">` per month, the
/// value above it and the month below. No script, nothing fetched.
struct BarChart {
    var title: String
    /// (label, value) per bar, in order.
    var bars: [(label: String, value: UInt64)]

    static let height = 150.0, barWidth = 34.0, gap = 10.0, top = 18.0, bottom = 22.0

    var svg: String {
        let width = Double(bars.count) * (Self.barWidth + Self.gap) + Self.gap
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        let plot = Self.height - Self.top - Self.bottom
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(Self.height))\" "
        out += "viewBox=\"0 0 \(Int(width)) \(Int(Self.height))\"><title>\(HTML.escape(title))</title>"
        out += "<line x1=\"0\" y1=\"\(Self.height - Self.bottom)\" x2=\"\(width)\" y2=\"\(Self.height - Self.bottom)\" stroke=\"#999\"/>"
        for (index, bar) in bars.enumerated() {
            let x = Self.gap + Double(index) * (Self.barWidth + Self.gap)
            let barHeight = (Double(bar.value) / Double(largest) * plot).rounded()
            let y = Self.height - Self.bottom - barHeight
            out += "<rect class=\"bar\" data-label=\"\(HTML.escape(bar.label))\" data-value=\"\(bar.value)\" x=\"\(x)\" y=\"\(y)\" "
            out += "width=\"\(Self.barWidth)\" height=\"\(barHeight)\" fill=\"\(bar.value > 0 ? "#b03a2e" : "#ccc")\"/>"
            out += "<text x=\"\(x + Self.barWidth / 2)\" y=\"\(y - 4)\" font-size=\"11\" text-anchor=\"middle\">\(bar.value)</text>"
            out += "<text x=\"\(x + Self.barWidth / 2)\" y=\"\(Self.height - 7)\" font-size=\"10\" text-anchor=\"middle\">\(HTML.escape(bar.label))</text>"
        }
        return out + "</svg>"
    }
}
