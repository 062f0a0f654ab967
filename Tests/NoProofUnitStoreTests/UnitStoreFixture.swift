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

/// Where one test's unit store lives (`StoreFixture`).
typealias UnitStoreFixture = StoreFixture<UnitStoreBackend>

extension StoreFixture where Backend == UnitStoreBackend {
    /// Opens the store (again: a new pool on the same data; on PostgreSQL a second instance).
    func open(machine: ItemListStateMachine = ItemListStateMachine()) async throws -> any UnitStoreUnderTest {
        switch backend {
        case .sqlite:
            let store = try SQLiteUnitStore(directory: directory!.url, machine: machine)
            return opened(store) { try store.close() }
        case .postgres:
            return try await PostgresUnitStore.open(try database(maximumConnections: 4), machine: machine)
        }
    }

    /// Runs `body` with a fresh fixture of `backend`, removing it afterwards whether `body` throws or not.
    static func with(_ backend: UnitStoreBackend, _ body: (UnitStoreFixture) async throws -> Void) async throws {
        try await using(try backend.makeFixture(), body)
    }
}
