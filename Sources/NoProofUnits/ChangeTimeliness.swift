import Foundation
import NoProofDomain

/// Whether a list change was reported to the task force within the Art. 5 window of three
/// working days after its cause arose. Computed when the list is submitted.
package struct ChangeTimeliness: Hashable, Sendable, Codable {
    /// The civil day (China Standard Time) on which the change was submitted.
    package var reportedOn: CivilDate
    /// Working days after the cause date up to and including `reportedOn`.
    package var workingDaysElapsed: Int
    /// The last on-time day.
    package var deadline: CivilDate
    /// Whether the change was reported after `deadline`.
    package var late: Bool

    /// Creates a record.
    package init(reportedOn: CivilDate, workingDaysElapsed: Int, deadline: CivilDate, late: Bool) {
        self.reportedOn = reportedOn
        self.workingDaysElapsed = workingDaysElapsed
        self.deadline = deadline
        self.late = late
    }

    /// The timeliness of a change caused on `causeDate` and reported on `reportedOn`.
    package static func assess(causeDate: CivilDate, reportedOn: CivilDate, calendar: HolidayCalendar,
                               windowWorkingDays: Int = 3) -> ChangeTimeliness {
        let elapsed = calendar.workingDays(after: causeDate, through: reportedOn)
        return ChangeTimeliness(reportedOn: reportedOn, workingDaysElapsed: elapsed,
                                deadline: calendar.workingDay(windowWorkingDays, after: causeDate),
                                late: elapsed > windowWorkingDays)
    }
}
