import ArgumentParser
import NoProofDomain

/// The calls a load run makes, with their weights.
struct Workload: Sendable {
    enum Operation: String, CaseIterable, Sendable {
        /// Lookup of an existing demo holder (Zipf-distributed) and a licence type it holds.
        case lookup
        /// Lookup of a well-formed resident ID that holds nothing: NOT_FOUND.
        case miss
        /// CheckLicence of one declared field.
        case check
        /// Health/Check: the RPC layer alone, no storage, no audit.
        case health
        /// The department-verification life cycle (Art. 10): the requesting unit files a request,
        /// the issuing unit takes it and answers it with a verification-sealed proof — three calls
        /// on two connections, measured as one operation.
        case verification
    }

    /// Whether the event-loop engine can run this workload: single calls only, no verification
    /// life cycle (several dependent calls, left to the Task engine).
    var runsOnEventLoops: Bool { !usesVerification }

    /// Whether any call of this workload needs the two units of department verification.
    var usesVerification: Bool { weighted.contains { $0.0 == .verification } }

    let weighted: [(Operation, Int)]
    let total: Int

    init(parsing text: String) throws {
        var weighted: [(Operation, Int)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard let operation = Operation(rawValue: String(pieces[0])) else {
                throw ValidationError("unknown workload '\(pieces[0])'; use \(Operation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let weight = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let weight, weight > 0 else { throw ValidationError("bad weight in '\(part)'") }
            weighted.append((operation, weight))
        }
        guard !weighted.isEmpty else { throw ValidationError("--workload is empty") }
        self.weighted = weighted
        self.total = weighted.map(\.1).reduce(0, +)
    }

    func pick(_ random: UInt64) -> Operation {
        if weighted.count == 1 { return weighted[0].0 }
        var ticket = Int(random % UInt64(total))
        for (operation, weight) in weighted {
            if ticket < weight { return operation }
            ticket -= weight
        }
        return weighted[0].0
    }
}

extension Workload.Operation {
    /// A dense index, for per-operation arrays.
    var slot: Int {
        switch self {
        case .lookup: 0
        case .miss: 1
        case .check: 2
        case .health: 3
        case .verification: 4
        }
    }
}
