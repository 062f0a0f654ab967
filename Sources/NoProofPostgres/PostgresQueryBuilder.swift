import PostgresNIO

/// A statement whose SQL is put together from fixed fragments (the optional filters of a listing),
/// its values always bound as `$n` parameters, never written into the text.
struct PostgresQueryBuilder {
    private(set) var sql: String
    private var binds = PostgresBindings()
    private var parameters = 0

    init(_ sql: String) {
        self.sql = sql
    }

    /// Binds `value` and returns its placeholder (`$1`, `$2`, …) for the SQL text.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        parameters += 1
        return "$\(parameters)"
    }

    /// Appends fixed SQL text.
    mutating func append(_ fragment: String) {
        sql += fragment
    }

    /// Appends `WHERE c1 AND c2 …`, or nothing when there are no conditions.
    mutating func appendWhere(_ conditions: [String]) {
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
