package import Foundation
package import NoProofDomain

/// Whether a list change was reported to the task force within the Art. 5 window of three
/// working days after its cause arose. Computed when the list is first submitted with the
/// change, and kept from then on: a rejection, a reopening and a resubmission do not move the
/// day it was reported (the unit reported it then; the task force's review time is not the
/// unit's delay), and the change is counted late at most once.
package struct ChangeTimeliness: Hashable, Sendable, Codable {
    /// The civil day (China Standard Time) on which the change was first submitted.
    package var reportedOn: CivilDate
    /// Working days after the cause date up to and including `reportedOn`.
    package var workingDaysElapsed: Int
    /// The last on-time day.
    package var deadline: CivilDate
    /// Whether the change was reported after `deadline`.
    package var late: Bool
    /// When the change was first reported (nil in records made before it was kept).
    package var firstSubmittedAt: Date?
    /// Which submission of the version first reported it (1 = the first; nil in older records).
    package var firstSubmission: Int?

    enum CodingKeys: String, CodingKey {
        case reportedOn, workingDaysElapsed, deadline, late
        case firstSubmittedAt = "first_submitted_at"
        case firstSubmission = "first_submission"
    }

    /// Creates a record.
    package init(
        reportedOn: CivilDate, workingDaysElapsed: Int, deadline: CivilDate, late: Bool, firstSubmittedAt: Date? = nil,
        firstSubmission: Int? = nil
    ) {
        self.reportedOn = reportedOn
        self.workingDaysElapsed = workingDaysElapsed
        self.deadline = deadline
        self.late = late
        self.firstSubmittedAt = firstSubmittedAt
        self.firstSubmission = firstSubmission
    }

    /// The timeliness of a change caused on `causeDate` and reported on `reportedOn`.
    /// - Throws: `CalendarError` when the window reaches a year with no published calendar.
    package static func assess(
        causeDate: CivilDate, reportedOn: CivilDate, calendar: HolidayCalendar,
        windowWorkingDays: Int = 3, firstSubmittedAt: Date? = nil,
        firstSubmission: Int? = nil
    ) throws(CalendarError) -> ChangeTimeliness {
        let elapsed = try calendar.workingDays(after: causeDate, through: reportedOn)
        let deadline = try calendar.workingDay(windowWorkingDays, after: causeDate)
        return ChangeTimeliness(
            reportedOn: reportedOn, workingDaysElapsed: elapsed, deadline: deadline,
            late: elapsed > windowWorkingDays, firstSubmittedAt: firstSubmittedAt, firstSubmission: firstSubmission)
    }
}
