import NoProofDomain
import NoProofProtocol
import Testing
@testable import NoProofServices

/// The one mapping from a domain error to what a caller sees.
@Suite struct NoProofErrorStatusTests {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk I/O error at /var/lib/noproof/units.sqlite" }
    }

    @Test func everyCodeHasItsStatus() {
        let cases: [(NoProofError.Code, StatusCode)] = [
            (.invalid, .invalidArgument), (.notFound, .notFound), (.alreadyExists, .alreadyExists),
            (.conflict, .failedPrecondition), (.forbidden, .permissionDenied), (.unavailable, .unavailable),
        ]
        for (code, status) in cases {
            #expect(NoProofError(code, "m").rpcError.code == status, "\(code)")
        }
    }

    @Test func anErrorWithACauseKeepsItsMessageAndCarriesTheCause() {
        let error = NoProofError.unitStorage("unit store failure: \(DiskFull())", cause: DiskFull())
        let status = RPCError(error)
        #expect(status.code == .unavailable)
        #expect(status.message == "the unit registry could not be read or written; retry (unit store failure: disk I/O error at /var/lib/noproof/units.sqlite)")
        #expect(status.cause is DiskFull)
        // The cause is not part of equality: the caller sees code and message only.
        #expect(status == RPCError(.unavailable, status.message))
    }

    @Test func anInvalidArgumentNamesItsField() {
        let status = RPCError(NoProofError.invalid(ValidationError(field: "declared[2].key", reason: "unknown fact")))
        #expect(status == RPCError(.invalidArgument, "declared[2].key: unknown fact"))
        #expect(RPCError(ValidationError(field: "holder_id", reason: "required")) == RPCError(.invalidArgument, "holder_id: required"))
    }

    @Test func anUnexpectedErrorBecomesInternalWithoutItsText() {
        let status = RPCError(DiskFull())
        #expect(status.code == .internal)
        #expect(status.message == "internal error; the server log has the details")
        #expect(!status.message.contains("sqlite"))
        #expect(status.cause is DiskFull)
    }

    @Test func anRPCErrorPassesThrough() {
        #expect(RPCError(RPCError(.resourceExhausted, "slow down")) == RPCError(.resourceExhausted, "slow down"))
    }
}
