#if canImport(Glibc)
    import Glibc
#endif

/// The default server-wide connection cap, from the process's file-descriptor limit: a
/// connection is one descriptor, and past the limit `accept` fails (EMFILE) and new clients
/// hang in the backlog with no answer. Capping a little below it sheds them with a GOAWAY
/// instead, and leaves descriptors for the databases (SQLite files, WAL and shared memory of
/// every pool connection), seal keys, the log and the listeners.
package enum FileDescriptorBudget {
    /// Descriptors kept for everything but client connections: 128 for the process itself (an
    /// idle demo server holds 47: databases with their WAL files, event loops, the log), and 256
    /// for one accept burst (`maxMessagesPerRead` of the listener), whose connections hold a
    /// descriptor each until a refused one is closed. Measured with `ulimit -n 1024` and 1,000
    /// clients at once: with 128 kept, `accept` still hit EMFILE during the burst.
    package static let reserve = 384

    /// The soft RLIMIT_NOFILE (nil when unlimited or unknown).
    package static func softLimit() -> Int? {
        #if canImport(Glibc)
            var limit = rlimit()
            guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
            return Int(clamping: limit.rlim_cur)
        #else
            return nil
        #endif
    }

    /// `softLimit - reserve`, at least 16; nil when the limit is unlimited.
    package static func defaultMaxConnections(softLimit: Int? = softLimit()) -> Int? {
        softLimit.map { max(16, $0 - reserve) }
    }
}
