package import Foundation

/// A fresh, uniquely named folder under the system temporary directory, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    package let url: URL

    /// Creates the folder, named `prefix-<UUID>`.
    package init(prefix: String = "noproof-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Removes the folder and everything in it.
    package func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a fresh temporary folder, removed afterwards whether `body` throws or not.
package func withTemporaryDirectory<T>(prefix: String = "noproof-test", _ body: (URL) throws -> T) throws -> T {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try body(directory.url)
}

/// Runs `body` with a fresh temporary folder, removed afterwards whether `body` throws or not.
package func withTemporaryDirectory<T>(
    prefix: String = "noproof-test",
    isolation: isolated (any Actor)? = #isolation,
    _ body: (URL) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try await body(directory.url)
}
