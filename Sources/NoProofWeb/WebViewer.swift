package import Foundation

/// Who a page is shown to, as the pages print it: the signed-in credential and its unit, and the
/// token the page's forms (logout) carry.
package struct WebViewer: Sendable {
    package var credentialID: String
    package var unitCode: String
    package var unitName: String
    package var csrfToken: String
    package var signedInAt: Date

    package init(credentialID: String, unitCode: String, unitName: String, csrfToken: String, signedInAt: Date) {
        self.credentialID = credentialID
        self.unitCode = unitCode
        self.unitName = unitName
        self.csrfToken = csrfToken
        self.signedInAt = signedInAt
    }

    /// The staff id of a staff credential named `UNIT/STAFF-ID` (README "staff credential"), else nil.
    package var staffID: String? {
        guard let slash = credentialID.lastIndex(of: "/") else { return nil }
        let id = credentialID[credentialID.index(after: slash)...]
        return id.isEmpty ? nil : String(id)
    }
}
