/// What a key does. One command may be bound to several keys.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case open, quit, back, clearFilter, newMeeting, refresh, filter, cycleStatus, toggleHistory
    case copyProspect, copyPresenter, openProspect, openPresenter, duplicate, nextTheme, help, nextPage, previousPage
    case jumpToNow, goToDate, toggleMine
    case copyInvitation
    case repaint
    case nextField, previousField, activate, submit, cancel, addCookie, deleteCookie, lookForCreated, discardDraft
    case cursorLeft, cursorRight, cursorHome, cursorEnd, wordLeft, wordRight
    case deleteBackward, deleteForward, deleteToStart, deleteToEnd, deleteWordBackward, deleteWordForward

    /// Shown in the help overlay.
    public var summary: String {
        switch self {
        case .moveUp: return "move up"
        case .moveDown: return "move down"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .top: return "first"
        case .bottom: return "last"
        case .open: return "open detail"
        case .quit: return "quit"
        case .back: return "back to the list"
        case .clearFilter: return "clear filters"
        case .newMeeting: return "new meeting"
        case .refresh: return "refresh now"
        case .filter: return "filter by owner email"
        case .cycleStatus: return "cycle status filter"
        case .toggleHistory: return "from today / every date"
        case .copyProspect: return "copy prospect room URL"
        case .copyPresenter: return "copy presenter room URL"
        case .openProspect: return "open prospect room URL in a browser"
        case .openPresenter: return "open presenter room URL in a browser"
        case .duplicate: return "duplicate the meeting into the form"
        case .copyInvitation: return "copy the invitation text"
        case .nextTheme: return "next theme"
        case .help: return "help"
        case .nextPage: return "a screenful down"
        case .previousPage: return "a screenful up"
        case .jumpToNow: return "jump to now"
        case .goToDate: return "go to a date"
        case .toggleMine: return "my meetings / everyone's"
        case .repaint: return "repaint the whole screen"
        case .nextField: return "next field"
        case .previousField: return "previous field"
        case .activate: return "next field / press button"
        case .submit: return "submit"
        case .cancel: return "cancel (draft kept, n restores it)"
        case .addCookie: return "add cookie row"
        case .deleteCookie: return "delete cookie row (asks if filled)"
        case .lookForCreated: return "look for the meeting in the list (after no answer)"
        case .discardDraft: return "discard the draft (asks first)"
        case .cursorLeft: return "cursor left"
        case .cursorRight: return "cursor right"
        case .cursorHome: return "start of field"
        case .cursorEnd: return "end of field"
        case .wordLeft: return "word left"
        case .wordRight: return "word right"
        case .deleteBackward: return "delete before cursor"
        case .deleteForward: return "delete at cursor"
        case .deleteToStart: return "delete to the start of the field"
        case .deleteToEnd: return "delete to the end of the field"
        case .deleteWordBackward: return "delete the word before the cursor"
        case .deleteWordForward: return "delete to the end of the word"
        }
    }
}

/// Which key table applies.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case list, detail, form

    public var title: String {
        switch self {
        case .list: return "List"
        case .detail: return "Detail"
        case .form: return "New meeting form"
        }
    }
}

/// The one place that says which key does what on which screen. The help
/// overlay and the footer hints are produced from it.
public struct Keymap: Sendable, Hashable {
    public struct Binding: Sendable, Hashable {
        public var keys: [Key]
        public var command: Command
        public init(_ keys: [Key], _ command: Command) {
            self.keys = keys
            self.command = command
        }
    }

    public var bindings: [KeyContext: [Binding]]

    public init(bindings: [KeyContext: [Binding]]) { self.bindings = bindings }

    public func command(for key: Key, in context: KeyContext) -> Command? {
        bindings[context]?.first(where: { $0.keys.contains(key) })?.command
    }

    /// The keys bound to a command, written for people ("j/↓").
    public func keysText(_ command: Command, in context: KeyContext) -> String {
        let keys = bindings[context]?.filter { $0.command == command }.flatMap(\.keys) ?? []
        return keys.map(\.description).joined(separator: "/")
    }

