import Foundation
package import NoProofDomain

/// Durable storage of verification requests. Every method returns only once its write is
/// committed and synced, so a transition acknowledged to a client survives a crash.
package protocol VerificationStore: Sendable {
    /// Stores a new request, unless its requesting unit already filed one with the same
    /// `requestKey`: then nothing is written and the stored request comes back (`created` false).
    func insert(_ request: VerificationRequest) async throws(NoProofError) -> (request: VerificationRequest, created: Bool)

    /// The request with `id`, or nil.
    func request(id: String) async throws(NoProofError) -> VerificationRequest?

    /// Reads the request, applies `body` and writes it back in one transaction; `body` returns
    /// whether it changed anything (nothing is written when not). NOT_FOUND when there is no such request.
    func update(id: String, _ body: @Sendable (inout VerificationRequest) throws(NoProofError) -> Bool)
        async throws(NoProofError) -> (request: VerificationRequest, changed: Bool)

    /// Re-files a returned request in one transaction: stores `build(old)` and links the two.
    /// When the request was re-filed already, returns that request (`created` false).
    func refile(id: String, _ build: @Sendable (VerificationRequest) throws(NoProofError) -> VerificationRequest)
        async throws(NoProofError) -> (request: VerificationRequest, created: Bool)

    /// The issuing unit's queue, oldest first: open requests (and finished ones when asked).
    func queue(issuingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest]

    /// What the requesting unit filed, newest first.
    func filed(requestingUnit: String, includeFinished: Bool, limit: Int) async throws(NoProofError) -> [VerificationRequest]

    /// Every request with a deadline still to watch (open, and not past its second breach).
    func pending() async throws(NoProofError) -> [VerificationRequest]
}
