package import NoProofDomain

/// Where the applicant signed the commitment (告知承诺书, Art. 7, 12).
package enum CommitmentChannel: String, Codable, Hashable, Sendable, CaseIterable {
    /// At the counter, identity confirmed by face recognition (Art. 6).
    case counterFaceCheck = "counter_face_check"
    /// In the 爱山东 / 爱山东·枣庄 app.
    case app
    /// On the unit's online service hall.
    case online

    package static func parse(_ text: String, field: String = "channel") throws(NoProofError) -> CommitmentChannel {
        guard let channel = CommitmentChannel(rawValue: text) else {
            throw .invalid(field, "must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got \"\(text)\"")
        }
        return channel
    }
}
