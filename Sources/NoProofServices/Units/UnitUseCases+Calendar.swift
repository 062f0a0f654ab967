import Foundation
import NoProofAuditChain
import NoProofDomain
import NoProofUnitStore
package import NoProofUnits
import Logging
import NoProofProtocol

extension UnitUseCases {
    /// The published working-day calendar (public): `year` (0: every year), each year's version in
    /// force or, with `history`, every version; `notFound` for a year not published. With the
    /// office hours the deadlines count in.
    package func calendar(year: Int, history: Bool) async throws -> (years: [PublishedCalendarYear], officeHours: String) {
        let years: [PublishedCalendarYear]
        if history {
            var wanted = [year]
            if year == 0 {
                wanted = try await store.calendarYears().map(\.data.year)
            }
            var all: [PublishedCalendarYear] = []
            for year in wanted {
                all += try await store.calendarHistory(year: year)
            }
            years = all
        } else {
            years = try await store.calendarYears().filter { year == 0 || $0.data.year == year }
        }
        if year != 0, years.isEmpty {
            throw NoProofError(
                .notFound, "no working-day calendar is published for \(year); the task force office publishes it with 'noproof calendar load'")
        }
        return (years, store.calendarBook.clock.hours.description)
    }

    /// The task force office publishes one year of the working-day calendar (signed in; fail
    /// closed as `Calendar.Publish`: `intended`, then the version published); it is in force for
    /// new decisions at once.
    package func publishCalendarYear(_ year: Result<CalendarYear, any Error>, caller: Caller) async throws -> PublishedCalendarYear {
        let unit = caller.unit
        let staff = try await taskForceStaff(caller, to: "publish the working-day calendar")
        let year = try year.get()
        let moment = now()
        let intent = auditRecord(caller, action: .calendarPublish, staff: staff, subject: "CALENDAR \(year.year)", counterpart: unit.unitCode, at: moment)
        let published = try await audited(
            [intent],
            { () async throws in
                try await store.publishCalendarYear(year, by: "\(unit.unitCode)/\(staff)", at: moment)
            }, outcome: { published in [intent.with(result: .calendar(version: published.version, provisional: year.provisional))] })
        logger.info(
            "calendar year published",
            metadata: [
                "year": "\(year.year)", "version": "\(published.version)", "by": "\(staff)",
                "holidays": "\(year.holidays.count)", "working_days": "\(year.workingDays.count)",
            ])
        return published
    }
}
