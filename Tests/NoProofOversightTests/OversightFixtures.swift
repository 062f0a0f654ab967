import Foundation
import NoProofOversight
import NoProofUnits
import NoProofDomain

/// Shared values of the oversight tests.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let civil = UnitDemoData.civilAffairs.code.value
    static let university = UnitDemoData.university.code.value
    static let water = UnitDemoData.water.code.value
    static let holder = "370404199306107807"

    static func day(_ n: Double) -> Date { t0.addingTimeInterval(n * 86_400) }

    static func filing(
        unit: String = civil, holder: String = holder, caseReference: String = "DB-1", proof: String = "JZZM",
        item: String = "MZ-DB-001"
    ) -> Commitment.Filing {
        Commitment.Filing(
            unit: unit, unitName: "unit", holderID: holder, holderName: "张三", itemCode: item, caseReference: caseReference,
            proofType: proof, text: "本人承诺居住信息真实", channel: .app, recordedBy: "agent-0001")
    }

    static func opening(unit: String = civil, caseReference: String = "HY-1") -> MismatchCase.Opening {
        MismatchCase.Opening(
            unit: unit, unitName: "民政局", issuingUnit: university, issuingUnitName: "枣庄学院", holderID: holder,
            itemCode: "MZ-HY-001", caseReference: caseReference, proofType: "XWZS", proofSerial: "P1-1",
            facts: [MismatchedFact(key: "degree", declared: "硕士", fetched: "学士")], openedBy: "agent-0001")
    }

    static func registration(reference: String = "12345-1", unit: String = water, breach: BreachType = .demandedNoProofItem)
        -> Complaint.Registration
    {
        Complaint.Registration(
            channel: .hotline12345, channelReference: reference, unit: unit, unitName: "水务", breachType: breach,
            summary: "仍要求物业证明", registeredBy: "agent-0001")
    }
}

/// A refusal as the oversight tests compare it: the error's code, with the field of an invalid
/// argument.
enum Refusal: Equatable {
    case invalid(field: String)
    case notFound
    case wrongState
    case forbidden
    case alreadyExists
    case storage

    init(_ error: NoProofError) {
        switch error.code {
        case .invalid: self = .invalid(field: error.field ?? "")
        case .notFound: self = .notFound
        case .conflict: self = .wrongState
        case .forbidden: self = .forbidden
        case .alreadyExists: self = .alreadyExists
        default: self = .storage
        }
    }
}

/// The refusal of the `NoProofError` `body` throws, or nil (another error type counts as `.storage`).
func kind(_ body: () throws -> Void) -> Refusal? {
    do {
        try body()
        return nil
    } catch let error as NoProofError {
        return Refusal(error)
    } catch {
        return .storage
    }
}
