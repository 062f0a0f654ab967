package import NoProofDomain
import Foundation

/// Why a proof is excluded from the no-proof rules: an Art. 2 ground plus a free-text
/// explanation, which is required.
package struct ExclusionReason: Hashable, Sendable {
    /// The Art. 2 ground.
    package var ground: ExclusionGround
    /// Explanation in words (for example the provincial decision it rests on).
    package var note: String

    /// Creates a reason. Call `validate()` (lists do) before use.
    package init(ground: ExclusionGround, note: String) {
        self.ground = ground
        self.note = note
    }

    /// Requires a non-empty note of at most 500 characters.
    /// - Throws: `ValidationError` on `field`.
    package func validate(field: String = "exclusion_note") throws(ValidationError) {
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError(field: field, reason: "an excluded proof needs a written reason explaining the \(ground.name) exclusion")
        }
        if note.count > 500 { throw ValidationError(field: field, reason: "exclusion reason must be at most 500 characters, got \(note.count)") }
    }

    /// `<ground summary>: <note>`.
    package var summary: String { "\(ground.summary): \(note)" }
}
