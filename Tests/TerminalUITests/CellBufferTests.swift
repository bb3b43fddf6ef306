import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

@Suite("CellBuffer")
struct CellBufferTests {
    @Test func widthsPerGraphemeCluster() {
        #expect(TextWidth.width("abc") == 3)
        #expect(TextWidth.width("日本") == 4)
        #expect(TextWidth.width("e\u{301}") == 1)          // e + combining acute
        #expect(TextWidth.width("👩‍💻") == 2)                // ZWJ sequence
        #expect(TextWidth.width("👨‍👩‍👧‍👦") == 2)
        #expect(TextWidth.width("❤️") == 2)                 // VS16
        #expect(TextWidth.width("🇫🇷") == 2)                // flag
        #expect(TextWidth.width("😀") == 2)
    }

    @Test func wideCharactersTakeTwoCellsAndNeverStraddleTheEdge() {
        var b = CellBuffer(width: 5, height: 1)
        b.write("日本語", x: 0, y: 0, role: .normal)
        // 6 columns do not fit in 5: clipped with an ellipsis.
        #expect(b.line(0) == "日本…")
        var c = CellBuffer(width: 3, height: 1)
        c.write("a日", x: 0, y: 0, maxWidth: 2, role: .normal)
        #expect(c.line(0) == "a…")
        var e = CellBuffer(width: 3, height: 1)
        e.write("ab日", x: 0, y: 0, role: .normal)  // exactly 4 > 3 columns
        #expect(e.line(0) == "ab…")
        var d = CellBuffer(width: 4, height: 1)
        d.write("ab", x: 0, y: 0, role: .normal)
        d.write("日", x: 2, y: 0, role: .normal)
        #expect(d.line(0) == "ab日")
        #expect(d[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterRepairsIt() {
        var b = CellBuffer(width: 4, height: 1)
        b.write("日本", x: 0, y: 0, role: .normal)
        b.write("x", x: 1, y: 0, role: .normal)
        #expect(b.line(0) == " x本")
    }

    @Test func clippingUsesAnEllipsis() {
        var b = CellBuffer(width: 10, height: 1)
        b.write("hello world", x: 0, y: 0, maxWidth: 6, role: .normal)
        #expect(b.line(0) == "hello…")
    }

    @Test func styleLayer() {
        var b = CellBuffer(width: 4, height: 1)
        b.write("ab", x: 1, y: 0, role: .error)
        #expect((0..<4).map { b[$0, 0].role } == [.normal, .error, .error, .normal])
    }

    @Test func drawableDropsAmbiguousEmojiParts() {
        #expect(NcursesBackend.drawable("👩‍💻").count == 1)
        #expect(NcursesBackend.drawable("❤️").map(\.value) == [0x2764])
        #expect(NcursesBackend.drawable("e\u{301}").count == 2)
    }

    @Test func keyDecoding() {
        var d = InputDecoder()
        #expect(d.decode([.char(13)]) == [.key(.enter)])
        #expect(d.decode([.char(27)]) == [.key(.escape)])
        #expect(d.decode([.char(19)]) == [.key(.ctrl("s"))])
        #expect(d.decode([.char(127)]) == [.key(.backspace)])
        #expect(d.decode([.char(0x65E5)]) == [.key(.char("日"))])
        #expect(NcursesBackend.rawKey(NcursesBackend.pasteStartCode) == .pasteStart)
    }
}
