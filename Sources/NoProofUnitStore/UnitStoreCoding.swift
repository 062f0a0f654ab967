package import Foundation

/// How every unit store backend keeps times and list documents, so that the SQLite and PostgreSQL
/// stores hold the same values: times as milliseconds since 1970 (truncated), list versions and
/// calendar years as JSON documents with sorted keys and times in milliseconds.
package enum UnitStoreCoding {
    /// Milliseconds since 1970 (times are kept to the millisecond).
    package static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    /// The instant `millis` milliseconds after 1970.
    package static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    /// `date` truncated to the millisecond.
    package static func truncated(_ date: Date) -> Date { self.date(millis(date)) }

    /// The encoder of stored documents (list versions, calendar years).
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UnitStoreCoding.millis(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The decoder of stored documents.
    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            UnitStoreCoding.date(try decoder.singleValueContainer().decode(Int64.self))
        }
        return decoder
    }()
}
