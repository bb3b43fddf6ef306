/// What a key in the form asks of the rest of the dashboard, once the form
/// has done its own part (moving focus, editing a field, cookie rows).
public enum FormKeyOutcome: Sendable, Hashable {
    /// Nothing more: the form handled it (or ignored it).
    case handled
    case submit, cancel, lookForCreated, help
    /// The user said yes to discarding the draft.
    case discardDraft
    /// A paste went in with its line breaks or tabs made spaces.
    case pasteFlattened
}

/// A question the form asks before it loses what was typed; `y` answers yes,
/// any other key no.
public enum FormConfirmation: Sendable, Hashable {
    case deleteCookieRow(Int)
    case discardDraft

    public var question: String {
        switch self {
        case .deleteCookieRow(let r): return "Delete cookie row \(r + 1) and what it holds? y/n"
        case .discardDraft: return "Discard this draft (every field is emptied)? y/n"
        }
    }
}

extension MeetingForm {
    /// Handles `key` as the form's keymap says; typed characters go into the focused field.
    public mutating func handle(_ key: Key, keymap: Keymap) -> FormKeyOutcome {
        if confirmation != nil { return answer(yes: key == .char("y") || key == .char("Y")) }
        if let command = keymap.command(for: key, in: .form) { return perform(command) }
        if case .char(let c) = key {
            if focus == .submit {
                if c == " " { return .submit }
            } else {
                editFocused { $0.insert(c) }
            }
        }
        return .handled
    }

    /// The pending question, answered.
    mutating func answer(yes: Bool) -> FormKeyOutcome {
        guard let asked = confirmation else { return .handled }
        confirmation = nil
        guard yes else {
            notice = nil
            return .handled
        }
        switch asked {
        case .deleteCookieRow(let r): deleteCookieRow(r)
        case .discardDraft: return .discardDraft
        }
        return .handled
    }

    /// Does a form command, whichever key (or click) asked for it.
    public mutating func perform(_ command: Command) -> FormKeyOutcome {
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
        case .deleteCookie:
            guard let r = cookieRowToDelete else { break }
            if cookies[r].isBlank { deleteCookieRow(r) } else { confirmation = .deleteCookieRow(r) }
        case .discardDraft:
            guard !inFlight else {
                notice = "A create is in flight: its answer comes back to this form first"
                break
            }
            guard !isBlank else { return .discardDraft }
            confirmation = .discardDraft
        case .help: return .help
        default: break
        }
        return .handled
    }

    /// Pasted text goes into the focused field as text (a pending question
    /// is answered no). Every field holds one line, so line breaks and tabs
    /// become spaces (JSON means the same with them as spaces, so
    /// pretty-printed custom data stays valid).
    public mutating func paste(_ text: String) -> FormKeyOutcome {
        if confirmation != nil { return answer(yes: false) }
        guard focus != .submit else { return .handled }
        let (flat, changed) = Self.oneLine(text)
        editFocused { $0.insert(flat) }
        return changed ? .pasteFlattened : .handled
    }

    /// `text` on one line: CR LF, CR, LF and tab each become a space; other
    /// control characters go (they are nothing anyone meant to type).
    public static func oneLine(_ text: String) -> (text: String, changed: Bool) {
        var out = ""
        var changed = false
        for c in text {
            if c == "\r\n" || c == "\n" || c == "\r" || c == "\t" {
                out.append(" ")
                changed = true
            } else if c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }) {
                out.append(c)
            } else {
                changed = true
            }
        }
        return (out, changed)
    }
}

extension CookieRow {
    var isBlank: Bool { CookieColumn.allCases.allSatisfy { self[$0].isEmpty } }
}
