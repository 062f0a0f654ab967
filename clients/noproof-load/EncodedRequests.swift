import NoProofClient
import NoProofCodec
import NoProofMessages
import NoProofProtocol

/// The `RequestPool`'s requests encoded once before the run, CALL payload and all, for the
/// event-loop engine: a call then costs a frame header and a copy, not an encode.
///
/// Each pooled request carries its own case reference ("LOAD-<index>"), so a case is cited by
/// about calls/20,000 lookups in a run (the Task engine made one per call); with rate limits off,
/// as load tests run, the server treats both alike.
struct EncodedRequests: Sendable {
    /// Indexed by `Workload.Operation.slot`; empty for operations the workload does not use.
    let calls: [[EncodedCall]]

    /// - Parameter metadata: sent with every call (the acting staff member).
    init(_ requests: RequestPool, workload: Workload, deadline: Duration, metadata: Metadata = [:]) {
        var calls = [[EncodedCall]](repeating: [], count: Workload.Operation.allCases.count)
        for (operation, _) in workload.weighted where calls[operation.slot].isEmpty {
            calls[operation.slot] = Self.encode(operation, requests, deadline: deadline, metadata: metadata)
        }
        self.calls = calls
    }

    private static func encode(
        _ operation: Workload.Operation, _ requests: RequestPool, deadline: Duration,
        metadata: Metadata
    ) -> [EncodedCall] {
        // The demo water company's items: SW-GH-002 lists every type a demo holder is guaranteed to hold.
        func purpose(_ index: Int) -> APIPurpose { APIPurpose(itemCode: "SW-GH-002", caseReference: "LOAD-\(index)") }
        switch operation {
        case .lookup:
            return requests.lookups.enumerated().map { index, request in
                EncodedCall(
                    .method(LicenceMethods.lookup),
                    request: APILookupRequest(holderID: request.0, typeCode: request.1, purpose: purpose(index)), metadata: metadata,
                    deadline: deadline)
            }
        case .miss:
            return requests.misses.enumerated().map { index, holder in
                EncodedCall(
                    .method(LicenceMethods.lookup),
                    request: APILookupRequest(holderID: holder, typeCode: "JMSFZ", purpose: purpose(index)), metadata: metadata,
                    deadline: deadline)
            }
        case .check:
            return requests.lookups.enumerated().map { index, request in
                EncodedCall(
                    .method(LicenceMethods.checkLicence),
                    request: APICheckLicenceRequest(
                        holderID: request.0, typeCode: request.1,
                        declared: [APILicenceField(key: "holder_name", value: "x")], purpose: purpose(index)),
                    metadata: metadata, deadline: deadline)
            }
        case .health:
            return [EncodedCall(.method(HealthMethods.check), request: HealthCheckRequest(service: ""), deadline: deadline)]
        case .verification:
            // Several dependent calls: the Task engine runs it.
            return []
        }
    }
}
