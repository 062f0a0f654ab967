import Foundation
import Testing
@testable import NoProofDomain

@Suite("Timestamps")
struct TimestampTests {
    @Test func formattedTimestampsReadBackToTheirMillisecond() {
        for millis: Int64 in [0, 1, 125, 86_399_500, 1_750_000_000_123, 1_764_633_600_000, 4_102_444_799_999] {
            let text = Timestamp.format(Date(timeIntervalSince1970: Double(millis) / 1000))
            #expect(Timestamp.millis(text) == millis, "\(text)")
        }
        #expect(Timestamp.millis("2025-06-30T08:15:00Z") == 1_751_271_300_000)
        #expect(Timestamp.millis("2025-06-30T08:15:00.5Z") == 1_751_271_300_500)
        for bad in ["", "2025-06-30", "2025-06-30T08:15:00", "2025-13-30T08:15:00.000Z", "yesterdayTnoonZ"] {
            #expect(Timestamp.millis(bad) == nil, "\(bad)")
        }
    }
}
