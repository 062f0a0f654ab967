import Foundation
import NoProofDomain
import NoProofPostgres
import NoProofTestSupport
import NoProofUnits
import NoProofUnitStore

/// A unit store as the behaviour tests see it: the protocol and the list rules it applies.
protocol UnitStoreUnderTest: UnitStore {
    /// The list life-cycle rules applied by the store, with the calendar in force.
    var machine: ItemListStateMachine { get }
}

extension SQLiteUnitStore: UnitStoreUnderTest {}
extension PostgresUnitStore: UnitStoreUnderTest {}

/// Where one test's store lives, so that it can be opened (and reopened: a new pool on the same
/// data) and cleaned up.
final class UnitStoreFixture: @unchecked Sendable {
    let backend: UnitStoreBackend
    let directory: TemporaryDirectory?
    let schema: String?
    private var closers: [() async throws -> Void] = []

    init(backend: UnitStoreBackend, directory: TemporaryDirectory?, schema: String?) {
        self.backend = backend
        self.directory = directory
        self.schema = schema
    }

    /// Opens the store (again: a new pool on the same data; on PostgreSQL a second instance).
    func open(machine: ItemListStateMachine = ItemListStateMachine()) async throws -> any UnitStoreUnderTest {
        switch backend {
        case .sqlite:
            let store = try SQLiteUnitStore(directory: directory!.url, machine: machine)
            closers.append { try store.close() }
            return store
        case .postgres:
            let database = try connect()
            closers.append { await database.shutdown() }
            return try await PostgresUnitStore.open(database, machine: machine)
        }
    }

    /// A client pool on the fixture's PostgreSQL schema (closed with the stores).
    func connect() throws -> PostgresStoreDatabase {
        guard let url = PostgresTestDatabase.url else { throw NoProofError(.unavailable, "\(PostgresTestDatabase.variable) is not set") }
        return try PostgresStoreDatabase.connect(url: url, schema: schema!, maximumConnections: 4)
    }

    /// Closes every store opened so far.
    func closeAll() async throws {
        let pending = closers
        closers = []
        for close in pending.reversed() { try await close() }
    }

    /// Closes the stores and removes the data (the SQLite folder, or the PostgreSQL schema).
    func remove() async throws {
        try await closeAll()
        directory?.remove()
        if schema != nil {
            let database = try connect()
            try? await database.dropSchema()
            await database.shutdown()
        }
    }

    /// Runs `body` with a fresh fixture of `backend`, removing it afterwards whether `body` throws or not.
    static func with(_ backend: UnitStoreBackend, _ body: (UnitStoreFixture) async throws -> Void) async throws {
        let fixture = try backend.makeFixture()
        do {
            try await body(fixture)
        } catch {
            try? await fixture.remove()
            throw error
        }
        try await fixture.remove()
    }
}
