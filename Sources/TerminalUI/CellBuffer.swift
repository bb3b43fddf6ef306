import Dashboard
import TerminalText

/// One terminal cell: a grapheme cluster and its role. A 2-column cluster
/// is followed by a continuation cell (`width == 0`, empty text).
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var role: StyleRole

    public init(_ text: String = " ", width: UInt8 = 1, role: StyleRole = .normal) {
        self.text = text
        self.width = width
        self.role = role
    }

    public var isContinuation: Bool { width == 0 }
}

/// An OSC 8 hyperlink over a run of cells of one row. Runs of one target on
/// consecutive rows, each filling to the right edge and the next starting at
/// column 0, are one link the terminal wraps (a selection copies it whole).
public struct CellLink: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    /// Printable ASCII only (see `Hyperlink.target`).
    public var target: String

    public init(x: Int, y: Int, width: Int, target: String) {
        self.x = x
        self.y = y
        self.width = width
        self.target = target
    }
}

/// A grid of cells that screens draw into, like ratatui's `Buffer`; the
/// backend draws it, tests read it as text.
public struct CellBuffer: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// What each row shows for the mouse (a meeting, a form field), as drawn.
    public private(set) var rowTargets: [MouseTarget?]
    /// Hyperlinks over cells, drawn after the cells.
    public var links: [CellLink] = []
    /// ASCII: text is written with stand-ins and escapes, never raw UTF-8 (a `LANG=C` terminal).
    public var charset: TerminalCharset

    public init(width: Int, height: Int, charset: TerminalCharset = .utf8) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.charset = charset
        cells = Array(repeating: Cell(), count: self.width * self.height)
        rowTargets = Array(repeating: nil, count: self.height)
    }

    /// Marks row `y` as showing `target` (nil: nothing a click acts on).
    public mutating func setTarget(_ target: MouseTarget?, row y: Int) {
        guard y >= 0, y < height else { return }
        rowTargets[y] = target
    }

    public func target(atRow y: Int) -> MouseTarget? {
        y >= 0 && y < height ? rowTargets[y] : nil
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Blanks a run of cells in `role`.
    public mutating func fill(x: Int = 0, y: Int, width w: Int? = nil, role: StyleRole) {
        guard y >= 0, y < height else { return }
        let end = min(width, x + (w ?? width))
        guard end > max(0, x) else { return }
        for cx in max(0, x)..<end { set(cx, y, Cell(" ", width: 1, role: role)) }
    }

    /// Writes text from column `x`, at most `maxWidth` columns (and never past
    /// the right edge); text that does not fit ends with `…`. Returns the columns used.
    @discardableResult
    public mutating func write(_ s: String, x: Int, y: Int, maxWidth: Int? = nil, role: StyleRole) -> Int {
        guard y >= 0, y < height, x < width, x >= 0 else { return 0 }
        let limit = min(width - x, maxWidth ?? Int.max)
        guard limit > 0 else { return 0 }
        let s = charset.fit(s)
        let text = TextWidth.width(s) > limit ? TextWidth.clip(s, limit, charset: charset) : s
        var cx = x
        for ch in text {
            let w = TextWidth.width(ch)
            if w == 0 { continue }
            if cx + w > x + limit {
                // A wide character that would straddle the edge becomes a blank.
                if cx < x + limit { set(cx, y, Cell(" ", width: 1, role: role)); cx += 1 }
                break
            }
            set(cx, y, Cell(String(ch), width: UInt8(w), role: role))
            if w == 2 { set(cx + 1, y, Cell("", width: 0, role: role)) }
            cx += w
        }
        return cx - x
    }

    /// Writes spans one after the other; returns the columns used.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        let limit = min(width - x, maxWidth ?? Int.max)
        var used = 0
        for span in spans where used < limit {
            used += write(span.text, x: x + used, y: y, maxWidth: limit - used, role: span.role)
        }
        return used
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        let old = cells[i]
        if old.isContinuation, x > 0, cells[i - 1].width == 2 {
            cells[i - 1] = Cell(" ", width: 1, role: cells[i - 1].role)
        }
        if old.width == 2, cell.width != 2, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", width: 1, role: old.role)
        }
        cells[i] = cell
    }

    /// The screen as text, one line a row, trailing blanks trimmed.
    public var text: String {
        (0..<height).map { line($0) }.joined(separator: "\n")
    }

    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width { s += self[x, y].text }
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
