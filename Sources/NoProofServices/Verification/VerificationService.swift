package import Foundation
package import Logging
package import NoProofAuditChain
import NoProofCodec
package import NoProofDomain
package import NoProofMessages
import NoProofProtocol
package import NoProofSeals
package import NoProofServer
package import NoProofUnitStore
package import NoProofUnits
package import NoProofVerification

/// Department verification over RPC (`noproof.v1.Verification`, Art. 7, 9, 10, 11): the adapter
/// of `VerificationUseCases`, which holds who may do what and the audit. Here: the method
/// registrations, the request messages turned into the use cases' inputs (the checks of a field
/// that need no request state), and the requests turned into `VerificationRecord`s.
package final class VerificationService: Sendable {
    package let useCases: VerificationUseCases
    let now: @Sendable () -> Date

    package var scheduler: VerificationScheduler { useCases.scheduler }
    package var events: VerificationEventHub { useCases.events }

    /// - Parameters:
    ///   - databaseBacked: whether a proof type is a licence type of a database that is not yet
    ///     connected (the 30-minute rule applies); free proof codes are not.
    ///   - calendar: the calendar in force (the server passes the unit store's).
    package init(
        store: any VerificationStore, units: any UnitStore, keyring: SealKeyring, audit: any AuditTrail,
        databaseBacked: @escaping @Sendable (String) -> Bool, now: @escaping @Sendable () -> Date = { Date() },
        calendar: CalendarBook? = nil, logger: Logger = Logger(label: "noproof.verification")
    ) {
        self.useCases = VerificationUseCases(
            store: store, units: units, keyring: keyring, audit: audit, databaseBacked: databaseBacked, now: now,
            calendar: calendar, logger: logger)
        self.now = now
    }

    /// Hooks the scheduler to the audit log and the watch streams and re-arms every pending
    /// deadline from the store. Returns how many deadlines are armed.
    @discardableResult
    package func start() async throws(NoProofError) -> Int {
        try await useCases.start()
    }

    package func register(in registry: inout RPCRegistry) {
        registry.unary(VerificationMethods.file, APIFileVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            let purpose = request.purpose ?? APIPurpose()
            let input = VerificationUseCases.FileInput(
                requestKey: request.requestKey, issuingUnitCode: request.issuingUnitCode, proofType: request.proofType,
                holderID: request.holderID, holderName: request.holderName,
                declared: request.declared.map { DeclaredFact(key: $0.key, value: $0.value) },
                itemCode: purpose.itemCode, caseReference: purpose.caseReference,
                promisedCompletionAt: request.promisedCompletionAtMillis == 0 ? nil : Self.date(request.promisedCompletionAtMillis),
                caseAcceptedAt: request.caseAcceptedAtMillis == 0 ? nil : Self.date(request.caseAcceptedAtMillis))
            return try await response(useCases.file(input, caller: Caller(context)))
        }
        registry.unary(VerificationMethods.get, APIGetVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            let found = try await useCases.request(request.requestID, caller: Caller(context))
            return APIVerificationResponse(request: record(found), replayed: false)
        }
        registry.serverStreaming(VerificationMethods.watchRequest, APIWatchVerificationRequest.self, APIVerificationEvent.self) {
            [self] request, context, writer in
            let (current, stream) = try await useCases.watch(request.requestID, caller: Caller(context))
            try await writer.send(APIVerificationEvent(kind: "current", atMillis: Self.millis(now()), request: record(current)))
            // A watch ends once the request is finished (answered or returned).
            if !current.status.isOpen { return }
            for await event in stream {
                try await writer.send(message(event))
                if event.kind == "answered" || event.kind == "returned" { return }
            }
        }
        registry.unary(VerificationMethods.listQueue, APIListVerificationsRequest.self, APIListVerificationsResponse.self) { [self] request, context in
            let found = try await useCases.queue(caller: Caller(context), includeFinished: request.includeFinished, limit: Self.limit(request.limit))
            return APIListVerificationsResponse(requests: found.map { record($0) })
        }
        registry.unary(VerificationMethods.listFiled, APIListVerificationsRequest.self, APIListVerificationsResponse.self) { [self] request, context in
            let found = try await useCases.filed(caller: Caller(context), includeFinished: request.includeFinished, limit: Self.limit(request.limit))
            return APIListVerificationsResponse(requests: found.map { record($0) })
        }
        registry.serverStreaming(VerificationMethods.watchQueue, APIWatchVerificationQueueRequest.self, APIVerificationEvent.self) {
            [self] request, context, writer in
            let caller = try Caller(context)
            let stream = try await useCases.watchQueue(caller: caller)
            if request.includeOpen {
                let open = try await useCases.queue(caller: caller, includeFinished: false, limit: 1000)
                for pending in open {
                    try await writer.send(APIVerificationEvent(kind: "queued", atMillis: Self.millis(now()), request: record(pending)))
                }
            }
            for await event in stream { try await writer.send(message(event)) }
        }
        registry.unary(VerificationMethods.take, APITakeVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            try await response(useCases.take(request.requestID, caller: Caller(context)))
        }
        registry.unary(VerificationMethods.answer, APIAnswerVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            let outcome: VerificationOutcome
            switch request.outcome {
            case "verified": outcome = .verified
            case "not_on_record": outcome = .notOnRecord
            default: throw RPCError(.invalidArgument, "outcome: must be verified or not_on_record, got \"\(request.outcome.prefix(40))\"")
            }
            var content = request
            content.requestID = ""
            let input = VerificationUseCases.AnswerInput(
                requestID: request.requestID, outcome: outcome, record: request.licence, note: request.note,
                content: Data(ProtoCodec.encode(content)).base64EncodedString())
            return try await response(useCases.answer(input, caller: Caller(context)))
        }
        registry.unary(VerificationMethods.returnRequest, APIReturnVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            let suggested = try VerificationUseCases.unitCode(request.suggestedUnitCode, field: "suggested_unit_code")
            return try await response(
                useCases.returnRequest(request.requestID, reason: request.reason, suggested: suggested, caller: Caller(context)))
        }
        registry.unary(VerificationMethods.refile, APIRefileVerificationRequest.self, APIVerificationResponse.self) { [self] request, context in
            let caller = try Caller(context)
            if !request.issuingUnitCode.isEmpty { _ = try VerificationUseCases.unitCode(request.issuingUnitCode, field: "issuing_unit_code") }
            return try await response(useCases.refile(request.requestID, issuingUnitCode: request.issuingUnitCode, caller: caller))
        }
    }

    private func response(_ handled: VerificationUseCases.Handled) -> APIVerificationResponse {
        APIVerificationResponse(request: record(handled.request), replayed: handled.replayed)
    }

    // MARK: Messages

    package func record(_ request: VerificationRequest) -> APIVerificationRecord {
        Self.record(request, now: now())
    }

    package static func record(_ request: VerificationRequest, now: Date) -> APIVerificationRecord {
        APIVerificationRecord(
            requestID: request.id, requestKey: request.requestKey, requestingUnitCode: request.requestingUnit,
            requestingUnitName: request.requestingUnitName, issuingUnitCode: request.issuingUnit, issuingUnitName: request.issuingUnitName,
            proofType: request.proofType, holderID: request.holderID, holderName: request.holderName,
            declared: request.declared.map { APILicenceField(key: $0.key, value: $0.value) },
            purpose: APIPurpose(itemCode: request.itemCode, caseReference: request.caseReference), itemKind: request.itemKind.rawValue,
            promisedCompletionAtMillis: millis(request.promisedCompletionAt), deadlineRule: request.deadlineRule.rawValue,
            filedAtMillis: millis(request.filedAt), filedBy: request.filedBy, answerByMillis: millis(request.answerBy),
            returnByMillis: millis(request.returnBy), escalationByMillis: millis(request.escalationBy), status: request.status.rawValue,
            takenBy: request.takenBy ?? "", takenAtMillis: millis(request.takenAt), overdueAtMillis: millis(request.overdueAt),
            secondBreachAtMillis: millis(request.secondBreachAt), finishedAtMillis: millis(request.finishedAt),
            finishedBy: request.finishedBy ?? "", finishedLate: request.finishedLate, outcome: request.outcome?.rawValue ?? "",
            proof: request.proof.map { APISealedProof(body: [UInt8]($0.body), keyID: $0.keyID, signature: [UInt8]($0.signature)) },
            note: request.note,
            checks: request.checks.map {
                APIFieldCheck(key: $0.key, result: $0.result == .match ? .match : $0.result == .mismatch ? .mismatch : .notOnRecord)
            },
            returnReason: request.returnReason ?? "", suggestedUnitCode: request.suggestedUnit ?? "", refiledFrom: request.refiledFrom ?? "",
            refiledAs: request.refiledAs ?? "", verificationMillis: Int64((request.verificationTime(at: now) * 1000).rounded(.down)),
            caseAcceptedAtMillis: millis(request.caseAcceptedAt),
            itemProcessingMillis: Int64((request.itemProcessingTime(at: now) * 1000).rounded(.down)),
            deadlineNote: DeadlineRule.note(rule: request.deadlineRule, promisedCompletionAt: request.promisedCompletionAt)
        )
    }

    private func message(_ event: VerificationEvent) -> APIVerificationEvent {
        APIVerificationEvent(kind: event.kind, atMillis: Self.millis(event.at), request: record(event.request))
    }

    // MARK: Helpers

    static func millis(_ date: Date?) -> Int64 { VerificationUseCases.millis(date) }

    static func date(_ millis: Int64) -> Date { VerificationUseCases.date(millis) }

    static func limit(_ limit: UInt32) -> Int { limit == 0 ? 100 : Int(min(limit, 10_000)) }
}
