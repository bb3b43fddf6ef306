import CoClickAPI
import Dashboard
import Foundation
import Testing
@testable import TerminalUI

@Suite("Mouse input and hit-testing")
struct MouseInputTests {
    func raw(_ s: String) -> [InputDecoder.Raw] { s.unicodeScalars.map { .char($0.value) } }

    @Test func sgrReportsBecomeMouseKeys() {
        var d = InputDecoder()
        let keys = d.decode(raw("j\u{1b}[<0;10;7M\u{1b}[<0;10;7mk\u{1b}[<65;3;4M"))
        #expect(keys == [.key(.char("j")), .mouse(MouseEvent(.press(button: 0), x: 9, y: 6)), .mouse(MouseEvent(.release, x: 9, y: 6)),
                         .key(.char("k")), .mouse(MouseEvent(.wheelDown, x: 2, y: 3))])
    }

    @Test func aReportSplitAcrossReadsIsPutTogether() {
        var d = InputDecoder()
        #expect(d.decode(raw("\u{1b}[<0;12")) == [])
        #expect(d.decode(raw(";5M")) == [.mouse(MouseEvent(.press(button: 0), x: 11, y: 4))])
        // ncurses may match `kmous` itself and hand over the rest.
        #expect(d.decode([.mouseIntro] + raw("64;1;1M")) == [.mouse(MouseEvent(.wheelUp, x: 0, y: 0))])
    }

    @Test func escAndOtherSequencesStayKeys() {
        var d = InputDecoder()
        #expect(d.decode(raw("\u{1b}")) == [.key(.escape)])
        #expect(d.decode(raw("\u{1b}[")) == [.key(.escape), .key(.char("["))])
        // Esc and a character in one read is Alt (Meta) + that character.
        #expect(d.decode(raw("\u{1b}x")) == [.key(.alt("x"))])
        #expect(d.decode(raw("\u{1b}")) + d.decode(raw("x")) == [.key(.escape), .key(.char("x"))])
        #expect(d.decode(raw("\u{1b}[<1x")) == [.key(.escape), .key(.char("[")), .key(.char("<")), .key(.char("1")), .key(.char("x"))])
        #expect(d.decode([.char(27), .key(.up)]) == [.key(.escape), .key(.up)])
        // A malformed report is dropped, never typed.
        #expect(d.decode(raw("\u{1b}[<1;2M")) == [])
        #expect(d.decode(raw("a\u{13}\u{7f}\r")) == [.key(.char("a")), .key(.ctrl("s")), .key(.backspace), .key(.enter)])
    }

    @Test func theListMarksEachMeetingRowWhereItIsDrawn() {
        let s = listState(width: 100, height: 30)
        let buf = Screens.render(s)
        var seen: [Int] = []
        for y in 0..<buf.height {
            guard case .meeting(let i)? = buf.target(atRow: y) else { continue }
            seen.append(i)
            // The row shows that meeting's short id.
            #expect(buf.line(y).contains(s.meetings[i].shortID), "row \(y): \(buf.line(y))")
        }
        #expect(seen == Array(s.meetings.indices))
        #expect(buf.target(atRow: 0) == nil && buf.target(atRow: buf.height - 1) == nil)
    }

    @Test func theFormMarksItsFieldsAndButton() {
        var s = listState(width: 100, height: 30)
        _ = reduce(&s, .key(.char("n")))
        let buf = Screens.render(s)
        var fields: [FormField] = []
        for y in 0..<buf.height { if case .field(let f)? = buf.target(atRow: y) { fields.append(f) } }
        #expect(fields.first == .user)
        #expect(fields.contains(.cobrowsingURL) && fields.last == .submit)
        let urlRow = (0..<buf.height).first { buf.target(atRow: $0) == .field(.cobrowsingURL) }!
        #expect(buf.line(urlRow).contains("Cobrowsing URL"))

        // A click there (through the reducer) focuses it.
        _ = reduce(&s, .mouse(MouseEvent(.press(button: 0), x: 30, y: urlRow), target: buf.target(atRow: urlRow)))
        #expect(s.form?.focus == .cobrowsingURL)
    }

    @Test func nothingIsClickableUnderTheHelp() {
        var s = listState(width: 100, height: 30)
        _ = reduce(&s, .key(.char("?")))
        let buf = Screens.render(s)
        #expect((0..<buf.height).allSatisfy { buf.target(atRow: $0) == nil })
    }
}
