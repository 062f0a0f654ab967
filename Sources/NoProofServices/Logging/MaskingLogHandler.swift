package import Logging
import NoProofDomain

/// A log handler that masks personal data before anything is written (data minimisation):
/// resident ID numbers anywhere in a message, a metadata value or an error's description become
/// `370404********7807`; values under name keys (`holder_name`, `name`, `applicant_name`) become
/// `张*`. noproofd installs it around its stream handler, so every `Logger` of the process —
/// including library code logging an error that quotes a request — goes through it.
package struct MaskingLogHandler: LogHandler {
    /// Metadata keys whose values are people's names.
    package static let nameKeys: Set<String> = ["holder_name", "name", "applicant_name", "holderName"]

    private var inner: any LogHandler

    package init(wrapping inner: any LogHandler) {
        self.inner = inner
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    package var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    package var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = Self.mask(newValue) }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue.map { Self.mask($0, key: key) } }
    }

    package func log(event: LogEvent) {
        var event = event
        event.message = "\(PersonalDataMask.redact(event.message.description))"
        var metadata = event.metadata.map(Self.mask)
        if let error = event.error {
            event.error = nil
            metadata = (metadata ?? [:]).merging(["error": .string(PersonalDataMask.redact("\(error)"))]) { kept, _ in kept }
        }
        event.metadata = metadata
        inner.log(event: event)
    }

    /// Every value masked by its key (names) and its content (resident IDs).
    package static func mask(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { result, entry in result[entry.key] = mask(entry.value, key: entry.key) }
    }

    static func mask(_ value: Logger.Metadata.Value, key: String) -> Logger.Metadata.Value {
        switch value {
        case .string(let text):
            return .string(nameKeys.contains(key) ? PersonalDataMask.name(text) : PersonalDataMask.redact(text))
        case .stringConvertible(let convertible):
            let text = convertible.description
            return .string(nameKeys.contains(key) ? PersonalDataMask.name(text) : PersonalDataMask.redact(text))
        case .array(let values):
            return .array(values.map { mask($0, key: key) })
        case .dictionary(let entries):
            return .dictionary(mask(entries))
        }
    }
}
