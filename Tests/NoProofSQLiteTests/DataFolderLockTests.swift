import Foundation
import NoProofTestSupport
import Testing
@testable import NoProofSQLite

@Suite("DataFolderLock")
struct DataFolderLockTests {
    @Test func oneHolderAtATimeAndTheRefusalNamesIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var first: DataFolderLock? = try DataFolderLock.acquire(directory.url, holder: "noproofd")
        do {
            _ = try DataFolderLock.acquire(directory.url, holder: "noproof import")
            Issue.record("a second holder got the lock")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message.contains("in use by noproofd"))
        }
        #expect(first != nil)
        first = nil
        _ = try DataFolderLock.acquire(directory.url, holder: "noproof import")
    }
}
