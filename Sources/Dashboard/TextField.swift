/// One line of editable text with a cursor (in characters). Long values are
/// fine: the screen scrolls horizontally around the cursor.
public struct TextField: Sendable, Hashable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func insert(_ c: Character) {
        characters.insert(c, at: cursor)
        cursor += 1
    }

    public mutating func insert(_ s: String) {
        let new = Array(s)
        characters.insert(contentsOf: new, at: cursor)
        cursor += new.count
    }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }
    public mutating func clear() { characters = []; cursor = 0 }
}

/// One edit of a `TextField`, whatever key asked for it.
public enum TextEdit: Sendable, Hashable {
    case insert(Character)
    case left, right, home, end, deleteBackward, deleteForward, clear
}

extension TextField {
    public mutating func apply(_ edit: TextEdit) {
        switch edit {
        case .insert(let c): insert(c)
        case .left: left()
        case .right: right()
        case .home: home()
        case .end: end()
        case .deleteBackward: deleteBackward()
        case .deleteForward: deleteForward()
        case .clear: clear()
        }
    }

    /// The line editor's own keys (used where no keymap applies, e.g. the list filter).
    public static func edit(for key: Key) -> TextEdit? {
        switch key {
        case .char(let c): return .insert(c)
        case .backspace: return .deleteBackward
        case .delete: return .deleteForward
        case .left: return .left
        case .right: return .right
        case .home: return .home
        case .end, .ctrl("e"): return .end
        case .ctrl("u"): return .clear
        default: return nil
        }
    }
}

extension Command {
    /// The text edit a form command stands for, if it is one.
    public var textEdit: TextEdit? {
        switch self {
        case .cursorLeft: return .left
        case .cursorRight: return .right
        case .cursorHome: return .home
        case .cursorEnd: return .end
        case .deleteBackward: return .deleteBackward
        case .deleteForward: return .deleteForward
        case .clearField: return .clear
        default: return nil
        }
    }
}
