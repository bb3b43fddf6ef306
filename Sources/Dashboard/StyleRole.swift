import CoClickAPI

/// What a piece of screen is, for the theme to colour. Screens name roles,
/// never colours.
public enum StyleRole: Sendable, Hashable, CaseIterable, RawRepresentable {
    case normal, header, footer, selection, title, label, dim, key
    case scheduled, inProgress, closed, cancelled, unknownStatus
    case reminder, warning, error, message
    case field, fieldFocus, cursor, button, buttonFocus
    case connectionOK, connectionBad

    /// The role's name in a theme file: a status's role is named as the API
    /// names the status (`in_progress`), so it is spelled in CoClickAPI.
    public var rawValue: String {
        switch self {
        case .normal: return "normal"
        case .header: return "header"
        case .footer: return "footer"
        case .selection: return "selection"
        case .title: return "title"
        case .label: return "label"
        case .dim: return "dim"
        case .key: return "key"
        case .scheduled: return MeetingStatus.scheduled.rawValue
        case .inProgress: return MeetingStatus.inProgress.rawValue
        case .closed: return MeetingStatus.closed.rawValue
        case .cancelled: return MeetingStatus.cancelled.rawValue
        case .unknownStatus: return "unknown_status"
        case .reminder: return "reminder"
        case .warning: return "warning"
        case .error: return "error"
        case .message: return "message"
        case .field: return "field"
        case .fieldFocus: return "field_focus"
        case .cursor: return "cursor"
        case .button: return "button"
        case .buttonFocus: return "button_focus"
        case .connectionOK: return "connection_ok"
        case .connectionBad: return "connection_bad"
        }
    }

    public init?(rawValue: String) {
        guard let role = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = role
    }

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
