package import NoProofDomain
package import NoProofProtocol
package import NoProofServer
import NoProofUnits

/// Who is calling, as the use cases see it: the connection's authenticated unit and the "staff"
/// metadata entry the call carried. The one input about the caller that every use case takes —
/// no `CallContext`, no socket — so a use case is called the same way by its RPC adapter and by a
/// test. The checks that need a person's authority are here, written once (docs/SECURITY.md,
/// "Staff identity"); they throw `NoProofError` (`forbidden`, `invalid`), which the server turns
/// into PERMISSION_DENIED and INVALID_ARGUMENT.
package struct Caller: Hashable, Sendable {
    /// The unit the connection authenticated as.
    package var unit: AuthenticatedUnit
    /// The "staff" metadata entry of the call, if any (a departmental system names its clerk).
    package var claimedStaff: String?

    package init(unit: AuthenticatedUnit, claimedStaff: String? = nil) {
        self.unit = unit
        self.claimedStaff = claimedStaff
    }

    /// The caller of `context`: UNAUTHENTICATED before authentication, PERMISSION_DENIED for the
    /// citizen portal's credential (it may only call the portal's own methods).
    package init(_ context: CallContext) throws(RPCError) {
        self.init(unit: try context.requireUnit(), claimedStaff: context.staff)
    }

    /// The acting staff member's id: on a staff credential, the person it belongs to — a "staff"
    /// entry naming anyone else is `forbidden`; on a departmental system's credential, the "staff"
    /// entry (`invalid` when missing or malformed). Callers still check that the id is an active
    /// member of the unit.
    package func staff() throws(NoProofError) -> String {
        if let signedIn = unit.staffID {
            if let claimed = claimedStaff, !claimed.isEmpty, claimed != signedIn {
                throw NoProofError(
                    .forbidden,
                    "this connection is signed in as staff member \(signedIn) and cannot act as \(claimed); drop the staff metadata or sign in with \(claimed)'s own credential"
                )
            }
            return signedIn
        }
        guard let staff = claimedStaff, !staff.isEmpty else {
            throw NoProofError(.invalid, "staff metadata required: name the acting staff member (metadata \"staff\"; CLI --staff or NOPROOF_STAFF)")
        }
        do {
            try StaffMember.validateID(staff, field: "staff")
        } catch {
            throw .invalid(error)
        }
        return staff
    }

    /// The staff member signed in with their own staff credential, for acts that carry a person's
    /// authority (approving lists, answering verification, acting as supervisor, changing staff
    /// and credentials). On a departmental system's credential the "staff" entry is only a name
    /// the system typed, so such acts are `forbidden`.
    package func signedInStaff(to action: String) throws(NoProofError) -> String {
        guard unit.staffID != nil else {
            throw NoProofError(
                .forbidden,
                "to \(action) the staff member must sign in with their own staff credential; this connection uses "
                    + "\(unit.unitName)'s system credential \(unit.credentialID), on which the staff metadata is only a name. "
                    + "The task force office issues one: noproof credential issue \(unit.unitCode) --staff-member ID")
        }
        return try staff()
    }

    /// Refuses (`forbidden`) anyone but the task force office.
    package func requireTaskForce(to action: String) throws(NoProofError) {
        guard unit.isTaskForce else {
            throw NoProofError(
                .forbidden, "only the task force office (工作专班办公室) may \(action); this connection acts for \(unit.unitName) (\(unit.unitCode))")
        }
    }
}
