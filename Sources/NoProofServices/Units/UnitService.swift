package import Foundation
package import Logging
import NoProofCodec
import NoProofDomain
import NoProofDomainMessages
import NoProofMessages
import NoProofProtocol
package import NoProofServer
package import NoProofUnitStore
import NoProofUnits
package import NoProofAuditChain

/// Units, staff, credentials and the item lists over RPC (`noproof.v1.Units`): the adapter of
/// `UnitUseCases`, which holds the policy and the audit.
///
/// Who may do what:
/// - anyone, without authentication, reads the unit registry and the published lists with their
///   version history (Art. 5: lists are public); the unit itself and the task force office also
///   see its open (unpublished) versions;
/// - an authenticated unit reads units and staff; a unit or the task force office replaces the
///   unit's staff set (the Art. 10 rule is enforced by the store);
/// - only the task force office issues, revokes and lists credentials and reads the denial log;
/// - the unit drafts, edits, submits and reopens its own list; the task force office's supervisor
///   (督办员) approves or rejects it; the unit or the task force office publishes it.
///
/// List actions name the acting staff member in the `staff` metadata; the store checks that the
/// member belongs to the acting unit. After a list is published the `AccessGate` reloads, so
/// lookups follow the new list at once.
///
/// Every change — units, staff, credentials issued and revoked, each step of a list's life cycle
/// (and each change it declares late) — is written to the audit trail before the call is
/// answered (docs/AUDIT.md lists the actions).
package struct UnitService: Sendable {
    let useCases: UnitUseCases

    /// - Parameters:
    ///   - gate: reloaded after list changes so lookups see new published lists.
    ///   - credentialRounds: PBKDF2 rounds of issued credentials (lower only in tests).
    package init(
        store: any UnitStore, gate: AccessGate, audit: any AuditTrail, credentialRounds: Int = CredentialHash.defaultRounds,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "noproof.units"),
        sessions: LiveSessions? = nil
    ) {
        useCases = UnitUseCases(
            store: store, gate: gate, audit: audit, credentialRounds: credentialRounds, now: now, logger: logger, sessions: sessions)
    }

    package func register(in registry: inout RPCRegistry) {
        let useCases = self.useCases
        registry.unary(UnitMethods.listUnits, APIListUnitsRequest.self, APIListUnitsResponse.self) { _, _ in
            APIListUnitsResponse(units: try await useCases.units().map(APIUnitInfo.init))
        }
        registry.unary(UnitMethods.getUnit, APIGetUnitRequest.self, APIGetUnitResponse.self) { request, context in
            let caller = try Caller(context)
            return APIGetUnitResponse(unit: APIUnitInfo(try await useCases.unit(RequestFields.unitCode(request.unitCode), caller: caller)))
        }
        registry.unary(UnitMethods.listStaff, APIListStaffRequest.self, APIListStaffResponse.self) { request, context in
            let found = try await useCases.staff(of: request.unitCode, includeInactive: request.includeInactive, caller: Caller(context))
            return APIListStaffResponse(unitCode: found.unit.value, staff: found.staff.map(APIStaffEntry.init))
        }
        registry.unary(UnitMethods.createUnit, APICreateUnitRequest.self, APIGetUnitResponse.self) { request, context in
            let caller = try Caller(context)
            let unit = Result { () throws -> (ServiceUnit, [StaffMember]) in
                guard let message = request.unit else { throw RPCError(.invalidArgument, "unit: required") }
                let created = try ServiceUnit(message: message)
                let members = try request.staff.enumerated().map { index, entry throws(ValidationError) in
                    try StaffMember(message: entry, active: true, field: "staff[\(index)]")
                }
                return (created, members)
            }
            return APIGetUnitResponse(unit: APIUnitInfo(try await useCases.createUnit(unit, caller: caller)))
        }
        registry.unary(UnitMethods.updateUnit, APIUpdateUnitRequest.self, APIGetUnitResponse.self) { request, context in
            let caller = try Caller(context)
            let unit = Result { () throws -> ServiceUnit in
                guard let message = request.unit else { throw RPCError(.invalidArgument, "unit: required") }
                return try ServiceUnit(message: message)
            }
            return APIGetUnitResponse(unit: APIUnitInfo(try await useCases.updateUnit(unit, caller: caller)))
        }
        registry.unary(UnitMethods.setStaff, APISetStaffRequest.self, APIListStaffResponse.self) { request, context in
            let caller = try Caller(context)
            let members = Result { () throws -> [StaffMember] in
                try request.staff.enumerated().map { index, entry throws(ValidationError) in
                    try StaffMember(message: entry, active: true, field: "staff[\(index)]")
                }
            }
            let set = try await useCases.setStaff(of: request.unitCode, to: members, caller: caller)
            return APIListStaffResponse(unitCode: set.unit.value, staff: set.staff.map(APIStaffEntry.init))
        }
        registry.unary(UnitMethods.issueCredential, APIIssueCredentialRequest.self, APIIssueCredentialResponse.self) { request, context in
            let input = UnitUseCases.CredentialInput(
                unitCode: request.unitCode, label: request.label, expiresInDays: request.expiresInDays, certificateSHA256: request.certificateSha256,
                staffID: request.staffID, kind: request.kind)
            let issued = try await useCases.issueCredential(input, caller: Caller(context))
            return APIIssueCredentialResponse(credential: APICredentialInfo(issued.credential), secret: issued.secret)
        }
        registry.unary(UnitMethods.revokeCredential, APIRevokeCredentialRequest.self, APICredentialResponse.self) { request, context in
            let revoked = try await useCases.revokeCredential(request.credentialID, reason: request.reason, caller: Caller(context))
            return APICredentialResponse(credential: APICredentialInfo(revoked))
        }
        registry.unary(UnitMethods.listCredentials, APIListCredentialsRequest.self, APIListCredentialsResponse.self) { request, context in
            let found = try await useCases.credentials(of: request.unitCode, caller: Caller(context))
            return APIListCredentialsResponse(credentials: found.map(APICredentialInfo.init))
        }
        registry.unary(UnitMethods.listDenials, APIListDenialsRequest.self, APIListDenialsResponse.self) { request, context in
            let limit = request.limit == 0 ? 100 : Int(min(request.limit, 10_000))
            let records = try await useCases.denials(of: request.unitCode, limit: limit, caller: Caller(context))
            return APIListDenialsResponse(
                denials: records.map {
                    APIDenialEntry(
                        atMillis: Int64(($0.at.timeIntervalSince1970 * 1000).rounded(.down)), unitCode: $0.unitCode, staffID: $0.staffID,
                        itemCode: $0.itemCode, caseReference: $0.caseReference, typeCode: $0.typeCode,
                        kind: $0.kind == .denial ? "denial" : "breach", reason: $0.reason, message: $0.message)
                })
        }
        registerLists(in: &registry)
    }

    // MARK: Item lists

    private func registerLists(in registry: inout RPCRegistry) {
        let useCases = self.useCases
        registry.unary(UnitMethods.getItemList, APIGetItemListRequest.self, APIGetItemListResponse.self) { request, context in
            let found = try await useCases.itemList(of: RequestFields.unitCode(request.unitCode), caller: Self.optionalCaller(context))
            return APIGetItemListResponse(
                unit: APIUnitInfo(found.unit), inForce: found.inForce.map(APIItemList.init), versions: found.versions.map(APIItemList.init))
        }
        registry.unary(UnitMethods.showItem, APIShowItemRequest.self, APIShowItemResponse.self) { request, context in
            try await showItem(request, context: context)
        }
        registry.unary(UnitMethods.createDraft, APICreateDraftRequest.self, APIItemListResponse.self) { request, context in
            APIItemListResponse(list: APIItemList(try await useCases.createDraft(of: request.unitCode, caller: Caller(context))))
        }
        registry.unary(UnitMethods.saveDraft, APISaveDraftRequest.self, APIItemListResponse.self) { request, context in
            let caller = try Caller(context)
            let content = Result { () throws -> (items: [ServiceItem], changes: [ListChange]) in
                let items = try request.items.enumerated().map { index, item throws(ValidationError) in
                    try ServiceItem(message: item, field: "items[\(index)]")
                }
                let changes = try request.changes.enumerated().map { index, change throws(ValidationError) in
                    try ListChange(message: change, field: "changes[\(index)]")
                }
                return (items, changes)
            }
            return APIItemListResponse(
                list: APIItemList(try await useCases.saveDraft(of: request.unitCode, version: request.version, content: content, caller: caller)))
        }
        registry.unary(UnitMethods.submitList, APIListVersionRequest.self, APIItemListResponse.self) { request, context in
            APIItemListResponse(list: APIItemList(try await useCases.submitList(of: request.unitCode, version: request.version, caller: Caller(context))))
        }
        registry.unary(UnitMethods.reopenList, APIListVersionRequest.self, APIItemListResponse.self) { request, context in
            APIItemListResponse(list: APIItemList(try await useCases.reopenList(of: request.unitCode, version: request.version, caller: Caller(context))))
        }
        registry.unary(UnitMethods.approveList, APIApproveListRequest.self, APIItemListResponse.self) { request, context in
            let effective = request.effectiveAtMillis == 0 ? nil : Date(timeIntervalSince1970: Double(request.effectiveAtMillis) / 1000)
            let list = try await useCases.approveList(of: request.unitCode, version: request.version, effectiveAt: effective, caller: Caller(context))
            return APIItemListResponse(list: APIItemList(list))
        }
        registry.unary(UnitMethods.rejectList, APIRejectListRequest.self, APIItemListResponse.self) { request, context in
            let list = try await useCases.rejectList(of: request.unitCode, version: request.version, reason: request.reason, caller: Caller(context))
            return APIItemListResponse(list: APIItemList(list))
        }
        registry.unary(UnitMethods.publishList, APIListVersionRequest.self, APIItemListResponse.self) { request, context in
            APIItemListResponse(list: APIItemList(try await useCases.publishList(of: request.unitCode, version: request.version, caller: Caller(context))))
        }
        registry.unary(UnitMethods.loadItemLists, APILoadItemListsRequest.self, APILoadItemListsResponse.self) { request, context in
            let report = try await useCases.loadItemLists(format: request.format, text: request.text, caller: Caller(context))
            return APILoadItemListsResponse(
                loaded: report.loaded.map {
                    APILoadedList(unitCode: $0.unitCode, version: UInt32(clamping: $0.version), itemCount: UInt32(clamping: $0.itemCount))
                },
                problems: report.problems.map { APILoadProblem(location: $0.location, unit: $0.unit, field: $0.field, message: $0.message) }
            )
        }
        registry.unary(UnitMethods.getCalendar, APIGetCalendarRequest.self, APIGetCalendarResponse.self) { request, _ in
            let found = try await useCases.calendar(year: Int(request.year), history: request.history)
            return APIGetCalendarResponse(years: found.years.map(APICalendarYearInfo.init), officeHours: found.officeHours)
        }
        registry.unary(UnitMethods.publishCalendarYear, APIPublishCalendarYearRequest.self, APIPublishCalendarYearResponse.self) { request, context in
            let caller = try Caller(context)
            let year = Result { () throws -> CalendarYear in
                guard let message = request.year else { throw RPCError(.invalidArgument, "year: required") }
                return try CalendarYear(message: message)
            }
            return APIPublishCalendarYearResponse(year: APICalendarYearInfo(try await useCases.publishCalendarYear(year, caller: caller)))
        }
    }

    /// "What must the applicant bring for item X": from the unit's published list in force, each
    /// proof with its method and what to do (only an excluded proof is brought by the applicant).
    func showItem(_ request: APIShowItemRequest, context: CallContext) async throws -> APIShowItemResponse {
        let (unit, list, item) = try await useCases.showItem(request.itemCode, of: request.unitCode, caller: Self.optionalCaller(context))
        let proofs = item.proofs.map { proof -> APIItemProofGuidance in
            let guidance = ProofGuidance(itemCode: item.code, proof: proof, listVersion: list.version)
            var issuing = ""
            if case .departmentVerification(let code) = proof.method { issuing = code.value }
            return APIItemProofGuidance(
                proof: proof.proofCode, name: proof.name, method: proof.method.token, issuingUnit: issuing,
                applicantBrings: guidance.applicantBrings, whatToDo: guidance.whatToDo, fields: proof.disclosure.keys)
        }
        return APIShowItemResponse(
            unitCode: unit.code.value, unitName: unit.name, listVersion: UInt32(list.version),
            effectiveAtMillis: list.effectiveAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } ?? 0,
            itemCode: item.code, itemName: item.name, itemKind: item.kind.token, proofs: proofs)
    }

    /// The caller of a method open without authentication: nil before authentication.
    static func optionalCaller(_ context: CallContext) -> Caller? {
        context.unit.map { Caller(unit: $0, claimedStaff: context.staff) }
    }

}
