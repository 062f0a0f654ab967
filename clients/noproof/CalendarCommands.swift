import ArgumentParser
import Foundation
import NoProofClient
import NoProofCodec
import NoProofDomainMessages
import NoProofMessages
import NoProofUnits

/// `noproof calendar show|load`: the working-day calendar the task force office publishes.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The working-day calendar: public holidays and adjusted working days per year, and the office hours.",
        discussion: """
            Working days count the Art. 5 three-day window of list changes and items promised in working days; \
            the Art. 10 limits (30 minutes, 24 hours) run only in the office hours of working days. A date in a year \
            with no published calendar is refused, not guessed (docs/CALENDAR.md).
            """,
        subcommands: [CalendarShowCommand.self, CalendarLoadCommand.self]
    )
}

/// A calendar year as printed (`--json`) and as `load` reads it.
struct CalendarYearJSON: Codable {
    var year: Int
    var holidays: [String]
    var workingDays: [String]
    var provisional: Bool?
    var source: String?
    var version: UInt32?
    var publishedBy: String?
    var publishedAt: String?

    enum CodingKeys: String, CodingKey {
        case year, holidays
        case workingDays = "working_days"
        case provisional, source, version
        case publishedBy = "published_by"
        case publishedAt = "published_at"
    }

    init(_ info: APICalendarYearInfo) {
        year = Int(info.year)
        holidays = info.holidays
        workingDays = info.workingDays
        provisional = info.provisional
        source = info.source
        version = info.version
        publishedBy = info.publishedBy
        publishedAt = ListPrinter.time(info.publishedAtMillis)
    }

    var info: APICalendarYearInfo {
        APICalendarYearInfo(
            year: Int32(clamping: year), holidays: holidays, workingDays: workingDays, provisional: provisional ?? false,
            source: source ?? "")
    }
}

struct CalendarShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The published years (no credential needed) and the office hours.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "One year only.") var year: Int?
    @Flag(help: "Every published version, oldest first.") var history = false

    struct Output: Codable {
        var officeHours: String
        var years: [CalendarYearJSON]
        enum CodingKeys: String, CodingKey {
            case officeHours = "office_hours"
            case years
        }
    }

    func run() async throws {
        let (year, history) = (self.year ?? 0, self.history)
        let response = try await connection.withClient(authenticate: false) { client in try await client.calendar(year: year, history: history) }
        if connection.json {
            try printJSON(Output(officeHours: response.officeHours, years: response.years.map(CalendarYearJSON.init)))
            return
        }
        print("office hours (China Standard Time, working days): \(response.officeHours)")
        for y in response.years {
            let by = y.publishedBy == "shipped" ? "shipped with the system" : "published by \(y.publishedBy) \(ListPrinter.time(y.publishedAtMillis) ?? "")"
            print(
                "\(y.year) v\(y.version)\(y.provisional ? " PROVISIONAL" : ""): \(y.holidays.count) holidays, \(y.workingDays.count) adjusted working days; \(by)"
            )
            if !y.source.isEmpty { print("  source:       \(y.source)") }
            print("  holidays:     \(y.holidays.joined(separator: " "))")
            print("  working days: \(y.workingDays.isEmpty ? "-" : y.workingDays.joined(separator: " "))")
        }
    }
}

struct CalendarLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Task force: publish one or more years from a JSON file (a year object or an array of them).",
        discussion: """
            {"year": 2027, "holidays": ["2027-01-01", ...], "working_days": ["2027-02-20", ...], "provisional": false, \
            "source": "国务院办公厅关于2027年部分节假日安排的通知"}. Each year becomes its next version, in force at once for \
            new decisions (deadlines already computed keep theirs). Signed in as task force staff; audited as Calendar.Publish.
            """
    )
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var acting: StaffOption
    @Argument(help: "JSON file.") var file: String

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw ValidationError("cannot read \(file): \(error.localizedDescription)") }
        let years: [CalendarYearJSON]
        do {
            if let many = try? JSONDecoder().decode([CalendarYearJSON].self, from: data) {
                years = many
            } else {
                years = [try JSONDecoder().decode(CalendarYearJSON.self, from: data)]
            }
        } catch {
            throw ValidationError("\(file) is not a calendar year (or an array of them): \(error)")
        }
        let staff = acting.resolved
        let published = try await connection.withClient { client in
            var done: [APICalendarYearInfo] = []
            for year in years { done.append(try await client.publishCalendarYear(year.info, actingStaff: staff)) }
            return done
        }
        if connection.json { try printJSON(published.map(CalendarYearJSON.init)); return }
        for y in published {
            print(
                "published \(y.year) v\(y.version)\(y.provisional ? " (provisional)" : ""): \(y.holidays.count) holidays, \(y.workingDays.count) adjusted working days"
            )
        }
    }
}
