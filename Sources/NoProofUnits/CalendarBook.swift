import Foundation
import NoProofDomain
import Synchronization

/// The working-day calendar in force, shared by everything that counts working days or office
/// time (the item-list machine, the verification deadlines and scheduler). The unit store fills
/// it from the published years at start-up and after every `Calendar.Publish`; readers take a
/// snapshot (`clock`, `calendar`) per decision.
package final class CalendarBook: Sendable {
    private let state: Mutex<OfficeClock>

    /// - Parameters:
    ///   - calendar: the calendar until the store loads the published years.
    ///   - hours: office hours (from the daemon's configuration).
    package init(calendar: HolidayCalendar = .default, hours: OfficeHours = .standard) {
        state = Mutex(OfficeClock(calendar: calendar, hours: hours))
    }

    /// The office clock now (calendar and hours).
    package var clock: OfficeClock { state.withLock { $0 } }

    /// The calendar now.
    package var calendar: HolidayCalendar { state.withLock { $0.calendar } }

    /// Replaces the calendar (the published years changed).
    package func replace(calendar: HolidayCalendar) {
        state.withLock { $0.calendar = calendar }
    }

    /// Replaces the office hours.
    package func replace(hours: OfficeHours) {
        state.withLock { $0.hours = hours }
    }
}
