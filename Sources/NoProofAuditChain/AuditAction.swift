/// What an audit record is about: the RPC or event that wrote it (`audit.action`; docs/AUDIT.md,
/// "What is audited"). An extensible vocabulary over the stored text: every value written today
/// has a constant below, writers and readers (supervision figures, tallies, the holder index,
/// the seal-key start check) use the constants, and a value read back from storage that has no
/// constant (an older or newer server's) is kept as it is, never lost. The raw value is the text
/// stored and hashed into the chain, byte for byte.
///
/// Not `ExpressibleByStringLiteral` on purpose: a misspelt literal would type-check again.
package struct AuditAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package var description: String { rawValue }
}

extension AuditAction {
    // MARK: Data-sharing calls (LicenceService)

    /// `Licences.Lookup`: a proof asked for (LicenceService).
    package static let lookup = AuditAction(rawValue: "Lookup")
    /// `Licences.GetLicence`: a licence read with its holder (LicenceService).
    package static let getLicence = AuditAction(rawValue: "GetLicence")
    /// `Licences.CheckLicence`: declared fields checked against the record (LicenceService).
    package static let checkLicence = AuditAction(rawValue: "CheckLicence")
    /// `Licences.GetProofStatus`: a saved proof's current status (LicenceService+ProofStatus).
    package static let proofStatus = AuditAction(rawValue: "ProofStatus")

    // MARK: Licence writes (LicenceService, MismatchCorrection)

    /// A licence issued (LicenceService, intent first).
    package static let licenceIssue = AuditAction(rawValue: "Licence.Issue")
    /// A licence amended (LicenceService; MismatchCorrection for a corrected record).
    package static let licenceAmend = AuditAction(rawValue: "Licence.Amend")
    /// A licence suspended (LicenceService).
    package static let licenceSuspend = AuditAction(rawValue: "Licence.Suspend")
    /// A suspended licence reinstated (LicenceService).
    package static let licenceReinstate = AuditAction(rawValue: "Licence.Reinstate")
    /// A licence revoked (LicenceService).
    package static let licenceRevoke = AuditAction(rawValue: "Licence.Revoke")
    /// One ImportLicences call (LicenceService).
    package static let licenceImport = AuditAction(rawValue: "Licence.Import")

    // MARK: Department verification (VerificationService)

    /// A verification request filed (VerificationService; `denied` when the requester's list refuses it).
    package static let verificationFile = AuditAction(rawValue: "Verification.File")
    /// A returned request filed again (VerificationService).
    package static let verificationRefile = AuditAction(rawValue: "Verification.Refile")
    /// A request taken by the issuing unit's staff (VerificationService).
    package static let verificationTake = AuditAction(rawValue: "Verification.Take")
    /// A request answered (VerificationService).
    package static let verificationAnswer = AuditAction(rawValue: "Verification.Answer")
    /// A request returned as not the unit's duty (VerificationService).
    package static let verificationReturn = AuditAction(rawValue: "Verification.Return")
    /// A request gone overdue, escalated to the supervisor (VerificationService's deadline watch, staff `system`).
    package static let verificationEscalate = AuditAction(rawValue: "Verification.Escalate")
    /// The supervisor's time passed too (VerificationService's deadline watch, staff `system`).
    package static let verificationSecondBreach = AuditAction(rawValue: "Verification.SecondBreach")

    // MARK: Item lists (UnitService, AccessGate)

    /// A new draft list version (UnitService).
    package static let listDraft = AuditAction(rawValue: "List.Draft")
    /// A draft saved (UnitService).
    package static let listSave = AuditAction(rawValue: "List.Save")
    /// A draft submitted for approval (UnitService).
    package static let listSubmit = AuditAction(rawValue: "List.Submit")
    /// A rejected version reopened as a draft (UnitService).
    package static let listReopen = AuditAction(rawValue: "List.Reopen")
    /// A submitted version approved (UnitService).
    package static let listApprove = AuditAction(rawValue: "List.Approve")
    /// A submitted version rejected (UnitService).
    package static let listReject = AuditAction(rawValue: "List.Reject")
    /// A version published (UnitService; AccessGate, staff `system`, when its effective time comes).
    package static let listPublish = AuditAction(rawValue: "List.Publish")
    /// A unit's lists read (UnitService).
    package static let listLoad = AuditAction(rawValue: "List.Load")
    /// A list change reported over 3 working days after its cause (UnitService, with `List.Submit`).
    package static let listLateChange = AuditAction(rawValue: "List.LateChange")

    // MARK: Units, staff, credentials, calendar (UnitService)

    /// A unit registered (UnitService).
    package static let unitCreate = AuditAction(rawValue: "Unit.Create")
    /// A unit changed or deactivated (UnitService).
    package static let unitUpdate = AuditAction(rawValue: "Unit.Update")
    /// A unit's staff replaced (UnitService).
    package static let staffSet = AuditAction(rawValue: "Staff.Set")
    /// A credential issued (UnitService).
    package static let credentialIssue = AuditAction(rawValue: "Credential.Issue")
    /// A credential revoked (UnitService).
    package static let credentialRevoke = AuditAction(rawValue: "Credential.Revoke")
    /// A working-day calendar year published (UnitService).
    package static let calendarPublish = AuditAction(rawValue: "Calendar.Publish")

    // MARK: Access gate

    /// A burst that looks like harvesting (AccessGate).
    package static let harvestSuspected = AuditAction(rawValue: "Harvest.Suspected")

