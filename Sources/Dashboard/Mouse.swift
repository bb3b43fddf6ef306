/// A mouse report (xterm SGR mode 1006), decoded with the keys.
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A button went down: 0 left, 1 middle, 2 right.
        case press(button: Int)
        case release
        case wheelUp, wheelDown
        /// Movement with a button held (reported only in drag modes).
        case drag
    }

    public var kind: Kind
    /// Column and row, from 0 at the top left.
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }

    /// Decodes the parameters of `ESC [ < b ; x ; y M|m` (`final` is `M` for
    /// a press or wheel, `m` for a release); nil for what is not a mouse report.
    public static func sgr(button b: Int, column: Int, row: Int, final: Character) -> MouseEvent? {
        guard column >= 1, row >= 1, b >= 0 else { return nil }
        let x = column - 1, y = row - 1
        if final == "m" { return MouseEvent(.release, x: x, y: y) }
        guard final == "M" else { return nil }
        if b & 64 != 0 {
            switch b & 3 {
            case 0: return MouseEvent(.wheelUp, x: x, y: y)
            case 1: return MouseEvent(.wheelDown, x: x, y: y)
            default: return nil  // horizontal wheel: nothing scrolls sideways
            }
        }
        if b & 32 != 0 { return MouseEvent(.drag, x: x, y: y) }
        let button = b & 3
        return button == 3 ? MouseEvent(.release, x: x, y: y) : MouseEvent(.press(button: button), x: x, y: y)
    }
}

/// What a screen row holds for the mouse, as the screen drew it: the
/// reducer never works out positions itself.
public enum MouseTarget: Sendable, Hashable {
    /// A meeting row of the list (index into `AppState.meetings`).
    case meeting(Int)
    /// A field (or the button) of the create form.
    case field(FormField)
}

/// The last click, to tell a double-click.
public struct LastClick: Sendable, Hashable {
    public var target: MouseTarget
    public var at: Double
    public init(target: MouseTarget, at: Double) {
        self.target = target
        self.at = at
    }
}
