import Foundation
import NoProofCodec
package import NoProofDomain
package import NoProofMessages
package import NoProofUnits

extension APICalendarYearInfo {
    /// The message of a published calendar year.
    package init(_ published: PublishedCalendarYear) {
        self.init(
            year: Int32(clamping: published.data.year), holidays: published.data.holidays.map(\.description),
            workingDays: published.data.workingDays.map(\.description), provisional: published.data.provisional,
            source: published.data.source, version: UInt32(clamping: published.version), publishedBy: published.publishedBy,
            publishedAtMillis: Int64((published.publishedAt.timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

extension CalendarYear {
    /// A calendar year from its message (version and publisher are the server's, ignored).
    /// - Throws: `ValidationError` naming `year.<field>` for a bad date or a year that fails `validate`.
    package init(message: APICalendarYearInfo) throws(ValidationError) {
        func dates(_ texts: [String], _ field: String) throws(ValidationError) -> [CivilDate] {
            var result: [CivilDate] = []
            for (index, text) in texts.enumerated() { result.append(try CivilDate.parse(text, field: "year.\(field)[\(index)]")) }
            return result
        }
        self.init(
            year: Int(message.year), holidays: try dates(message.holidays, "holidays"),
            workingDays: try dates(message.workingDays, "working_days"), provisional: message.provisional, source: message.source)
        do { try validate() } catch { throw ValidationError(field: "year.\(error.field)", reason: error.reason) }
    }
}
