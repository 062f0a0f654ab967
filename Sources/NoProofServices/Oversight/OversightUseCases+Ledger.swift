package import Foundation
import NoProofAuditChain
import NoProofDomain
package import NoProofOversight
import NoProofProtocol
import NoProofUnits

extension OversightUseCases {
    /// A voluntary-proof ledger entry to record, as the request gives it.
    package struct LedgerInput: Hashable, Sendable {
        package var holderID: String
        package var holderName: String
        package var itemCode: String
        package var caseReference: String
        package var proofType: String
        /// Empty: the name the list gives the proof.
        package var proofName: String
        package var note: String

        package init(holderID: String, holderName: String, itemCode: String, caseReference: String, proofType: String, proofName: String, note: String) {
            self.holderID = holderID
            self.holderName = holderName
            self.itemCode = itemCode
            self.caseReference = caseReference
            self.proofType = proofType
            self.proofName = proofName
            self.note = note
        }
    }

    /// Records a proof an applicant brought of their own accord, for an item of the caller's list
    /// in force, by its active staff; audited `Oversight.AddLedgerEntry` (`volunteered`, with the
    /// list's method and whether the list says not to ask for it).
    package func addLedgerEntry(_ input: LedgerInput, caller: Caller) async throws -> Stored<LedgerEntry> {
        let unit = caller.unit
        let staff = try await member(caller.staff(), of: unit)
        let moment = now()
        // Validate the fields before looking at the list, so a typo gets the field-level message.
        _ = try LedgerEntry.make(
            id: "check", unit: unit.unitCode, unitName: unit.unitName, holderID: input.holderID,
            holderName: input.holderName, itemCode: input.itemCode, caseReference: input.caseReference,
            proofType: input.proofType, proofName: input.proofName, listed: nil, note: input.note,
            by: staff, at: moment)
        let item = try await listedItem(input.itemCode, unit: unit, at: moment, purpose: "a ledger entry")
        let listed = item.proof(input.proofType)
        let entry = try LedgerEntry.make(
            id: Self.newID("LG"), unit: unit.unitCode, unitName: unit.unitName, holderID: input.holderID,
            holderName: input.holderName, itemCode: input.itemCode, caseReference: input.caseReference,
            proofType: input.proofType, proofName: input.proofName.isEmpty ? (listed?.name ?? "") : input.proofName,
            listed: listed?.method, note: input.note, by: staff, at: moment)
        let (stored, created) = try await store.insertLedgerEntry(entry)
        guard created else { return Stored(record: stored, replayed: true) }
        try await audited(
            caller: caller, action: .oversightAddLedgerEntry, staff: staff, item: stored.itemCode,
            caseReference: stored.caseReference, holder: stored.holderID, type: stored.proofType, id: stored.id,
            result: .volunteered(list: stored.listedMethod, detail: stored.notToBeAskedFor ? " (not to be asked for)" : ""), at: moment)
        return Stored(record: stored, replayed: false)
    }

    /// The ledger entries of `unitCode` (see `scope`) recorded in `from`..`to` (nil: open), at most `limit`.
    package func ledger(unitCode: String, from: Date?, to: Date?, limit: Int, caller: Caller) async throws -> [LedgerEntry] {
        let scope = try scope(unitCode, caller: caller, what: "ledger entries")
        return try await store.ledgerEntries(unit: scope, from: from, to: to, limit: limit)
    }
}
