import Foundation
package import NoProofAuditChain
package import NoProofDomain
import NoProofProtocol
import Logging
import NoProofUnitStore
import NoProofUnits

extension SupervisionUseCases {
    /// One page of who looked: `limit` entries for `holder`, older than audit sequence `before`
    /// (nil: the newest). `pageToken` is the token as given, kept in the audit record.
    package struct WhoLookedInput: Hashable, Sendable {
        package var holder: Holder
        package var before: Int64?
        package var limit: Int
        package var pageToken: String

        package init(holder: Holder, before: Int64? = nil, limit: Int = 50, pageToken: String = "") {
            self.holder = holder
            self.before = before
            self.limit = limit
            self.pageToken = pageToken
        }
    }

    /// A unit that obtained (or tried to obtain) the holder's data: one audit record, with the
    /// names of the unit, the item and the licence type or proof.
    package struct WhoLookedEntry: Hashable, Sendable {
        package var atMillis: Int64
        package var unitCode: String
        package var unitName: String
        package var action: AuditAction
        package var itemCode: String
        package var itemName: String
        package var typeCode: String
        package var typeName: String
        package var result: AuditResult
        package var auditSequence: Int64
    }

    /// A page of who looked, newest first; `nextPageToken` is "" on the last page.
    package struct WhoLookedPage: Hashable, Sendable {
        package var holderID: String
        package var entries: [WhoLookedEntry]
        package var nextPageToken: String
    }

    /// Every unit that obtained (or tried to obtain) the holder's data, from the audit trail's
    /// holder index, newest first and paged — for the citizen portal only (`forbidden` for anyone
    /// else); audited as `Supervision.WhoLooked` (`listed`).
    package func whoLooked(_ input: WhoLookedInput, caller: Caller) async throws -> WhoLookedPage {
        let portal = caller.unit
        guard portal.isCitizenPortal else {
            throw NoProofError(
                .forbidden,
                "only the citizen portal's credential (role \(AuthenticatedUnit.citizenPortalRole)) reads who looked at a holder's data; this connection acts for \(portal.unitName) (\(portal.unitCode))"
            )
        }
        let holder = input.holder
        let limit = input.limit
        let found: [AuditRecord]
        do {
            // One more than asked, to know whether there is a next page.
            found = try await audit.records(aboutHolder: holder.key, actions: Self.dataActions, before: input.before, limit: limit + 1)
        } catch {
            logger.error("audit trail unreadable", metadata: ["error": "\(error)"])
            throw NoProofError(.unavailable, "the audit trail could not be read; retry")
        }
        let page = Array(found.prefix(limit))
        let registered = try await units.units()
        let unitNames = Dictionary(registered.map { ($0.code.value, $0.name) }, uniquingKeysWith: { first, _ in first })
        var itemNames: [String: [String: String]] = [:]  // unit -> item code -> name (newest version naming it)
        var proofNames: [String: [String: String]] = [:]  // unit -> proof code -> name as its list writes it
        for code in Set(page.map(\.unitCode)) {
            guard let parsed = try? UnifiedSocialCreditCode.parse(code, field: "unit") else { continue }
            let history = (try? await units.listHistory(unit: parsed)) ?? []
            for version in history {
                for item in version.items {
                    itemNames[code, default: [:]][item.code] = item.name
                    for proof in item.proofs where !proof.name.isEmpty { proofNames[code, default: [:]][proof.proofCode] = proof.name }
                }
            }
        }
        let entries = page.map { record in
            WhoLookedEntry(
                atMillis: record.atMillis, unitCode: record.unitCode, unitName: unitNames[record.unitCode] ?? "",
                action: record.action, itemCode: record.itemCode, itemName: itemNames[record.unitCode]?[record.itemCode] ?? "",
                typeCode: record.typeCode,
                typeName: typeNames[record.typeCode] ?? proofNames[record.unitCode]?[record.typeCode] ?? "",
                result: record.result, auditSequence: record.sequence)
        }
        let next = found.count > limit ? page.last.map { String($0.sequence) } ?? "" : ""
        await record(
            AuditRecord(
                atMillis: Self.millis(now()), unitCode: portal.unitCode, credentialID: portal.credentialID,
                staff: caller.claimedStaff ?? "", action: .supervisionWhoLooked, itemCode: "", caseReference: input.pageToken,
                holderID: holder.key, typeCode: "", licenceID: "\(entries.count) entries", result: .listed))
        return WhoLookedPage(holderID: holder.key, entries: entries, nextPageToken: next)
    }
}
