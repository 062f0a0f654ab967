package import Foundation
package import GRDB

/// Opening a SQLite database for records that must survive a power cut: WAL with
/// `synchronous=FULL` on every connection, writer included. Shared by every SQLite store.
package enum DurableDatabasePool {
    /// Opens (creating the directory and file if needed) `directory/fileName` and runs `migrator`.
    /// `tuneWriter` may set further pragmas on the writer connection.
    package static func open(
        directory: URL, fileName: String, label: String, migrator: DatabaseMigrator,
        tuneWriter: ((Database) throws -> Void)? = nil
    ) throws -> DatabasePool {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(10)
        config.label = label
        let pool = try DatabasePool(path: directory.appendingPathComponent(fileName).path, configuration: config)
        // GRDB's DatabasePool switches its writer connection to `synchronous = NORMAL` when it
        // enables WAL, *after* prepareDatabase has run. Restore FULL on the (single, long-lived)
        // writer so that every commit is synced before a write method returns.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try tuneWriter?(db)
        }
        try migrator.migrate(pool)
        return pool
    }
}