    /// Help overlay text: one section per screen, `(keys, what)` lines.
    public func helpSections() -> [(title: String, lines: [(keys: String, summary: String)])] {
        KeyContext.allCases.map { ctx in
            let lines = (bindings[ctx] ?? []).map { b in
                (keys: b.keys.map(\.description).joined(separator: " "), summary: b.command.summary)
            }
            let extra: [(keys: String, summary: String)] = ctx == .form
                ? [("other keys", "type text into the field"), ("paste", "into the field, newlines as spaces")]
                : []
            return (title: ctx.title, lines: lines + extra)
        }
    }

    /// The defaults documented in PRODUCT.md.
    public static let standard: Keymap = {
        typealias B = Binding
        let moves: [B] = [
            B([.char("k"), .up], .moveUp), B([.char("j"), .down], .moveDown),
            B([.pageUp], .pageUp), B([.pageDown], .pageDown),
            B([.char("g"), .home], .top), B([.char("G"), .end], .bottom),
        ]
        let list: [B] = moves + [
            B([.enter], .open), B([.char("q")], .quit), B([.escape], .clearFilter),
            B([.char("n")], .newMeeting), B([.char("r")], .refresh), B([.char("/")], .filter),
            B([.char("s")], .cycleStatus), B([.char("h")], .toggleHistory), B([.char("y")], .copyProspect), B([.char("Y")], .copyPresenter),
            B([.char("o")], .openProspect), B([.char("O")], .openPresenter), B([.char("c")], .duplicate),
            B([.char("i")], .copyInvitation),
            B([.char("]")], .nextPage), B([.char("[")], .previousPage),
            B([.char(".")], .jumpToNow), B([.char(":")], .goToDate), B([.char("m")], .toggleMine),
            B([.char("t")], .nextTheme), B([.char("?"), .function(1)], .help),
            B([.ctrl("l")], .repaint),
        ]
        let detail: [B] = moves + [
            B([.char("q"), .escape], .back), B([.char("r")], .refresh),
            B([.char("y")], .copyProspect), B([.char("Y")], .copyPresenter),
            B([.char("o")], .openProspect), B([.char("O")], .openPresenter), B([.char("c")], .duplicate),
            B([.char("i")], .copyInvitation),
            B([.char("t")], .nextTheme), B([.char("?"), .function(1)], .help),
            B([.ctrl("l")], .repaint),
        ]
        // Field editing is readline's (Ctrl-A/E/K/U/W/D, Alt-b/f/d). What
        // edits the form itself is on keys neither readline nor a multiplexer
        // takes (GNU screen's Ctrl-A, tmux's Ctrl-B): function keys for cookie
        // rows and the draft, Ctrl-R ("search", as in readline) to look for a create.
        let form: [B] = [
            B([.down, .tab], .nextField), B([.up, .backTab], .previousField),
            B([.enter], .activate), B([.ctrl("s")], .submit), B([.escape], .cancel),
            B([.function(2)], .addCookie), B([.function(3)], .deleteCookie), B([.function(8)], .discardDraft),
            B([.ctrl("r")], .lookForCreated),
            B([.left], .cursorLeft), B([.right], .cursorRight),
            B([.home, .ctrl("a")], .cursorHome), B([.end, .ctrl("e")], .cursorEnd),
            B([.alt("b")], .wordLeft), B([.alt("f")], .wordRight),
            B([.backspace], .deleteBackward), B([.delete, .ctrl("d")], .deleteForward),
            B([.ctrl("u")], .deleteToStart), B([.ctrl("k")], .deleteToEnd),
            B([.ctrl("w")], .deleteWordBackward), B([.alt("d")], .deleteWordForward),
            B([.ctrl("l")], .repaint), B([.function(1)], .help),
        ]
        return Keymap(bindings: [.list: list, .detail: detail, .form: form])
    }()
}
