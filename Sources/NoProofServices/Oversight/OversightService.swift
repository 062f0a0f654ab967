package import Foundation
package import Logging
import NoProofCodec
import NoProofDomain
package import NoProofLibrary
package import NoProofMessages
package import NoProofOversight
import NoProofProtocol
package import NoProofSeals
package import NoProofServer
package import NoProofUnitStore
import NoProofUnits
package import NoProofVerification
package import NoProofAuditChain

/// Oversight records over RPC (`noproof.v1.Oversight`, Art. 2, 7, 11, 12, 18): the adapter of
/// `OversightUseCases`, which holds the policy and the audit.
///
/// Who may do what:
/// - a unit's active staff record commitments (only for a proof an item of the unit's list in
///   force obtains by commitment) and their checks, ledger entries (voluntary proofs for items of
///   its list), and open mismatch cases, ask for and record supplementary material and record
///   the applicant's appeal on the cases it opened;
/// - only the issuing unit re-verifies a mismatch case (its finding prevails);
/// - the task force office registers, routes and closes complaints; the unit a complaint was
///   routed to answers it;
/// - each unit reads its own records (mismatch cases: both units); the task force office reads
///   everything, across units.
///
/// Commitments with memory (issue 16): a commitment by an applicant with an earlier commitment
/// found false (at any unit) warns the clerk in the answer and is flagged: its risk is raised to
/// high (`CheckRiskRule.level(item:proof:earlierFalse:)`). With a licence library and keyring, a
/// mismatch resolved as record corrected amends the licence, issues a corrected proof and tells
/// the units that fetched the old version (`MismatchCorrection`).
///
/// Every record and transition is committed to the store and its audit record to the audit log
/// before the call is answered; retries (same natural key and content) change nothing.
package final class OversightService: Sendable {
    let useCases: OversightUseCases
    /// Correction notices pushed to `WatchCorrectionNotices` streams as they are written.
    package let notices: CorrectionNoticeHub
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - verifications: when given, a mismatch case that links a verification request is
    ///     checked against it (the opening unit filed it, to that issuing unit, for that holder).
    ///   - rule: the per-item risk rule that gives commitments their check due dates.
    ///   - library, keyring: when both are given, a record_corrected finding amends the licence,
    ///     issues the corrected proof and writes the correction notices (`MismatchCorrection`);
    ///     without them it changes the case record only.
    package init(
        store: any OversightStore, units: any UnitStore, audit: any AuditTrail, verifications: (any VerificationStore)? = nil,
        rule: CheckRiskRule = .standard, library: LicenceLibrary? = nil, keyring: SealKeyring? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "noproof.oversight")
    ) {
        let notices = CorrectionNoticeHub()
        var correction: MismatchCorrection?
        if let library, let keyring {
            correction = MismatchCorrection(store: store, library: library, keyring: keyring, audit: audit, logger: logger, hub: notices)
        }
        self.useCases = OversightUseCases(
            store: store, units: units, audit: audit, verifications: verifications, rule: rule, correction: correction, notices: notices,
            now: now, logger: logger)
        self.notices = notices
        self.now = now
    }

    package func register(in registry: inout RPCRegistry) {
        let useCases = self.useCases
        registry.unary(OversightMethods.recordCommitment, APIRecordCommitmentRequest.self, APICommitmentResponse.self) { [self] request, context in
            let input = OversightUseCases.CommitmentInput(
                holderID: request.holderID, holderName: request.holderName, itemCode: request.itemCode, caseReference: request.caseReference,
                proofType: request.proofType, text: request.text, channel: request.channel)
            let stored = try await useCases.recordCommitment(input, caller: Caller(context))
            return APICommitmentResponse(commitment: message(stored.record), replayed: stored.replayed)
        }
        registry.unary(OversightMethods.checkCommitment, APICheckCommitmentRequest.self, APICommitmentResponse.self) { [self] request, context in
            let stored = try await useCases.checkCommitment(
                request.commitmentID, outcome: request.outcome, evidence: request.evidence, caller: Caller(context))
            return APICommitmentResponse(commitment: message(stored.record), replayed: stored.replayed)
        }
        registry.unary(OversightMethods.getCommitment, APIGetOversightRecordRequest.self, APICommitmentResponse.self) { [self] request, context in
            APICommitmentResponse(commitment: message(try await useCases.commitment(request.id, caller: Caller(context))), replayed: false)
        }
        registry.unary(OversightMethods.listCommitments, APIListCommitmentsRequest.self, APIListCommitmentsResponse.self) { [self] request, context in
            let found = try await useCases.commitments(
                unitCode: request.unitCode, filter: request.filter, limit: Self.limit(request.limit, default: 100), caller: Caller(context))
            return APIListCommitmentsResponse(commitments: found.map { message($0) })
        }
        registry.unary(OversightMethods.addLedgerEntry, APIAddLedgerEntryRequest.self, APILedgerEntryResponse.self) { request, context in
            let input = OversightUseCases.LedgerInput(
                holderID: request.holderID, holderName: request.holderName, itemCode: request.itemCode, caseReference: request.caseReference,
                proofType: request.proofType, proofName: request.proofName, note: request.note)
            let stored = try await useCases.addLedgerEntry(input, caller: Caller(context))
            return APILedgerEntryResponse(entry: Self.message(stored.record), replayed: stored.replayed)
        }
        registry.unary(OversightMethods.listLedger, APIListLedgerRequest.self, APIListLedgerResponse.self) { request, context in
            let found = try await useCases.ledger(
                unitCode: request.unitCode, from: request.fromMillis == 0 ? nil : Self.date(request.fromMillis),
                to: request.toMillis == 0 ? nil : Self.date(request.toMillis), limit: Self.limit(request.limit, default: 1000), caller: Caller(context))
            return APIListLedgerResponse(entries: found.map(Self.message))
        }
        registry.unary(OversightMethods.openMismatch, APIOpenMismatchRequest.self, APIMismatchResponse.self) { request, context in
            let input = OversightUseCases.MismatchInput(
                issuingUnitCode: request.issuingUnitCode, holderID: request.holderID, itemCode: request.itemCode,
                caseReference: request.caseReference, proofType: request.proofType, proofSerial: request.proofSerial,
                auditSequence: request.auditSequence, verificationRequestID: request.verificationRequestID,
                facts: request.facts.map { MismatchedFact(key: $0.key, declared: $0.declared, fetched: $0.fetched) })
            return Self.response(try await useCases.openMismatch(input, caller: Caller(context)))
        }
        registry.unary(OversightMethods.requestSupplement, APIMismatchSupplementRequest.self, APIMismatchResponse.self) { request, context in
            Self.response(try await useCases.requestSupplement(request.mismatchID, text: request.text, caller: Caller(context)))
        }
        registry.unary(OversightMethods.recordSupplement, APIMismatchSupplementRequest.self, APIMismatchResponse.self) { request, context in
            Self.response(try await useCases.recordSupplement(request.mismatchID, text: request.text, caller: Caller(context)))
        }
        registry.unary(OversightMethods.reverify, APIReverifyMismatchRequest.self, APIMismatchResponse.self) { request, context in
            Self.response(
                try await useCases.reverify(
                    request.mismatchID, finding: request.finding, note: request.note, corrected: request.corrected.map { (key: $0.key, value: $0.value) },
                    caller: Caller(context)))
        }
        registry.unary(OversightMethods.appeal, APIAppealMismatchRequest.self, APIMismatchResponse.self) { request, context in
            Self.response(
                try await useCases.appeal(
                    request.mismatchID, reference: request.reference, outcome: request.outcome, note: request.note, caller: Caller(context)))
        }
        registry.unary(OversightMethods.getMismatch, APIGetOversightRecordRequest.self, APIMismatchResponse.self) { request, context in
            APIMismatchResponse(mismatch: Self.message(try await useCases.mismatch(request.id, caller: Caller(context))), replayed: false)
        }
        registry.unary(OversightMethods.listMismatches, APIListMismatchesRequest.self, APIListMismatchesResponse.self) { request, context in
            let found = try await useCases.mismatches(limit: Self.limit(request.limit, default: 100), caller: Caller(context))
            return APIListMismatchesResponse(mismatches: found.map(Self.message))
        }
        registry.unary(OversightMethods.listCorrectionNotices, APIListCorrectionNoticesRequest.self, APIListCorrectionNoticesResponse.self) {
            request, context in
            let found = try await useCases.correctionNotices(
                unitCode: request.unitCode, limit: Self.limit(request.limit, default: 100), caller: Caller(context))
            return APIListCorrectionNoticesResponse(notices: found.map(Self.message))
        }
        registry.serverStreaming(
            OversightMethods.watchCorrectionNotices, APIWatchCorrectionNoticesRequest.self,
            APICorrectionNoticeRecord.self
        ) { request, context, writer in
            let (stored, stream) = try await useCases.watchCorrectionNotices(
                unitCode: request.unitCode, includeExisting: request.includeExisting, limit: Self.limit(request.limit, default: 100),
                caller: Caller(context))
            for notice in stored { try await writer.send(Self.message(notice)) }
            for await notice in stream { try await writer.send(Self.message(notice)) }
        }
        registry.unary(OversightMethods.fileComplaint, APIFileComplaintRequest.self, APIComplaintResponse.self) { request, context in
            let input = OversightUseCases.ComplaintInput(
                channel: request.channel, channelReference: request.channelReference, unitCode: request.unitCode, breachType: request.breachType,
                summary: request.summary, complainant: request.complainant, linkedRecords: request.linkedRecords)
            return Self.response(try await useCases.fileComplaint(input, caller: Caller(context)))
        }
        registry.unary(OversightMethods.routeComplaint, APIRouteComplaintRequest.self, APIComplaintResponse.self) { request, context in
            Self.response(try await useCases.routeComplaint(request.complaintID, to: request.unitCode, caller: Caller(context)))
        }
        registry.unary(OversightMethods.answerComplaint, APIAnswerComplaintRequest.self, APIComplaintResponse.self) { request, context in
            Self.response(try await useCases.answerComplaint(request.complaintID, answer: request.answer, caller: Caller(context)))
        }
        registry.unary(OversightMethods.closeComplaint, APICloseComplaintRequest.self, APIComplaintResponse.self) { request, context in
            Self.response(
                try await useCases.closeComplaint(request.complaintID, substantiated: request.substantiated, note: request.note, caller: Caller(context)))
        }
        registry.unary(OversightMethods.getComplaint, APIGetOversightRecordRequest.self, APIComplaintResponse.self) { request, context in
            APIComplaintResponse(complaint: Self.message(try await useCases.complaint(request.id, caller: Caller(context))), replayed: false)
        }
        registry.unary(OversightMethods.listComplaints, APIListComplaintsRequest.self, APIListComplaintsResponse.self) { request, context in
            let found = try await useCases.complaints(
                unitCode: request.unitCode, status: request.status, limit: Self.limit(request.limit, default: 100), caller: Caller(context))
            return APIListComplaintsResponse(complaints: found.map(Self.message))
        }
        registry.unary(OversightMethods.counts, APIOversightCountsRequest.self, APIOversightCountsResponse.self) { request, context in
            let counts = try await useCases.counts(
                unitCode: request.unitCode, from: request.fromMillis == 0 ? nil : Self.date(request.fromMillis),
                to: request.toMillis == 0 ? nil : Self.date(request.toMillis), asOf: request.asOfMillis == 0 ? nil : Self.date(request.asOfMillis),
                caller: Caller(context))
            return Self.message(counts.counts, unit: counts.unitCode, from: counts.from, to: counts.to, asOf: counts.asOf)
        }
    }

    static func response(_ stored: OversightUseCases.Stored<MismatchCase>) -> APIMismatchResponse {
        APIMismatchResponse(mismatch: message(stored.record), replayed: stored.replayed)
    }

    static func response(_ stored: OversightUseCases.Stored<Complaint>) -> APIComplaintResponse {
        APIComplaintResponse(complaint: message(stored.record), replayed: stored.replayed)
    }

    // MARK: Messages

    package func message(_ c: Commitment) -> APICommitmentRecord { Self.message(c, now: now()) }

    package static func message(_ c: Commitment, now: Date) -> APICommitmentRecord {
        APICommitmentRecord(
            commitmentID: c.id, unitCode: c.unit, unitName: c.unitName, holderID: c.holderID, holderName: c.holderName, itemCode: c.itemCode,
            itemName: c.itemName, caseReference: c.caseReference, proofType: c.proofType, proofName: c.proofName, text: c.text,
            channel: c.channel.rawValue, recordedAtMillis: millis(c.recordedAt), recordedBy: c.recordedBy, riskLevel: c.risk.rawValue,
            checkDueAtMillis: millis(c.checkDueAt), checkOutcome: c.checkOutcome?.rawValue ?? "", checkedAtMillis: millis(c.checkedAt),
            checkedBy: c.checkedBy ?? "", evidence: c.evidence, overdue: c.isOverdue(at: now), checkedLate: c.checkedLate,
            earlierFalseCommitments: c.earlierFalse ?? [], warning: c.warning ?? "", ruleRiskLevel: c.ruleRisk?.rawValue ?? ""
        )
    }

    package static func message(_ e: LedgerEntry) -> APILedgerEntryRecord {
        APILedgerEntryRecord(
            entryID: e.id, unitCode: e.unit, unitName: e.unitName, holderID: e.holderID, holderName: e.holderName, itemCode: e.itemCode,
            caseReference: e.caseReference, proofType: e.proofType, proofName: e.proofName, recordedAtMillis: millis(e.recordedAt),
            recordedBy: e.recordedBy, volunteered: e.volunteered, listedMethod: e.listedMethod, notToBeAskedFor: e.notToBeAskedFor, note: e.note
        )
    }

    package static func message(_ m: MismatchCase) -> APIMismatchRecord {
        APIMismatchRecord(
            mismatchID: m.id, unitCode: m.unit, unitName: m.unitName, issuingUnitCode: m.issuingUnit, issuingUnitName: m.issuingUnitName,
            holderID: m.holderID, itemCode: m.itemCode, caseReference: m.caseReference, proofType: m.proofType, proofSerial: m.proofSerial,
            auditSequence: m.auditSequence, verificationRequestID: m.verificationRequestID,
            facts: m.facts.map { APIMismatchFact(key: $0.key, declared: $0.declared, fetched: $0.fetched, corrected: $0.corrected ?? "") },
            openedAtMillis: millis(m.openedAt), openedBy: m.openedBy, status: m.status.rawValue, supplementRequest: m.supplementRequest ?? "",
            supplementRequestedAtMillis: millis(m.supplementRequestedAt), supplement: m.supplement ?? "",
            supplementReceivedAtMillis: millis(m.supplementReceivedAt), finding: m.finding?.rawValue ?? "", findingNote: m.findingNote ?? "",
            reverifiedAtMillis: millis(m.reverifiedAt), reverifiedBy: m.reverifiedBy ?? "", reverifiedCredential: m.reverifiedCredential ?? "",
            appealReference: m.appealReference ?? "", appealFiledAtMillis: millis(m.appealFiledAt), appealOutcome: m.appealOutcome?.rawValue ?? "",
            appealNote: m.appealNote ?? "", appealDecidedAtMillis: millis(m.appealDecidedAt),
            correctedLicenceID: m.correctedLicenceID ?? "", correctedLicenceVersion: m.correctedLicenceVersion ?? 0,
            correctedProofSerial: m.correctedProofSerial ?? "", noticedUnits: m.noticedUnits ?? []
        )
    }

    package static func message(_ n: CorrectionNotice) -> APICorrectionNoticeRecord {
        APICorrectionNoticeRecord(
            noticeID: n.id, unitCode: n.unit, mismatchID: n.mismatchID, issuingUnitCode: n.issuingUnit, issuingUnitName: n.issuingUnitName,
            holderID: n.holderID, typeCode: n.typeCode, licenceID: n.licenceID, newVersion: n.newVersion, correctedFields: n.correctedFields,
            fetchCaseReferences: n.fetchCaseReferences, lastFetchSequence: n.lastFetchSequence, noticedAtMillis: millis(n.noticedAt),
            raisedTheCase: n.raisedTheCase,
            correctedProof: n.correctedProof.isEmpty ? nil : (try? ProtoCodec.decode(APISealedProof.self, from: n.correctedProof))
        )
    }

    package static func message(_ c: Complaint) -> APIComplaintRecord {
        APIComplaintRecord(
            complaintID: c.id, channel: c.channel.rawValue, channelReference: c.channelReference, unitCode: c.unit, unitName: c.unitName,
            breachType: c.breachType.rawValue, summary: c.summary, complainant: c.complainant, linkedRecords: c.linkedRecords,
            registeredAtMillis: millis(c.registeredAt), registeredBy: c.registeredBy, status: c.status.rawValue, routedToCode: c.routedTo ?? "",
            routedToName: c.routedToName ?? "", routedAtMillis: millis(c.routedAt), answer: c.answer ?? "", answeredAtMillis: millis(c.answeredAt),
            answeredBy: c.answeredBy ?? "", substantiated: c.substantiated ?? false, closingNote: c.closingNote ?? "",
            closedAtMillis: millis(c.closedAt)
        )
    }

    package static func message(_ c: OversightCounts, unit: String, from: Date, to: Date, asOf: Date) -> APIOversightCountsResponse {
        APIOversightCountsResponse(
            unitCode: unit, fromMillis: millis(from), toMillis: millis(to), asOfMillis: millis(asOf),
            commitmentsRecorded: UInt64(c.commitmentsRecorded), checksConfirmed: UInt64(c.checksConfirmed),
            checksFoundFalse: UInt64(c.checksFoundFalse), checksOverdue: UInt64(c.checksOverdue), ledgerEntries: UInt64(c.ledgerEntries),
            ledgerEntriesNotToBeAskedFor: UInt64(c.ledgerEntriesNotToBeAskedFor), mismatchesOpened: UInt64(c.mismatchesOpened),
            mismatchesResolved: UInt64(c.mismatchesResolved), appealsFiled: UInt64(c.appealsFiled), appealsDecided: UInt64(c.appealsDecided),
            complaints: c.complaintsByBreach.sorted { $0.key < $1.key }.map { APIBreachCount(breachType: $0.key.rawValue, count: UInt64($0.value)) }
        )
    }

    // MARK: Helpers

    static func millis(_ date: Date?) -> Int64 { OversightUseCases.millis(date) }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func limit(_ limit: UInt32, default value: Int) -> Int { OversightUseCases.limit(limit, default: value) }
}
