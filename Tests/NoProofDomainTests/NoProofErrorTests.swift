import Testing
@testable import NoProofDomain

@Suite struct NoProofErrorTests {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test func codesAreDistinctAndNamed() {
        let codes: [NoProofError.Code] = [.invalid, .notFound, .alreadyExists, .conflict, .forbidden, .unavailable]
        #expect(Set(codes).count == codes.count)
        #expect(codes.map(\.description) == ["invalid", "not found", "already exists", "conflict", "forbidden", "unavailable"])
    }

    @Test func equalityComparesCodeMessageAndFieldButNotCause() {
        let plain = NoProofError(.unavailable, "licence store failure: disk full")
        let caused = NoProofError(.unavailable, "licence store failure: disk full", cause: DiskFull())
        #expect(plain == caused)
        #expect(caused.cause is DiskFull)
        #expect(NoProofError(.conflict, "m") != NoProofError(.notFound, "m"))
        #expect(NoProofError(.invalid, "m", field: "a") != NoProofError(.invalid, "m", field: "b"))
        #expect(NoProofError(.invalid, "m", field: "a") != NoProofError(.invalid, "n", field: "a"))
    }

    @Test func descriptionNamesTheFieldOfAnInvalidArgument() {
        #expect(NoProofError.invalid("declared[2].key", "unknown fact").description == "declared[2].key: unknown fact")
        #expect(NoProofError(.invalid, "type_code: unknown licence type 'X'").description == "type_code: unknown licence type 'X'")
        // A refused list event names its field, but a wrong state reads as its message.
        #expect(NoProofError(.conflict, "version 2 is published", field: "status").description == "version 2 is published")
    }

    @Test func aValidationErrorKeepsItsFieldReasonAndCause() {
        let validation = ValidationError(field: "holder_id", reason: "check digit is 5, expected X")
        let error = NoProofError.invalid(validation)
        #expect(error.code == .invalid)
        #expect(error.field == "holder_id")
        #expect(error.description == validation.description)
        #expect(error.validation == validation)
        #expect(error.cause as? ValidationError == validation)
        #expect(NoProofError(.conflict, "m", field: "f").validation == nil)
    }

    @Test func aLicenceStoreFailureKeepsItsCause() {
        let error = NoProofError.licenceStore(DiskFull())
        #expect(error.code == .unavailable)
        #expect(error.message == "licence store failure: disk full")
        #expect(error.cause is DiskFull)
        #expect(NoProofError.licenceStore(ValidationError(field: "f", reason: "r")) == .invalid("f", "r"))
        #expect(NoProofError.licenceStore(NoProofError.conflict("c")) == .conflict("c"))
    }
}
