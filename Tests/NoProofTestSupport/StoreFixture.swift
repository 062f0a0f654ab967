import NoProofDomain
package import NoProofPostgres

/// Where one store behaviour test's data lives — a temporary folder for the SQLite backend, a
/// fresh schema of `NOPROOF_TEST_POSTGRES_URL` for PostgreSQL — so that a store can be opened
/// on it (again, or twice at once: two instances on one database) and everything cleaned up.
/// Each store's tests add their `open()` in an extension for their own `Backend` enum.
package final class StoreFixture<Backend: Sendable>: @unchecked Sendable {
    package let backend: Backend
    package let directory: TemporaryDirectory?
    package let schema: String?
    private var closers: [() async throws -> Void] = []

    package init(backend: Backend, directory: TemporaryDirectory?, schema: String?) {
        self.backend = backend
        self.directory = directory
        self.schema = schema
    }

    /// `store`, closed by `closeAll()` with `close`.
    package func opened<Store>(_ store: Store, close: @escaping () async throws -> Void) -> Store {
        closers.append(close)
        return store
    }

    /// A new client pool on the fixture's schema, shut down by `closeAll()`.
    package func database(maximumConnections: Int = 20) throws -> PostgresStoreDatabase {
        let database = try connect(maximumConnections: maximumConnections)
        closers.append { await database.shutdown() }
        return database
    }

    private func connect(maximumConnections: Int) throws -> PostgresStoreDatabase {
        guard let url = PostgresTestDatabase.url, let schema else {
            throw NoProofError(.unavailable, "\(PostgresTestDatabase.variable) is not set")
        }
        return try PostgresStoreDatabase.connect(url: url, schema: schema, maximumConnections: maximumConnections)
    }

    /// Closes every store opened so far.
    package func closeAll() async throws {
        let pending = closers
        closers = []
        for close in pending.reversed() { try await close() }
    }

    /// Closes the stores and removes the data (the SQLite folder, or the PostgreSQL schema).
    package func remove() async throws {
        try await closeAll()
        directory?.remove()
        if schema != nil, PostgresTestDatabase.url != nil {
            let database = try connect(maximumConnections: 2)
            try? await database.dropSchema()
            await database.shutdown()
        }
    }

    /// Runs `body` with `fixture`, removing it afterwards whether `body` throws or not.
    package static func using(_ fixture: StoreFixture, _ body: (StoreFixture) async throws -> Void) async throws {
        do {
            try await body(fixture)
        } catch {
            try? await fixture.remove()
            throw error
        }
        try await fixture.remove()
    }
}
