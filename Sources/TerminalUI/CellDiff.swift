/// What changed between two frames: the cells a backend must send, so an
/// idle dashboard writes only its countdowns. Pure, and tested as such.
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

    /// Nothing to send at all.
    public var isEmpty: Bool { !clearFirst && changes.isEmpty }

    public init(from previous: CellBuffer?, to next: CellBuffer) {
        if let previous, previous == next {
            clearFirst = false
            changes = []
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
    }
}
