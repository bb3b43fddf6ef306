import CoClickAPI
import TerminalText

/// The config file's `[keys]` table: `action = "key"` (or a list of keys)
/// replaces that action's default keys on every screen where it acts.
///
/// An entry that names no action, a key that cannot be read, or a key that
/// would take another action's place is reported in words and left out: the
/// action keeps its default keys, and so does every other action.
public struct KeyRemap: Sendable, Hashable {
    /// `action name -> keys as written`, in the file's order.
    public var entries: [(action: String, keys: [String])]

    public init(_ entries: [(action: String, keys: [String])]) { self.entries = entries }

    public static func == (a: KeyRemap, b: KeyRemap) -> Bool {
        a.entries.map(\.action) == b.entries.map(\.action) && a.entries.map(\.keys) == b.entries.map(\.keys)
    }

    public func hash(into h: inout Hasher) {
        for e in entries { h.combine(e.action); h.combine(e.keys) }
    }

    /// The keymap with every entry that can be applied, and one sentence per
    /// entry that cannot (unknown action, unreadable key, conflict).
    public func apply(to base: Keymap = .standard) -> (keymap: Keymap, problems: [String]) {
        var problems: [String] = []
        var wanted: [(command: Command, keys: [Key], written: String)] = []
        var seen: Set<Command> = []
        for (name, texts) in entries {
            guard let command = Command(configName: name) else {
                problems.append("[keys] \(name): no such action (actions: \(Command.allCases.map(\.configName).joined(separator: ", ")))")
                continue
            }
            guard base.bindings.values.contains(where: { $0.contains { $0.command == command } }) else {
                problems.append("[keys] \(name): this action has no key to change")
                continue
            }
            guard !seen.contains(command) else {
                problems.append("[keys] \(name) is set twice; the first one counts")
                continue
            }
            var keys: [Key] = []
            var bad: String?
            for t in texts {
                switch Key.parse(t) {
                case .success(let k): if !keys.contains(k) { keys.append(k) }
                case .failure(let why): bad = why.message
                }
                if bad != nil { break }
            }
            if let bad {
                problems.append("[keys] \(name) = \(Self.quoted(texts)): \(bad); the default \(base.allKeysText(command)) stays")
                continue
            }
            if keys.isEmpty {
                problems.append("[keys] \(name): no key given; the default \(base.allKeysText(command)) stays")
                continue
            }
            seen.insert(command)
            wanted.append((command, keys, Self.quoted(texts)))
        }

        // Apply all, then drop the entries that clash (the later of two), until
        // none does: a dropped entry brings its defaults back, which may clash in turn.
        var active = wanted
        while true {
            let map = Self.remapped(base, active.map { ($0.command, $0.keys) })
            var clash: (index: Int, text: String)?
            search: for (i, w) in active.enumerated().reversed() {
                let contexts = KeyContext.allCases.filter { ctx in base.bindings[ctx]?.contains { $0.command == w.command } ?? false }
                if contexts == [.form], let k = w.keys.first(where: \.typesText) {
                    clash = (i, "\(k.description) types text in the form")
                    break search
                }
                for ctx in contexts {
                    let bindings = map.bindings[ctx] ?? []
                    for key in Self.keys(w.keys, in: ctx) {
                        if let other = bindings.first(where: { $0.command != w.command && $0.keys.contains(key) }) {
                            clash = (i, "\(key.description) is already \(other.command.configName) on the \(ctx.rawValue) screen")
                            break search
                        }
                    }
                }
            }
            guard let clash else { return (map, problems) }
            let w = active.remove(at: clash.index)
            problems.append("[keys] \(w.command.configName) = \(w.written): \(clash.text); the default \(base.allKeysText(w.command)) stays")
        }
    }

    /// In the form printable keys type text, so a remap there keeps only the
    /// others (none left: the form's default keys stay).
    static func keys(_ keys: [Key], in ctx: KeyContext) -> [Key] {
        ctx == .form ? keys.filter { !$0.typesText } : keys
    }

    static func remapped(_ base: Keymap, _ changes: [(Command, [Key])]) -> Keymap {
        var out = base
        for (ctx, bindings) in base.bindings {
            out.bindings[ctx] = bindings.map { b in
                guard let wanted = changes.first(where: { $0.0 == b.command })?.1 else { return b }
                let keys = Self.keys(wanted, in: ctx)
                return keys.isEmpty ? b : Keymap.Binding(keys, b.command)
            }
        }
        return out
    }

    static func quoted(_ texts: [String]) -> String {
        let q = texts.map { "\"" + SafeText.escape($0) + "\"" }
        return q.count == 1 ? q[0] : "[" + q.joined(separator: ", ") + "]"
    }
}

