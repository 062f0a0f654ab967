package import NoProofDomain

/// A date the working-day calendar cannot answer for: no calendar is published for its year.
/// The system refuses rather than guess (a year without its holidays would count every public
/// holiday as a working day).
package struct CalendarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The date asked about.
    package var date: CivilDate
    /// The years that are published.
    package var publishedYears: [Int]

    package init(date: CivilDate, publishedYears: [Int]) {
        self.date = date
        self.publishedYears = publishedYears.sorted()
    }

    package var message: String {
        let years = publishedYears.isEmpty ? "none" : publishedYears.map(String.init).joined(separator: ", ")
        return
            "no working-day calendar is published for \(date.year) (needed for \(date)); published years: \(years) — the task force office publishes the year's holidays and adjusted working days with 'noproof calendar load'"
    }

    package var description: String { message }
}
