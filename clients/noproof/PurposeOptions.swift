import ArgumentParser
import NoProofCodec

/// Why a unit asks (Art. 5 item lists): the service item and the unit's case reference, and the
/// acting staff member.
struct PurposeOptions: ParsableArguments {
    @Option(name: .customLong("item"), help: "Service item code (事项) the proof is for.")
    var itemCode: String = ""

    @Option(name: .customLong("case"), help: "The unit's case reference.")
    var caseReference: String = ""

    @Option(help: "Acting staff member (sent as 'staff' metadata).")
    var staff: String?

    var purpose: Purpose { Purpose(itemCode: itemCode, caseReference: caseReference) }
    var metadata: Metadata {
        var metadata: Metadata = [:]
        if let staff { metadata["staff"] = staff }
        return metadata
    }
}
