extension String {
    /// The text with leading zeros up to `width` characters (numbers in dates and tokens).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
