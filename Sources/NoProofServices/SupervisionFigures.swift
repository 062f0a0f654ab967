import NoProofCodec
import NoProofStore

/// Turns one unit's supervision tallies (metric `ACTION|RESULT[|counterpart]` → count, summed over
/// the period; see `SupervisionTally`) and its oversight counts into the report's figures, and
/// applies the flag rules. Pure: the service fetches, this counts.
package enum SupervisionFigures {
    /// A flag rule: which figure, the threshold, and the rule in words.
    package struct Rule: Sendable {
        package var code: String
        package var figure: String
        package var threshold: UInt64
        package var text: String
    }

    /// Requests going overdue this many times in a period raise `repeated_overdue`.
    package static let repeatedOverdueThreshold: UInt64 = 2

    /// The flag rules, in the order they are reported.
    package static let rules: [Rule] = [
        Rule(code: "repeated_overdue", figure: "verification_overdue", threshold: repeatedOverdueThreshold,
             text: "let verification requests go overdue >= \(repeatedOverdueThreshold) times in the period"),
        Rule(code: "second_breach", figure: "verification_second_breaches", threshold: 1,
             text: "a verification request stayed unanswered after the supervisor's 30 minutes (second breach) >= 1 time"),
        Rule(code: "late_list_change", figure: "list_changes_late", threshold: 1,
             text: "a list change was reported more than 3 working days after its cause (Art. 5) >= 1 time"),
        Rule(code: "denied_calls", figure: "denied_calls", threshold: 1,
             text: "asked for data its published list does not allow (refused lookups or verification requests) >= 1 time"),
        Rule(code: "rate_limited", figure: "rate_limited_calls", threshold: 1,
             text: "hit the anti-harvesting limits (per case or per staff member per minute) >= 1 time"),
        Rule(code: "harvesting_suspected", figure: "harvesting_suspected", threshold: 1,
             text: "one staff member opened many new case references, asked about many different holders or missed often within 10 minutes (harvesting suspected) >= 1 time"),
        Rule(code: "proofs_collected_for_no_proof_items", figure: "ledger_entries_no_proof_items", threshold: 1,
             text: "the voluntary-proof ledger shows proofs collected that the published list says not to ask for >= 1 time"),
        Rule(code: "commitments_found_false", figure: "commitment_checks_false", threshold: 1,
             text: "post-checks found notification-commitments false >= 1 time"),
        Rule(code: "commitment_checks_overdue", figure: "commitment_checks_overdue", threshold: 1,
             text: "commitment post-checks past their due date without an outcome >= 1"),
    ]

    static let lookupActions: Set<String> = ["Lookup", "GetLicence", "CheckLicence"]

    /// The figures of one unit, in report order. `oversight` nil: the oversight figures are not
    /// recorded by this server (shown as such, never as zero).
    package static func figures(tallies: [String: Int64], oversight: OversightFigures?) -> [ReportFigure] {
        var own: [String: [String: UInt64]] = [:]          // action -> result -> count, the unit's own records
        var counterpart: [String: [String: UInt64]] = [:]  // the same, for records naming the unit as counterpart
        for (metric, count) in tallies where count > 0 {
            var parts = metric.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { continue }
            let isCounterpart = parts.count == 3 && parts[2] == "counterpart"
            if parts.count == 3, !isCounterpart { parts[1] += "|" + parts[2] }
            if isCounterpart {
                counterpart[parts[0], default: [:]][parts[1], default: 0] += UInt64(count)
            } else {
                own[parts[0], default: [:]][parts[1], default: 0] += UInt64(count)
            }
        }
        func count(_ actions: Set<String>, _ results: Set<String>? = nil, counterpart useCounterpart: Bool = false) -> UInt64 {
            let source = useCounterpart ? counterpart : own
            var total: UInt64 = 0
            for action in actions {
                for (result, value) in source[action] ?? [:] where results?.contains(result) ?? true { total += value }
            }
            return total
        }
        let lookups = count(lookupActions)
        let found = count(lookupActions, ["found", "match", "mismatch"])
        let notFound = count(lookupActions, ["not_found"])
        let notInForce = count(lookupActions, ["revoked", "suspended", "expired"])
        let denied = count(lookupActions, ["denied", "permission_denied"])
        let limited = count(lookupActions, ["rate_limited", "resource_exhausted"])
        let verificationDenied = count(["Verification.File"], ["denied"])
        var figures: [ReportFigure] = [
            ReportFigure(key: "lookups", label: "data-sharing calls made (lookups, gets, checks)", value: lookups, recorded: true),
            ReportFigure(key: "lookups_found", label: "of which answered with the record (found, match, mismatch)", value: found, recorded: true),
            ReportFigure(key: "lookups_not_found", label: "of which not found", value: notFound, recorded: true),
            ReportFigure(key: "lookups_not_in_force", label: "of which revoked, suspended or expired", value: notInForce, recorded: true),
            ReportFigure(key: "lookups_denied", label: "of which refused: not allowed by the published list", value: denied, recorded: true),
            ReportFigure(key: "lookups_rate_limited", label: "of which refused: anti-harvesting limits", value: limited, recorded: true),
            ReportFigure(key: "lookups_other", label: "of which failed otherwise (invalid, not connected, unavailable)",
                         value: lookups - found - notFound - notInForce - denied - limited, recorded: true),
            ReportFigure(key: "verification_sent", label: "verification requests sent (filed and re-filed)",
                         value: count(["Verification.File", "Verification.Refile"], ["filed"]), recorded: true),
            ReportFigure(key: "verification_received", label: "verification requests received",
                         value: count(["Verification.File", "Verification.Refile"], ["filed"], counterpart: true), recorded: true),
            ReportFigure(key: "verification_answered_in_time", label: "requests received answered in time",
                         value: count(["Verification.Answer"], ["verified", "not_on_record"]), recorded: true),
            ReportFigure(key: "verification_answered_late", label: "requests received answered late",
                         value: count(["Verification.Answer"], ["verified late", "not_on_record late"]), recorded: true),
            ReportFigure(key: "verification_returned", label: "requests received returned (not the unit's duty)",
                         value: count(["Verification.Return"]), recorded: true),
            ReportFigure(key: "verification_overdue", label: "requests received that went overdue (each escalated to the supervisor)",
                         value: count(["Verification.Escalate"], ["escalated"]), recorded: true),
            ReportFigure(key: "verification_second_breaches", label: "second breaches (supervisor's 30 minutes passed too)",
                         value: count(["Verification.SecondBreach"], ["second_breach"]), recorded: true),
            ReportFigure(key: "denied_calls", label: "calls refused: not allowed by the published list (lookups and verification)",
                         value: denied + verificationDenied, recorded: true),
            ReportFigure(key: "rate_limited_calls", label: "calls refused by the anti-harvesting limits", value: limited, recorded: true),
            ReportFigure(key: "harvesting_suspected", label: "bursts that look like harvesting (new cases, holders or misses by one staff member)",
                         value: count(["Harvest.Suspected"], ["suspected"]), recorded: true),
            ReportFigure(key: "list_submissions", label: "list versions submitted",
                         value: count(["List.Submit"], ["submitted", "submitted_late"]), recorded: true),
            ReportFigure(key: "list_changes_late", label: "list changes reported late (over 3 working days after the cause)",
                         value: count(["List.LateChange"], ["late"]), recorded: true),
        ]
        let known = oversight != nil
        let o = oversight ?? OversightFigures()
        func oversightFigure(_ key: String, _ label: String, _ value: Int) -> ReportFigure {
            ReportFigure(key: key, label: label, value: UInt64(max(0, value)), recorded: known)
        }
        figures += [
            oversightFigure("commitments_recorded", "notification-commitments recorded", o.commitmentsRecorded),
            oversightFigure("commitment_checks_confirmed", "commitment post-checks: confirmed", o.checksConfirmed),
            oversightFigure("commitment_checks_false", "commitment post-checks: found false", o.checksFoundFalse),
            oversightFigure("commitment_checks_overdue", "commitment post-checks overdue", o.checksOverdue),
            oversightFigure("ledger_entries", "voluntary-proof ledger entries", o.ledgerEntries),
            oversightFigure("ledger_entries_no_proof_items", "ledger entries for proofs the list says not to ask for", o.ledgerEntriesForNoProofItems),
            oversightFigure("mismatches_opened", "mismatch cases opened", o.mismatchesOpened),
            oversightFigure("mismatches_resolved", "mismatch cases resolved", o.mismatchesResolved),
            oversightFigure("appeals", "appeals (administrative review)", o.appeals),
            oversightFigure("complaints", "complaints (all breach types)", o.complaintsByBreachType.values.reduce(0, +)),
        ]
        for (type, value) in o.complaintsByBreachType.sorted(by: { $0.key < $1.key }) {
            figures.append(oversightFigure("complaints.\(type)", "complaints: \(type)", value))
        }
        return figures
    }

    /// The flags `figures` raise: every rule whose figure is recorded and at or over its threshold.
    package static func flags(_ figures: [ReportFigure]) -> [ReportFlag] {
        let byKey = Dictionary(figures.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return rules.compactMap { rule in
            guard let figure = byKey[rule.figure], figure.recorded, figure.value >= rule.threshold else { return nil }
            return ReportFlag(code: rule.code, rule: rule.text, detail: "\(rule.figure) = \(figure.value)")
        }
    }
}