    // MARK: Supervision (SupervisionService)

    /// A supervision report read (SupervisionService).
    package static let supervisionReport = AuditAction(rawValue: "Supervision.Report")
    /// "Who looked at my data" read (SupervisionService).
    package static let supervisionWhoLooked = AuditAction(rawValue: "Supervision.WhoLooked")
    /// A flag exemption granted (SupervisionService, intent first).
    package static let supervisionExempt = AuditAction(rawValue: "Supervision.Exempt")
    /// Flag exemptions listed (SupervisionService).
    package static let supervisionListExemptions = AuditAction(rawValue: "Supervision.ListExemptions")

    // MARK: The audit trail itself, seal keys

    /// Record 1 of a new chain (AuditStartCheck, `noproofd --new-audit-epoch`).
    package static let auditNewEpoch = AuditAction(rawValue: "Audit.NewEpoch")
    /// An inclusion proof of a record read (AuditService).
    package static let auditProveRecord = AuditAction(rawValue: "Audit.ProveRecord")
    /// A seal key created at start (SealKeyAudit).
    package static let sealKeyCreate = AuditAction(rawValue: "SealKey.Create")
    /// The seal key in use at start (SealKeyAudit).
    package static let sealKeyInUse = AuditAction(rawValue: "SealKey.InUse")
    /// A seal key rotated by the operator (SealKeyAudit, intent first).
    package static let sealKeyRotate = AuditAction(rawValue: "SealKey.Rotate")

    // MARK: Oversight (OversightService, MismatchCorrection)

    /// A notification-commitment recorded (OversightService).
    package static let oversightRecordCommitment = AuditAction(rawValue: "Oversight.RecordCommitment")
    /// A commitment's post-check outcome (OversightService).
    package static let oversightCheckCommitment = AuditAction(rawValue: "Oversight.CheckCommitment")
    /// A voluntary-proof ledger entry (OversightService).
    package static let oversightAddLedgerEntry = AuditAction(rawValue: "Oversight.AddLedgerEntry")
    /// A mismatch case opened (OversightService).
    package static let oversightOpenMismatch = AuditAction(rawValue: "Oversight.OpenMismatch")
    /// A supplement requested for a mismatch (OversightService).
    package static let oversightRequestSupplement = AuditAction(rawValue: "Oversight.RequestSupplement")
    /// A supplement recorded (OversightService).
    package static let oversightRecordSupplement = AuditAction(rawValue: "Oversight.RecordSupplement")
    /// A mismatch re-verified (OversightService; MismatchCorrection for `record_corrected`).
    package static let oversightReverify = AuditAction(rawValue: "Oversight.Reverify")
    /// The corrected proof issued to the raising unit (MismatchCorrection).
    package static let oversightCorrectedProof = AuditAction(rawValue: "Oversight.CorrectedProof")
    /// A correction notice to a unit that fetched the licence (MismatchCorrection).
    package static let oversightCorrectionNotice = AuditAction(rawValue: "Oversight.CorrectionNotice")
    /// An appeal against a finding filed (OversightService).
    package static let oversightAppealFiled = AuditAction(rawValue: "Oversight.AppealFiled")
    /// An appeal decided (OversightService).
    package static let oversightAppealDecided = AuditAction(rawValue: "Oversight.AppealDecided")
    /// A complaint registered (OversightService).
    package static let oversightFileComplaint = AuditAction(rawValue: "Oversight.FileComplaint")
    /// A complaint routed to a unit (OversightService).
    package static let oversightRouteComplaint = AuditAction(rawValue: "Oversight.RouteComplaint")
    /// A complaint answered (OversightService).
    package static let oversightAnswerComplaint = AuditAction(rawValue: "Oversight.AnswerComplaint")
    /// A complaint closed (OversightService).
    package static let oversightCloseComplaint = AuditAction(rawValue: "Oversight.CloseComplaint")

    /// Every constant above, in declaration order (the vocabulary's tests check they are distinct).
    package static let known: [AuditAction] = [
        .lookup, .getLicence, .checkLicence, .proofStatus,
        .licenceIssue, .licenceAmend, .licenceSuspend, .licenceReinstate, .licenceRevoke, .licenceImport,
        .verificationFile, .verificationRefile, .verificationTake, .verificationAnswer, .verificationReturn,
        .verificationEscalate, .verificationSecondBreach,
        .listDraft, .listSave, .listSubmit, .listReopen, .listApprove, .listReject, .listPublish, .listLoad, .listLateChange,
        .unitCreate, .unitUpdate, .staffSet, .credentialIssue, .credentialRevoke, .calendarPublish,
        .harvestSuspected,
        .supervisionReport, .supervisionWhoLooked, .supervisionExempt, .supervisionListExemptions,
        .auditNewEpoch, .auditProveRecord, .sealKeyCreate, .sealKeyInUse, .sealKeyRotate,
        .oversightRecordCommitment, .oversightCheckCommitment, .oversightAddLedgerEntry, .oversightOpenMismatch,
        .oversightRequestSupplement, .oversightRecordSupplement, .oversightReverify, .oversightCorrectedProof,
        .oversightCorrectionNotice, .oversightAppealFiled, .oversightAppealDecided, .oversightFileComplaint,
        .oversightRouteComplaint, .oversightAnswerComplaint, .oversightCloseComplaint,
    ]
}
