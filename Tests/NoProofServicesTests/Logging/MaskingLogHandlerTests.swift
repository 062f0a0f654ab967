import Logging
import Synchronization
import Testing
@testable import NoProofServices

@Suite("Log masking")
struct MaskingLogHandlerTests {
    /// Keeps what reaches it.
    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.value.withLock { $0.append("\(event.message) \(rendered)") }
        }
    }

    final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    @Test func residentIDsAndNamesNeverReachTheLog() {
        let lines = Lines()
        var logger = Logger(label: "test") { _ in MaskingLogHandler(wrapping: Capture(lines: lines)) }
        logger.logLevel = .trace
        logger[metadataKey: "holder"] = "370404199306107807"
        struct Failure: Error, CustomStringConvertible { var description: String }
        logger.debug(
            "lookup failed for 370404199306107807",
            metadata: [
                "holder_name": "张三", "error": "\(Failure(description: "no row for 11010519491231002X"))",
                "nested": ["ids": ["37040419930610780X"]], "unit": "91370400MA3C7WX81E",
            ])
        let line = lines.value.withLock { $0.joined() }
        #expect(!line.contains("370404199306107807"))
        #expect(!line.contains("11010519491231002X"))
        #expect(!line.contains("37040419930610780X"))
        #expect(!line.contains("张三"))
        #expect(line.contains("370404********7807"))
        #expect(line.contains("110105********002X"))
        #expect(line.contains("张*"))
        #expect(line.contains("91370400MA3C7WX81E"), "organisation codes are public")
    }
}
