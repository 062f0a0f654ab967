import Foundation
package import NoProofAuditChain

/// The per-(unit, day, metric) counters the supervision report reads (Art. 16, 20), kept in the
/// audit trail's file (`supervision_tally`) and incremented in the same transaction that appends
/// the audit records they count — so a report costs one indexed range read over
/// units × days × metrics, never a scan of the records (docs/SUPERVISION.md).
///
/// Every audit record counts once for its own unit under the metric `ACTION|RESULT`
/// (e.g. `Lookup|found`, `Verification.Escalate|escalated`); a record with a counterpart unit
/// also counts once for that unit under `ACTION|RESULT|counterpart` (e.g. the issuing unit of a
/// filed verification request: `Verification.File|filed|counterpart`). Days are civil days in
/// China Standard Time, numbered from 1970-01-01 (`CivilDate.daysSinceEpoch`).
package enum SupervisionTally {
    /// One counter increment.
    package struct Key: Hashable, Sendable {
        package var day: Int
        package var unitCode: String
        package var metric: String
        package init(day: Int, unitCode: String, metric: String) {
            self.day = day
            self.unitCode = unitCode
            self.metric = metric
        }
    }

    /// Suffix of the metric counted for a record's counterpart unit.
    package static let counterpartSuffix = "|counterpart"
    /// Metric names are cut to this many characters (results are short tokens; this only bounds a
    /// hostile value).
    static let maxMetricLength = 120

    /// The civil day (China Standard Time) of a time in Unix milliseconds.
    package static func day(ofMillis millis: Int64) -> Int {
        let shifted = millis + 8 * 3_600_000
        let day = shifted >= 0 ? shifted / 86_400_000 : (shifted - 86_399_999) / 86_400_000
        return Int(day)
    }

    /// The metric a record counts under for its own unit.
    package static func metric(action: AuditAction, result: AuditResult) -> String {
        String("\(action.rawValue)|\(result.rawValue)".prefix(maxMetricLength))
    }

    /// The increments one record makes.
    package static func keys(for record: AuditRecord) -> [Key] {
        let day = day(ofMillis: record.atMillis)
        let metric = metric(action: record.action, result: record.result)
        var keys = [Key(day: day, unitCode: record.unitCode, metric: metric)]
        if !record.counterpartUnit.isEmpty {
            keys.append(Key(day: day, unitCode: record.counterpartUnit, metric: metric + counterpartSuffix))
        }
        return keys
    }

    /// The increments of many records, summed (one upsert per distinct key in a batch).
    package static func counts(for records: some Sequence<AuditRecord>) -> [Key: Int64] {
        var counts: [Key: Int64] = [:]
        for record in records {
            for key in keys(for: record) { counts[key, default: 0] += 1 }
        }
        return counts
    }

    /// `expected` (recomputed from the records) against `stored` (the counters kept beside them),
    /// for `audit-verify` on either backend: how many counters were compared, and the first `limit`
    /// differences, in day, unit and metric order, each saying both values.
    package static func differences(
        expected: [Key: Int64], stored: [Key: Int64], limit: Int = 20
    ) -> (checked: Int, differences: [String]) {
        var differences: [String] = []
        for key in Set(expected.keys).union(stored.keys).sorted(by: { ($0.day, $0.unitCode, $0.metric) < ($1.day, $1.unitCode, $1.metric) }) {
            let wanted = expected[key] ?? 0, found = stored[key] ?? 0
            if wanted != found, differences.count < limit {
                differences.append("day \(key.day) unit \(key.unitCode.isEmpty ? "-" : key.unitCode) \(key.metric): stored \(found), records give \(wanted)")
            }
        }
        return (max(expected.count, stored.count), differences)
    }
}
