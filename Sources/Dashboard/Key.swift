/// A key press, decoded by the terminal backend. Pure data so the reducer
/// and the keymap can be tested without a terminal.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// Ctrl plus a lowercase letter, e.g. `.ctrl("s")`.
    case ctrl(Character)
    /// Alt (Meta) plus a character: the terminal sends Esc, then the character.
    case alt(Character)
    case function(Int)

    /// How the key is written in help text and the footer.
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .function(let n): return "F\(n)"
        }
    }
}

/// What the terminal sends, decoded by the runtime: keys, and what is not a
/// key (pasted text, a mouse report, a size change), each reaching `reduce`
/// as its own `Action`.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    /// Text the terminal marked as pasted (bracketed paste): typed as text,
    /// never read as keys, whatever it holds (newlines, Esc, `q`).
    case paste(String)
    /// A mouse report; the runtime looks up what the screen drew under it.
    case mouse(MouseEvent)
    /// The terminal changed size; the runtime asks for the new one.
    case resize
}
