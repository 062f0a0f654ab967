import NoProofCodec
import NoProofAuditChain
package import NoProofMessages

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

    /// The flag rules with `thresholds`, in the order they are reported. A rule's text names its
    /// article and threshold.
    package static func rules(_ thresholds: SupervisionThresholds) -> [Rule] {
        func rule(_ code: String, _ figure: String, _ text: String) -> Rule {
            let threshold = thresholds.threshold(code)
            return Rule(code: code, figure: figure, threshold: threshold, text: "\(text) >= \(threshold)")
        }
        return [
            rule(
                "repeated_overdue", "verification_overdue",
                "let verification requests go overdue (each escalated to the supervisor, Art. 10)"),
            rule(
                "second_breach", "verification_second_breaches",
                "a verification request stayed unanswered after the supervisor's 30 minutes (second breach, Art. 10)"),
            rule(
                "late_returns", "verification_returned_late",
                "returned verification requests after the 30 minutes Art. 10 allows for a return"),
            rule(
                "late_list_change", "list_changes_late",
                "a list change was reported more than 3 working days after its cause (Art. 5)"),
            rule(
                "denied_calls", "denied_calls",
                "asked for data its published list does not allow (refused lookups or verification requests)"),
            rule(
                "rate_limited", "rate_limited_calls",
                "hit the anti-harvesting limits (per case or per staff member per minute)"),
            rule(
                "harvesting_suspected", "harvesting_suspected",
                "one staff member opened many new case references, asked about many different holders or missed often within 10 minutes (harvesting suspected)"),
            rule(
                "demanded_no_proof_items", "no_proof_item_demands",
                "demanded proofs its published list says not to ask for (Art. 16 (6)): lookups of a proof the item lists as cancelled, plus complaints of type demanded_no_proof_item"
            ),
            rule(
                "commitments_found_false", "commitment_checks_false",
                "post-checks found notification-commitments false"),
            rule(
                "commitment_checks_overdue", "commitment_checks_overdue",
                "commitment post-checks past their due date without an outcome"),
            rule(
                "no_item_list", "item_list_missing",
                "has no published item list in force at the period's end (Art. 16 (1), (3): not taking part, no list)"),
            rule(
                "stale_item_list", "item_list_stale_changes",
                "its list in force is older than changes it declared more than \(thresholds.staleListDays) days before the period's end (Art. 16 (4): list not adjusted)"
            ),
            rule(
                "system_not_used", "system_unused",
                "has items in force that obtain proofs through the system but made no lookup and handled no verification request in a period of at least \(thresholds.systemUnusedMinimumDays) days (Art. 16 (7))"
            ),
        ]
    }

    /// The flag rules with the default thresholds.
    package static var rules: [Rule] { rules(.standard) }

    static let lookupActions: Set<AuditAction> = [.lookup, .getLicence, .checkLicence]

    /// The figures of one unit, in report order. `oversight` nil: the oversight figures are not
    /// recorded by this server (shown as such, never as zero).
    /// `list` nil: the list facts are not known (an unregistered unit): those figures are not recorded.
    /// `periodDays`: the length of the period, for `system_unused`.
    package static func figures(
        tallies: [String: Int64], oversight: OversightFigures?, list: UnitListFacts? = nil, periodDays: Int = 1,
        thresholds: SupervisionThresholds = .standard
    ) -> [APIReportFigure] {
        var own: [AuditAction: [AuditResult: UInt64]] = [:]  // action -> result -> count, the unit's own records
        var counterpart: [AuditAction: [AuditResult: UInt64]] = [:]  // the same, for records naming the unit as counterpart
        for (metric, count) in tallies where count > 0 {
            var parts = metric.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { continue }
            let isCounterpart = parts.count == 3 && parts[2] == "counterpart"
            if parts.count == 3, !isCounterpart { parts[1] += "|" + parts[2] }
            if isCounterpart {
                counterpart[AuditAction(rawValue: parts[0]), default: [:]][AuditResult(rawValue: parts[1]), default: 0] += UInt64(count)
            } else {
                own[AuditAction(rawValue: parts[0]), default: [:]][AuditResult(rawValue: parts[1]), default: 0] += UInt64(count)
            }
        }
        func count(_ actions: Set<AuditAction>, _ results: Set<AuditResult>? = nil, counterpart useCounterpart: Bool = false) -> UInt64 {
            let source = useCounterpart ? counterpart : own
            var total: UInt64 = 0
            for action in actions {
                for (result, value) in source[action] ?? [:] where results?.contains(result) ?? true { total += value }
            }
            return total
        }
        let lookups = count(lookupActions)
        let found = count(lookupActions, [.found, .match, .mismatch])
        let notFound = count(lookupActions, [.notFound])
        let notInForce = count(lookupActions, [.revoked, .suspended, .expired])
        let denied = count(lookupActions, [.denied, .permissionDenied, .cancelled, .excluded])
        let cancelledAsked = count(lookupActions, [.cancelled])
        let limited = count(lookupActions, [.rateLimited, .resourceExhausted])
        let verificationDenied = count([.verificationFile], [.denied])
        var figures: [APIReportFigure] = [
            APIReportFigure(key: "lookups", label: "data-sharing calls made (lookups, gets, checks)", value: lookups, recorded: true),
            APIReportFigure(key: "lookups_found", label: "of which answered with the record (found, match, mismatch)", value: found, recorded: true),
            APIReportFigure(key: "lookups_not_found", label: "of which not found", value: notFound, recorded: true),
            APIReportFigure(key: "lookups_not_in_force", label: "of which revoked, suspended or expired", value: notInForce, recorded: true),
            APIReportFigure(key: "lookups_denied", label: "of which refused: not allowed by the published list", value: denied, recorded: true),
            APIReportFigure(key: "lookups_cancelled_proofs", label: "of which for a proof the item lists as cancelled", value: cancelledAsked, recorded: true),
            APIReportFigure(key: "lookups_rate_limited", label: "of which refused: anti-harvesting limits", value: limited, recorded: true),
            APIReportFigure(
                key: "lookups_other", label: "of which failed otherwise (invalid, not connected, unavailable)",
                value: lookups - found - notFound - notInForce - denied - limited, recorded: true),
            APIReportFigure(
                key: "verification_sent", label: "verification requests sent (filed and re-filed)",
                value: count([.verificationFile, .verificationRefile], [.filed]), recorded: true),
            APIReportFigure(
                key: "verification_received", label: "verification requests received",
                value: count([.verificationFile, .verificationRefile], [.filed], counterpart: true), recorded: true),
            APIReportFigure(
                key: "verification_answered_in_time", label: "requests received answered in time",
                value: count([.verificationAnswer], [.verified, .notOnRecord]), recorded: true),
            APIReportFigure(
                key: "verification_answered_late", label: "requests received answered late",
                value: count([.verificationAnswer], [.verified.late, .notOnRecord.late]), recorded: true),
            APIReportFigure(
                key: "verification_returned", label: "requests received returned (not the unit's duty)",
                value: count([.verificationReturn]), recorded: true),
            APIReportFigure(
                key: "verification_returned_late", label: "of which returned after the 30 minutes for a return",
                value: count([.verificationReturn], [.returned.late]), recorded: true),
            APIReportFigure(
                key: "verification_overdue", label: "requests received that went overdue (each escalated to the supervisor)",
                value: count([.verificationEscalate], [.escalated]), recorded: true),
            APIReportFigure(
                key: "verification_second_breaches", label: "second breaches (supervisor's 30 minutes passed too)",
                value: count([.verificationSecondBreach], [.secondBreach]), recorded: true),
            APIReportFigure(
                key: "denied_calls", label: "calls refused: not allowed by the published list (lookups and verification)",
                value: denied + verificationDenied, recorded: true),
            APIReportFigure(key: "rate_limited_calls", label: "calls refused by the anti-harvesting limits", value: limited, recorded: true),
            APIReportFigure(
                key: "harvesting_suspected", label: "bursts that look like harvesting (new cases, holders or misses by one staff member)",
                value: count([.harvestSuspected], [.suspected]), recorded: true),
            APIReportFigure(
                key: "list_submissions", label: "list versions submitted",
                value: count([.listSubmit], [.submitted, .submittedLate]), recorded: true),
            APIReportFigure(
                key: "list_changes_late", label: "list changes reported late (over 3 working days after the cause)",
                value: count([.listLateChange], [.lateChange]), recorded: true),
        ]
        let sent = count([.verificationFile, .verificationRefile], [.filed])
        let handled = count([.verificationAnswer, .verificationReturn])
        if let list {
            let unused =
                list.takesPart && list.itemsUsingSystem > 0 && periodDays >= thresholds.systemUnusedMinimumDays
                && lookups == 0 && sent == 0 && handled == 0
            figures += [
                APIReportFigure(
                    key: "item_list_missing", label: "no published item list in force at the period's end (1 = missing)",
                    value: list.takesPart && list.versionInForce == nil ? 1 : 0, recorded: true),
                APIReportFigure(
                    key: "item_list_stale_changes", label: "declared list changes older than the stale period, still not in force",
                    value: list.takesPart ? UInt64(list.staleChanges) : 0, recorded: true),
                APIReportFigure(
                    key: "system_unused", label: "items in force but no lookups and no verification requests in the period (1 = unused)",
                    value: unused ? 1 : 0, recorded: true),
            ]
        } else {
            for key in ["item_list_missing", "item_list_stale_changes", "system_unused"] {
                figures.append(APIReportFigure(key: key, label: "not known: the unit is not registered", value: 0, recorded: false))
            }
        }
        let known = oversight != nil
        let o = oversight ?? OversightFigures()
        func oversightFigure(_ key: String, _ label: String, _ value: Int) -> APIReportFigure {
            APIReportFigure(key: key, label: label, value: UInt64(max(0, value)), recorded: known)
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
        // Demands for no-proof items: known from the trail, plus the complaints when they are recorded.
        let complained = known ? UInt64(max(0, o.complaintsByBreachType[demandedNoProofItem] ?? 0)) : 0
        figures.append(
            APIReportFigure(
                key: "no_proof_item_demands",
                label: known
                    ? "demands for proofs the list says not to ask for (lookups of cancelled proofs + complaints)"
                    : "demands for proofs the list says not to ask for (lookups of cancelled proofs; complaints not recorded by this server)",
                value: cancelledAsked + complained, recorded: true))
        return figures
    }

    /// The complaint breach type of Art. 16 (6).
    static let demandedNoProofItem = "demanded_no_proof_item"

    /// The flags `figures` raise: every rule whose figure is recorded and at or over its
    /// threshold. A flag with an Art. 17 exemption among `exemptions` (same flag, covering the
    /// report's period) is still raised, marked exempted, with who recorded it, the ground and why.
    package static func flags(
        _ figures: [APIReportFigure], thresholds: SupervisionThresholds = .standard,
        exemptions: [ExemptionNote] = []
    ) -> [APIReportFlag] {
        let byKey = Dictionary(figures.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return rules(thresholds).compactMap { rule in
            guard let figure = byKey[rule.figure], figure.recorded, figure.value >= rule.threshold else { return nil }
            var flag = APIReportFlag(code: rule.code, rule: rule.text, detail: "\(rule.figure) = \(figure.value)")
            if let exemption = exemptions.first(where: { $0.flag == rule.code }) {
                flag.exempted = true
                flag.exemption = exemption.text
            }
            return flag
        }
    }

    /// An exemption as the report shows it: the flag it covers and the record in words.
    package struct ExemptionNote: Hashable, Sendable {
        package var flag: String
        package var text: String
        package init(flag: String, text: String) {
            self.flag = flag
            self.text = text
        }
    }
}
