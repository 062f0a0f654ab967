/// A fixed-window counter as text, for stores that share counts between instances: the kind of
/// count (`unit_minute`, …), its subject (the unit, credential or `unit/staff` it counts) and the
/// window's number.
extension RateLimiter.WindowKey.Scope {
    /// The count's kind and subject.
    package var stored: (kind: String, subject: String) {
        switch self {
        case .staffDay(let unit, let staff): ("staff_day", "\(unit)/\(staff)")
        case .newCasesDay(let unit, let staff): ("new_cases_day", "\(unit)/\(staff)")
        case .credentialMinute(let credential): ("credential_minute", credential)
        case .credentialDay(let credential): ("credential_day", credential)
        case .unitMinute(let unit): ("unit_minute", unit)
        case .unitDay(let unit): ("unit_day", unit)
        }
    }

    /// The scope `stored` gave, or nil for an unknown kind or a malformed subject.
    package init?(kind: String, subject: String) {
        func staff() -> (String, String)? {
            // A unit code has no "/" (a unified social credit code); the staff id is the rest.
            guard let slash = subject.firstIndex(of: "/") else { return nil }
            return (String(subject[..<slash]), String(subject[subject.index(after: slash)...]))
        }
        switch kind {
        case "staff_day": guard let (unit, id) = staff() else { return nil }; self = .staffDay(unit: unit, staff: id)
        case "new_cases_day": guard let (unit, id) = staff() else { return nil }; self = .newCasesDay(unit: unit, staff: id)
        case "credential_minute": self = .credentialMinute(subject)
        case "credential_day": self = .credentialDay(subject)
        case "unit_minute": self = .unitMinute(subject)
        case "unit_day": self = .unitDay(subject)
        default: return nil
        }
    }

    /// Whether the window is a clock minute (otherwise a civil day).
    package var isMinute: Bool {
        switch self {
        case .credentialMinute, .unitMinute: true
        case .staffDay, .newCasesDay, .credentialDay, .unitDay: false
        }
    }

    /// Every kind `stored` names, minute kinds first.
    package static let minuteKinds = ["credential_minute", "unit_minute"]
    package static let dayKinds = ["staff_day", "new_cases_day", "credential_day", "unit_day"]
}
