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

    func linked(_ lines: [String], width: Int = 10, _ links: [CellLink]) -> CellBuffer {
        var b = buffer(lines, width: width)
        b.links = links
        return b
    }

    @Test func linksComeWithTheCellsTheyCover() {
        let url = "http://a.b/cd"
        // The URL wraps at the edge: one link over two rows.
        let first = linked(["x", "http://a.b", "/cd"], [CellLink(x: 0, y: 1, width: 10, target: url), CellLink(x: 0, y: 2, width: 3, target: url)])
        let d = CellDiff(from: nil, to: first)
        #expect(d.links.map(\.number) == [1])
        #expect(d.links.first?.parts.map(\.y) == [1, 2])
        // Nothing changed: no link written again.
        #expect(CellDiff(from: first, to: first).links.isEmpty)
        // A countdown elsewhere changes: the link stays as the terminal has it.
        var ticked = first
        ticked.write("y", x: 0, y: 0, role: .normal)
        #expect(CellDiff(from: first, to: ticked).links.isEmpty)
        // The URL moves up a row: the link is written where it is now.
        let moved = linked(["http://a.b", "/cd", ""], [CellLink(x: 0, y: 0, width: 10, target: url), CellLink(x: 0, y: 1, width: 3, target: url)])
        let m = CellDiff(from: first, to: moved)
        #expect(m.links.map { $0.parts.map(\.y) } == [[0, 1]])
        #expect(!m.isEmpty)
        // Its cells redrawn (a new role over the same text): written again over them.
        var selected = first
        selected.fill(x: 0, y: 2, width: 3, role: .selection)
        #expect(CellDiff(from: first, to: selected).links.count == 1)
    }

    @Test func theLinkBytesWrapExactlyTheLinkedCells() {
        let b = linked(["see http://a.b/c now"], width: 20, [CellLink(x: 4, y: 0, width: 12, target: "http://a.b/c")])
        let bytes = NcursesBackend.hyperlinkBytes(CellDiff(from: nil, to: b).links, in: b, sgr: [:])
        #expect(bytes == "\u{1B}7\u{1B}[1;5H\u{1B}[0m\u{1B}]8;id=coclick-1;http://a.b/c\u{1B}\\http://a.b/c\u{1B}]8;;\u{1B}\\\u{1B}[0m\u{1B}8")
    }
}
