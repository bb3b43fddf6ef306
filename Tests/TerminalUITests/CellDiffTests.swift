import Dashboard
import Foundation
import Testing
@testable import TerminalUI

@Suite("CellDiff")
struct CellDiffTests {
    func buffer(_ lines: [String], width: Int = 10) -> CellBuffer {
        var b = CellBuffer(width: width, height: lines.count)
        for (y, l) in lines.enumerated() { b.write(l, x: 0, y: y, role: .normal) }
        return b
    }

    @Test func theFirstFrameClearsAndDrawsEveryCell() {
        let b = buffer(["ab", "cd"], width: 3)
        let d = CellDiff(from: nil, to: b)
        #expect(d.clearFirst)
        #expect(d.changes.count == 6)
        #expect(d.changes.map { "\($0.x),\($0.y)" } == ["0,0", "1,0", "2,0", "0,1", "1,1", "2,1"])
    }

    @Test func anUnchangedFrameSendsNothing() {
        let b = buffer(["in 5m 3s", "ada"])
        let d = CellDiff(from: b, to: b)
        #expect(d.isEmpty)
    }

    /// Only the changed cells, plus the one left of each changed run (see `CellDiff`).
    @Test func aTickingCountdownSendsOnlyItsChangedCells() {
        let before = buffer(["in 5m 3s", "ada"])
        let after = buffer(["in 5m 2s", "ada"])
        let d = CellDiff(from: before, to: after)
        #expect(!d.clearFirst)
        #expect(d.changes.map(\.x) == [5, 6])
        #expect(d.changes.map(\.y) == [0, 0])
        #expect(d.changes.last?.cell.text == "2")
    }

    @Test func aRoleChangeIsAChange() {
        let before = buffer(["abc"])
        var after = before
        after.fill(x: 1, y: 0, width: 1, role: .selection)
        let d = CellDiff(from: before, to: after)
        #expect(d.changes.map(\.x) == [0, 1])
        #expect(d.changes.last?.cell.role == .selection)
    }

    @Test func aNewSizeClearsAndRedrawsAll() {
        let d = CellDiff(from: buffer(["ab"], width: 4), to: buffer(["ab"], width: 5))
        #expect(d.clearFirst)
        #expect(d.changes.count == 5)
    }

    /// A wide cluster over a narrow one: the cell left of a changed wide cell
    /// is redrawn, and continuation cells are never sent on their own.
    @Test func wideClustersRedrawWhatTheyCover() {
        let before = buffer(["abcd"], width: 4)
        let after = buffer(["a日d"], width: 4)
        let d = CellDiff(from: before, to: after)
        #expect(d.changes.map(\.x) == [0, 1], "a (its right neighbour changed) and the wide cell; never its continuation")
        #expect(d.changes.contains { $0.cell.text == "日" && $0.cell.width == 2 })
        // And back: the continuation becomes a cell of its own.
        let back = CellDiff(from: after, to: before)
        #expect(back.changes.map(\.x) == [0, 1, 2])
    }
}