extension Command {
    /// The action's name in the `[keys]` table: `copyProspect` -> `copy_prospect`.
    public var configName: String {
        var out = ""
        for ch in rawValue {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    public init?(configName: String) {
        var name = String(configName.trimmedSpaces.lowercased().map { $0 == "-" ? "_" : $0 })
        // `clear_field` is read as Ctrl-U's action too, so configs that use that name keep working.
        if name == "clear_field" { name = Command.deleteToStart.configName }
        guard let c = Command.allCases.first(where: { $0.configName == name }) else { return nil }
        self = c
    }
}

extension Keymap {
    /// Every key of `command` on any screen, for messages ("q", "Esc/q").
    func allKeysText(_ command: Command) -> String {
        var keys: [Key] = []
        for ctx in KeyContext.allCases {
            for b in bindings[ctx] ?? [] where b.command == command {
                for k in b.keys where !keys.contains(k) { keys.append(k) }
            }
        }
        return keys.isEmpty ? "(none)" : keys.map(\.description).joined(separator: "/")
    }
}

public struct KeyParseError: Error, Sendable, Hashable {
    public var message: String
}

extension Key {
    /// A printable character: in the form it is typed, not an action.
    public var typesText: Bool {
        if case .char = self { return true }
        return false
    }

    /// Reads a key as people write it in the config file: `x`, `X`, `?`,
    /// `Space`, `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Backspace`, `Delete`,
    /// `Up`/`↑`, `PgDn`, `Home`, `F5`, `Ctrl-R` (also `C-r`, `ctrl+r`, `^R`),
    /// `Alt-b` (also `M-b`, `meta-b`, `alt+b`).
    public static func parse(_ text: String) -> Result<Key, KeyParseError> {
        func fail(_ m: String) -> Result<Key, KeyParseError> { .failure(KeyParseError(message: m)) }
        let arrows: [Character: Key] = ["↑": .up, "↓": .down, "←": .left, "→": .right]
        if text.count == 1, let ch = text.first, let k = arrows[ch] { return .success(k) }
        if text.count == 1, let ch = text.first {
            if ch.isWhitespace && ch != " " { return fail("whitespace other than Space is not a key") }
            if ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return fail("a control character is written Ctrl-X") }
            return .success(.char(ch))
        }
        let t = text.trimmedSpaces
        guard !t.isEmpty else { return fail("an empty key") }
        if t.count == 1 { return parse(t) }
        let lower = t.lowercased()
        let named: [String: Key] = [
            "space": .char(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape,
            "tab": .tab, "shift-tab": .backTab, "shift+tab": .backTab, "backtab": .backTab, "s-tab": .backTab,
            "backspace": .backspace, "bs": .backspace, "delete": .delete, "del": .delete,
            "up": .up, "down": .down, "left": .left, "right": .right,
            "↑": .up, "↓": .down, "←": .left, "→": .right,
            "pgup": .pageUp, "pageup": .pageUp, "page-up": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "page-down": .pageDown,
            "home": .home, "end": .end,
        ]
        if let k = named[lower] { return .success(k) }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()) {
            guard (1...24).contains(n) else { return fail("function keys go from F1 to F24") }
            return .success(.function(n))
        }
        for prefix in ["alt-", "alt+", "meta-", "m-"] where lower.hasPrefix(prefix) {
            // The character keeps its case: Alt-B is another key than Alt-b.
            let c = t.dropFirst(prefix.count)
            guard c.count == 1, let ch = c.first, !ch.isWhitespace,
                  !ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                return fail("Alt goes with one character, as in Alt-b")
            }
            // Esc then "[" or "O" starts what arrows and function keys send.
            if ch == "[" || ch == "O" { return fail("Alt-\(ch) is how terminals start other keys") }
            return .success(.alt(ch))
        }
        var rest: Substring?
        for prefix in ["ctrl-", "ctrl+", "control-", "c-", "^"] where lower.hasPrefix(prefix) {
            rest = lower.dropFirst(prefix.count)
            break
        }
        if let rest {
            guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter else {
                return fail("Ctrl goes with one letter, as in Ctrl-R")
            }
            // What the terminal sends for these is another key, or a signal.
            switch c {
            case "i": return fail("Ctrl-I is the same key as Tab")
            case "m", "j": return fail("Ctrl-\(c.uppercased()) is the same key as Enter")
            case "h": return fail("Ctrl-H is the same key as Backspace")
            case "c": return fail("Ctrl-C interrupts coclick")
            case "z": return fail("Ctrl-Z suspends coclick")
            default: return .success(.ctrl(c))
            }
        }
        return fail("not a key coclick knows (write one character, or a name such as Enter, Esc, Tab, Space, Up, PgDn, F5, Ctrl-R)")
    }
}
