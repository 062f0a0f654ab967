import ArgumentParser
import Foundation
import NoProofCodec
import NoProofMessages

/// Why a unit asks (Art. 5 item lists): the service item and the unit's case reference, and the
/// acting staff member.
struct PurposeOptions: ParsableArguments {
    @Option(name: .customLong("item"), help: "Service item code (事项) the proof is for.")
    var itemCode: String = ""

    @Option(name: .customLong("case"), help: "The unit's case reference.")
    var caseReference: String = ""

    @Option(help: "Acting staff member, registered on the unit (sent as 'staff' metadata; env NOPROOF_STAFF). Not needed with a staff credential.")
    var staff: String?

    var purpose: APIPurpose { APIPurpose(itemCode: itemCode, caseReference: caseReference) }
    var metadata: Metadata {
        var metadata: Metadata = [:]
        let environment = ProcessInfo.processInfo.environment["NOPROOF_STAFF"]
        if let staff = staff ?? (environment?.isEmpty == false ? environment : nil) { metadata["staff"] = staff }
        return metadata
    }
}
