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

    /// Ctrl-K: from the cursor to the end.
    public mutating func deleteToEnd() { characters.removeSubrange(cursor...) }

    /// Ctrl-U: from the start to the cursor.
    public mutating func deleteToStart() {
        characters.removeSubrange(..<cursor)
        cursor = 0
    }

    /// Readline's words for Alt-b/f/d: runs of letters and digits.
    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// Where Alt-b goes: the start of this word, or of the one before.
    var wordStartBefore: Int {
        var i = cursor
        while i > 0, !Self.isWordCharacter(characters[i - 1]) { i -= 1 }
        while i > 0, Self.isWordCharacter(characters[i - 1]) { i -= 1 }
        return i
    }

    /// Where Alt-f goes: the end of this word, or of the next one.
    var wordEndAfter: Int {
        var i = cursor
        while i < characters.count, !Self.isWordCharacter(characters[i]) { i += 1 }
        while i < characters.count, Self.isWordCharacter(characters[i]) { i += 1 }
        return i
    }

    public mutating func wordLeft() { cursor = wordStartBefore }
    public mutating func wordRight() { cursor = wordEndAfter }

    /// Alt-d: to the end of the word.
    public mutating func deleteWordForward() { characters.removeSubrange(cursor..<wordEndAfter) }

    /// Ctrl-W: back to the whitespace before the word, as readline's
    /// unix-word-rubout (an address or URL goes whole).
    public mutating func deleteWordBackward() {
        var i = cursor
        while i > 0, characters[i - 1].isWhitespace { i -= 1 }
        while i > 0, !characters[i - 1].isWhitespace { i -= 1 }
        characters.removeSubrange(i..<cursor)
        cursor = i
    }
}

/// One edit of a `TextField`, whatever key asked for it.
public enum TextEdit: Sendable, Hashable {
    case insert(Character)
    case left, right, home, end, deleteBackward, deleteForward, clear
    case wordLeft, wordRight, deleteToEnd, deleteToStart, deleteWordBackward, deleteWordForward
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
        case .wordLeft: wordLeft()
        case .wordRight: wordRight()
        case .deleteToEnd: deleteToEnd()
        case .deleteToStart: deleteToStart()
        case .deleteWordBackward: deleteWordBackward()
        case .deleteWordForward: deleteWordForward()
        }
    }

    /// The line editor's own keys (used where no keymap applies, e.g. the
    /// list filter): the form's editing keys, as readline has them.
    public static func edit(for key: Key) -> TextEdit? {
        if case .char(let c) = key { return .insert(c) }
        return Keymap.standard.command(for: key, in: .form)?.textEdit
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
        case .wordLeft: return .wordLeft
        case .wordRight: return .wordRight
        case .deleteToEnd: return .deleteToEnd
        case .deleteToStart: return .deleteToStart
        case .deleteWordBackward: return .deleteWordBackward
        case .deleteWordForward: return .deleteWordForward
        default: return nil
        }
    }
}
