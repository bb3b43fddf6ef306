/// What a key in the form asks of the rest of the dashboard, once the form
/// has done its own part (moving focus, editing a field, cookie rows).
public enum FormKeyOutcome: Sendable, Hashable {
    /// Nothing more: the form handled it (or ignored it).
    case handled
    case submit, cancel, lookForCreated, help
}

extension MeetingForm {
    /// Handles `key` as the form's keymap says; typed characters go into the focused field.
    public mutating func handle(_ key: Key, keymap: Keymap) -> FormKeyOutcome {
        if let command = keymap.command(for: key, in: .form) {
            if let edit = command.textEdit {
                editFocused { $0.apply(edit) }
                return .handled
            }
            switch command {
            case .nextField: moveFocus(by: 1)
            case .previousField: moveFocus(by: -1)
            case .activate:
                if focus == .submit { return .submit }
                moveFocus(by: 1)
            case .submit: return .submit
            case .cancel: return .cancel
            case .lookForCreated: return .lookForCreated
            case .addCookie: addCookieRow()
            case .deleteCookie: deleteCookieRow()
            case .help: return .help
            default: break
            }
            return .handled
        }
        if case .char(let c) = key {
            if focus == .submit {
                if c == " " { return .submit }
            } else {
                editFocused { $0.insert(c) }
            }
        }
        return .handled
    }
}
