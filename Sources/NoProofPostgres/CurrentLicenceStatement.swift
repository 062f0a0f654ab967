import PostgresNIO

/// The current version of one licence by identifier: the library's miss path
/// (`PostgresLicenceStore.licence(byID:)`), a named prepared statement that each pooled connection
/// parses once and then only binds and executes (one round trip).
struct CurrentLicenceStatement: PostgresPreparedStatement {
    typealias Row = PostgresLicenceStore.LicenceRow

    static let name = "noproof_current_licence_v1"
    static let sql = "SELECT \(PostgresLicenceStore.licenceColumns) FROM licence WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    /// The identifier, in text form.
    var id: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
