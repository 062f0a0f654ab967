/// One table `noproofd migrate` copies: where it is in the data folder (a SQLite file and table)
/// and where it goes in the PostgreSQL schema. The PostgreSQL stores keep the same tables and
/// columns as the SQLite ones (`PostgresUnitStore`, `PostgresAuditTrail`, ...), so a row is
/// copied column by column, verbatim; only two audit tables are named differently.
package struct MigrationTable: Sendable, Hashable {
    /// The SQLite file in the data folder (`licences.sqlite`).
    package var file: String
    /// The table in that file.
    package var source: String
    /// The table in the PostgreSQL schema.
    package var target: String
    /// Whether the schema's migration seeds the target with rows of its own (the shipped calendar
    /// years): those are replaced by the data folder's, and do not count as records already there.
    package var seeded: Bool

    package init(_ file: String, _ source: String, _ target: String? = nil, seeded: Bool = false) {
        self.file = file
        self.source = source
        self.target = target ?? source
        self.seeded = seeded
    }

    /// Every table of a data folder, in the order copied (a referenced table before the tables
    /// referring to it).
    package static let all: [MigrationTable] = [
        MigrationTable("licences.sqlite", "licence_type"),
        MigrationTable("licences.sqlite", "licence"),
        MigrationTable("licences.sqlite", "licence_version"),
        MigrationTable("licences.sqlite", "licence_status_change"),
        MigrationTable("units.sqlite", "unit"),
        MigrationTable("units.sqlite", "staff"),
        MigrationTable("units.sqlite", "credential"),
        MigrationTable("units.sqlite", "item_list_version"),
        MigrationTable("units.sqlite", "calendar_year", seeded: true),
        MigrationTable("units.sqlite", "denial_log"),
        MigrationTable("verification.sqlite", "verification_request"),
        MigrationTable("oversight.sqlite", "commitment"),
        MigrationTable("oversight.sqlite", "ledger_entry"),
        MigrationTable("oversight.sqlite", "mismatch_case"),
        MigrationTable("oversight.sqlite", "complaint"),
        MigrationTable("oversight.sqlite", "flag_exemption"),
        MigrationTable("oversight.sqlite", "correction_notice"),
        MigrationTable("audit.sqlite", "audit", "audit_record"),
        MigrationTable("audit.sqlite", "supervision_tally"),
        MigrationTable("audit.sqlite", "audit_tree"),
        MigrationTable("audit.sqlite", "tree_heads", "audit_signed_head"),
    ]

    /// The SQLite files of a data folder that hold records (`audit-holders.sqlite` is an index
    /// rebuilt from audit.sqlite; in PostgreSQL the holder is a column of the record).
    package static var files: [String] {
        var seen: [String] = []
        for table in all where !seen.contains(table.file) { seen.append(table.file) }
        return seen
    }

    /// Tables of those files that are not records: SQLite's and GRDB's bookkeeping.
    static func isBookkeeping(_ name: String) -> Bool {
        name == "grdb_migrations" || name.hasPrefix("sqlite_")
    }
}
