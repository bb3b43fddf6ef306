/// What changed between two frames: the cells a backend must send, so an
/// idle dashboard writes only its countdowns, and the hyperlinks to write
/// over them. Pure, and tested as such.
public struct CellDiff: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var x: Int
        public var y: Int
        public var cell: Cell
    }

    /// Clear the screen first: no previous frame, or one of another size.
    public var clearFirst: Bool
    /// Cells to draw, row by row, left to right. Continuation cells are never
    /// listed: drawing a wide cluster covers them.
    public var changes: [Change]

    /// One OSC 8 hyperlink: a target over a run of cells, continued on the
    /// next rows from column 0 when it fills its row to the right edge (the
    /// terminal wraps it, so a selection copies it whole).
    public struct LinkRun: Sendable, Hashable {
        /// Its place among the frame's links, from 1: its OSC 8 `id`.
        public var number: Int
        public var target: String
        /// The cells, one part per row.
        public var parts: [CellLink]
    }

    /// Links to write over the cells: every one after a clear, else those
    /// that are new, moved, or over cells that changed (drawing a cell takes
    /// away the link the terminal had on it).
    public var links: [LinkRun]

    /// Nothing to send at all.
    public var isEmpty: Bool { !clearFirst && changes.isEmpty && links.isEmpty }

    public init(from previous: CellBuffer?, to next: CellBuffer) {
        if let previous, previous == next {
            clearFirst = false
            changes = []
            links = []
            return
        }
        let full = previous == nil || previous?.width != next.width || previous?.height != next.height
        clearFirst = full
        var out: [Change] = []
        for y in 0..<next.height {
            for x in 0..<next.width {
                let cell = next[x, y]
                if cell.isContinuation { continue }
                // A cell counts as unchanged only if its right neighbour is too:
                // terminals blank both halves of a wide cluster when either is
                // overwritten, so the cell left of a change is sent again.
                if !full, let p = previous, p[x, y] == cell,
                   x + 1 >= next.width || p[x + 1, y] == next[x + 1, y] { continue }
                out.append(Change(x: x, y: y, cell: cell))
            }
        }
        changes = out
        // A part holds its target and place: equal parts, the same link in the same place.
        let before = Set((previous.map(Self.linkRuns) ?? []).map(\.parts))
        links = Self.linkRuns(next).filter { run in
            if full || !before.contains(run.parts) { return true }
            // The cell right of a run counts too: a wide cluster redrawn there blanks its neighbour.
            return run.parts.contains { l in
                (l.x..<min(next.width, l.x + l.width + 1)).contains { previous?[$0, l.y] != next[$0, l.y] }
            }
        }
    }

    /// The frame's links, a link wrapped over several rows as one run; links
    /// that start off the grid are left out.
    public static func linkRuns(_ buf: CellBuffer) -> [LinkRun] {
        let links = buf.links
        var out: [LinkRun] = []
        var i = 0
        while i < links.count {
            var j = i
            while j + 1 < links.count, links[j + 1].target == links[i].target, links[j + 1].x == 0,
                  links[j + 1].y == links[j].y + 1, links[j].x + links[j].width == buf.width { j += 1 }
            let first = links[i]
            if first.y >= 0, first.y < buf.height, first.x >= 0, first.x < buf.width {
                let parts = links[i...j].filter { $0.y >= 0 && $0.y < buf.height }
                out.append(LinkRun(number: out.count + 1, target: first.target, parts: parts))
            }
            i = j + 1
        }
        return out
    }
}
