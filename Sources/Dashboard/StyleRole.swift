import CoClickAPI

/// What a piece of screen is, for the theme to colour. Screens name roles,
/// never colours.
public enum StyleRole: String, Sendable, Hashable, CaseIterable {
    case normal, header, footer, selection, title, label, dim, key
    case scheduled, inProgress = "in_progress", closed, cancelled, unknownStatus = "unknown_status"
    case reminder, warning, error, message
    case field, fieldFocus = "field_focus", cursor, button, buttonFocus = "button_focus"
    case connectionOK = "connection_ok", connectionBad = "connection_bad"

    /// The one place that maps a status to its role.
    public static func status(_ s: MeetingStatus) -> StyleRole {
        switch s {
        case .scheduled: return .scheduled
        case .inProgress: return .inProgress
        case .closed: return .closed
        case .cancelled: return .cancelled
        case .other: return .unknownStatus
        }
    }

    /// A single character per role for the style layer of snapshots.
    public var code: Character {
        switch self {
        case .normal: return "."
        case .header: return "H"
        case .footer: return "F"
        case .selection: return "S"
        case .title: return "T"
        case .label: return "L"
        case .dim: return "d"
        case .key: return "K"
        case .scheduled: return "s"
        case .inProgress: return "p"
        case .closed: return "c"
        case .cancelled: return "x"
        case .unknownStatus: return "u"
        case .reminder: return "R"
        case .warning: return "W"
        case .error: return "E"
        case .message: return "M"
        case .field: return "f"
        case .fieldFocus: return "A"
        case .cursor: return "C"
        case .button: return "b"
        case .buttonFocus: return "B"
        case .connectionOK: return "o"
        case .connectionBad: return "X"
        }
    }
}

/// A run of text in one role.
public struct Span: Sendable, Hashable {
    public var text: String
    public var role: StyleRole
    public init(_ text: String, _ role: StyleRole = .normal) {
        self.text = text
        self.role = role
    }
}
