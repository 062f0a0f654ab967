package import Foundation

/// A year of the working-day calendar as stored: the data, its version (1 for the first
/// publication of the year, one more for each correction), who published it and when.
package struct PublishedCalendarYear: Hashable, Sendable {
    package var data: CalendarYear
    package var version: Int
    /// `unit/staff` of the publisher, or `shipped` for the years a new data folder starts with.
    package var publishedBy: String
    package var publishedAt: Date

    package init(data: CalendarYear, version: Int, publishedBy: String, publishedAt: Date) {
        self.data = data
        self.version = version
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }
}
