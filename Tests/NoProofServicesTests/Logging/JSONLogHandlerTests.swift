import Foundation
import Logging
import Synchronization
import Testing
@testable import NoProofServices

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    @Test func eachLineIsOneJSONObjectWithPersonalDataMasked() throws {
        let lines = Lines()
        var logger = Logger(label: "noproofd") { label in
            var handler = JSONLogHandler(label: label) { line in lines.value.withLock { $0.append(line) } }
            handler.logLevel = .trace
            return MaskingLogHandler(wrapping: handler)
        }
        logger[metadataKey: "connection"] = "7"
        logger.info(
            "lookup for 370404199306107807 \"quoted\"\nsecond line",
            metadata: [
                "holder_name": "张三", "nested": ["ids": ["37040419930610780X"]], "count": "\(3)",
            ])
        logger.debug("plain")
        let written = lines.value.withLock { $0 }
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "noproofd")
        #expect(object["message"] as? String == "lookup for 370404********7807 \"quoted\"\nsecond line")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)) != nil)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["holder_name"] as? String == "张*")
        #expect(metadata["connection"] as? String == "7")
        #expect(metadata["count"] as? String == "3")
        #expect(((metadata["nested"] as? [String: Any])?["ids"] as? [String])?.count == 1)
        #expect(!written[0].contains("37040419930610780X"))
        #expect(!written[0].contains("370404199306107807"))
        #expect(!written[0].contains("张三"))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
        #expect(second["level"] as? String == "debug")
    }
}
