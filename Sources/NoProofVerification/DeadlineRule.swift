package import Foundation
package import NoProofDomain
package import NoProofUnits

/// The Art. 10 time limit that applies to a request, decided when it is filed.
package enum DeadlineRule: String, Codable, Hashable, Sendable, CaseIterable {
    /// 即办件: verify at once, send within 30 minutes.
    case immediateItem = "immediate_item"
    /// A database-backed proof whose database is not yet connected: within 30 minutes.
    case unconnectedDatabase = "unconnected_database"
    /// 承诺件: within 24 hours...
    case commitment24h = "commitment_24h"
    /// ...and never later than the item's promised completion time (which came first).
    case commitmentPromisedTime = "commitment_promised_time"
    /// A commitment case already past (or within 30 minutes of) its promised completion time when
    /// filed: it may still be verified, within the Art. 10 minimum of 30 minutes from filing, so
    /// the issuing unit is never given less than that.
    case commitmentMinimum = "commitment_minimum"

    /// 30 minutes: immediate items, unconnected databases, returns, the supervisor's limit.
    package static let shortLimit: TimeInterval = 30 * 60
    /// 24 hours: commitment items.
    package static let commitmentLimit: TimeInterval = 24 * 3600

    package var summary: String {
        switch self {
        case .immediateItem: "immediate item (即办件): 30 minutes"
        case .unconnectedDatabase: "database-backed proof not yet connected: 30 minutes"
        case .commitment24h: "commitment item (承诺件): 24 hours"
        case .commitmentPromisedTime: "commitment item: the item's promised completion time (before 24 hours)"
        case .commitmentMinimum: "commitment item past (or within 30 minutes of) its promised completion time: the Art. 10 minimum, 30 minutes"
        }
    }

    /// What the requesting and issuing units are told when the deadline is not the plain limit
    /// of the item's kind (empty otherwise).
    package static func note(rule: DeadlineRule, promisedCompletionAt: Date?) -> String {
        guard rule == .commitmentMinimum, let promisedCompletionAt else { return "" }
        return
            "the case's promised completion time \(VerificationRequest.format(promisedCompletionAt)) had passed or was less than 30 minutes away when the request was filed; it may still be verified, within the Art. 10 minimum of 30 minutes from filing"
    }
}

/// The service item's kind as the request records it.
package enum VerificationItemKind: String, Codable, Hashable, Sendable {
    case immediate
    case commitment
}

/// The deadlines of a request, computed when it is filed (Art. 10).
package struct VerificationDeadlines: Hashable, Sendable {
    package var rule: DeadlineRule
    /// Send the proof (or the "not on record" answer) by then.
    package var answerBy: Date
    /// Return a request that is not the unit's duty by then.
    package var returnBy: Date

    /// The 30-minute and 24-hour limits run on `clock`: in office time (the office hours of
    /// working days) in the server, round the clock only where a test says so.
    /// - Parameters:
    ///   - databaseBacked: the proof is a licence type of a database that is not yet connected.
    ///   - promisedCompletionAt: commitment items: when the item must be finished (required).
    ///   - clock: the office clock.
    /// - Throws: `.invalid` for a missing promised time; `.wrongState` when the limit runs into a
    ///   year with no published working-day calendar.
    package static func compute(
        filedAt: Date, itemKind: VerificationItemKind, databaseBacked: Bool,
        promisedCompletionAt: Date?, clock: OfficeClock = .roundTheClock
    ) throws(NoProofError) -> VerificationDeadlines {
        let returnBy = try office(clock, DeadlineRule.shortLimit, after: filedAt)
        if itemKind == .immediate {
            return VerificationDeadlines(rule: .immediateItem, answerBy: returnBy, returnBy: returnBy)
        }
        if databaseBacked {
            return VerificationDeadlines(rule: .unconnectedDatabase, answerBy: returnBy, returnBy: returnBy)
        }
        guard let promised = promisedCompletionAt else {
            throw .invalid("promised_completion_at_millis", "required for a commitment item (承诺件): when the item must be finished")
        }
        // A case already past its promised time (or nearly) may still be verified: the issuing
        // unit gets the Art. 10 minimum, never less (a requester cannot shorten it).
        if promised < returnBy {
            return VerificationDeadlines(rule: .commitmentMinimum, answerBy: returnBy, returnBy: returnBy)
        }
        let cap = try office(clock, DeadlineRule.commitmentLimit, after: filedAt)
        if promised < cap {
            return VerificationDeadlines(rule: .commitmentPromisedTime, answerBy: promised, returnBy: min(returnBy, promised))
        }
        return VerificationDeadlines(rule: .commitment24h, answerBy: cap, returnBy: returnBy)
    }

    /// `limit` of office time after `start` on `clock`.
    /// - Throws: `.wrongState` when no calendar is published for a day the count needs.
    package static func office(_ clock: OfficeClock, _ limit: TimeInterval, after start: Date) throws(NoProofError) -> Date {
        do {
            return try clock.adding(limit, to: start)
        } catch {
            throw NoProofError(.conflict, "the Art. 10 time limit cannot be counted: \(error.message)")
        }
    }

    /// When a commitment item accepted at `acceptedAt` must be finished: after so many hours, or
    /// at the end (24:00 China Standard Time) of the n-th working day after the day of acceptance.
    /// - Throws: `.wrongState` when the working days run into a year with no published calendar.
    package static func promisedCompletion(_ time: PromisedTime, acceptedAt: Date, calendar: HolidayCalendar = .default) throws(NoProofError) -> Date {
        switch time {
        case .hours(let hours):
            return acceptedAt.addingTimeInterval(TimeInterval(hours) * 3600)
        case .workingDays(let days):
            let last: CivilDate
            do {
                last = try calendar.workingDay(days, after: CivilDate(acceptedAt))
            } catch {
                throw NoProofError(.conflict, "the item's promised completion time cannot be counted: \(error.message)")
            }
            return Date(timeIntervalSince1970: TimeInterval(last.daysSinceEpoch + 1) * 86_400 - 8 * 3600)
        }
    }
}
