import CoClickAPI
import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

/// The reducer scrolls and the screens draw from one `ScreenGeometry`: what
/// can be scrolled to is what can be seen, at any size.
@Suite("Screen geometry")
struct GeometryTests {
    static let sizes: [(Int, Int)] = [(100, 12), (50, 20), (40, 10), (120, 40)]

    /// A detail with more lines than fit, long values that wrap, and a marker at the very end.
    static func longDetail() -> Meeting {
        var d = detailMeeting()
        d.presenterWaitingRoomIframeURL = "https://iframe.example.com/" + String(repeating: "segment/", count: 30) + "end"
        d.cookies = (1...12).map { Cookie(domain: "d\($0).example.com", name: "n\($0)", value: "v\($0)") }
        var custom: [String: JSONValue] = [:]
        for i in 1...10 { custom["key\(i)"] = .string(String(repeating: "x", count: i * 9)) }
        custom["zz_last"] = .string("END-OF-DETAIL")
        d.customData = .object(custom)
        return d
    }

    static func text(_ spans: [Span]) -> String { spans.map(\.text).joined() }

    @Test(arguments: sizes)
    func detailScrollsToItsLastLine(_ width: Int, _ height: Int) {
        for keys in [[Key.char("G")], Array(repeating: Key.char("j"), count: 300), Array(repeating: Key.pageDown, count: 40)] {
            var s = listState(width: width, height: height)
            _ = reduce(&s, .key(.enter))
            _ = reduce(&s, .detailLoaded(Self.longDetail(), purpose: .show))
            for k in keys { _ = reduce(&s, .key(k)) }
            let g = s.geometry
            let lines = DetailView.rows(for: Self.longDetail(), loading: false, error: nil, now: s.now, zone: s.timeZone, geometry: g).map(\.spans)
            #expect(lines.count > g.detailRows, "the detail must overflow at \(width)x\(height)")
            let buf = Screens.render(s)
            // The last text row shows the last line, and the line before it the one before.
            let lastRow = g.detailTop + g.detailRows - 1
            #expect(buf.line(lastRow).trimmingCharacters(in: .whitespaces) == Self.text(lines[lines.count - 1]).trimmingCharacters(in: .whitespaces),
                    "at \(width)x\(height):\n\(buf.text)")
            #expect(buf.text.contains("END-OF-DETAIL"), "at \(width)x\(height):\n\(buf.text)")
            #expect(buf.text.contains("of \(lines.count)"))
        }
    }

    @Test(arguments: sizes)
    func helpScrollsToItsLastLine(_ width: Int, _ height: Int) {
        for keys in [Array(repeating: Key.char("j"), count: 300), Array(repeating: Key.pageDown, count: 40)] {
            var s = listState(width: width, height: height)
            _ = reduce(&s, .key(.char("?")))
            for k in keys { _ = reduce(&s, .key(k)) }
            #expect(s.showHelp)
            let lines = HelpView.lines(s.keymap)
            let g = s.geometry
            let box = g.helpBox(lineCount: lines.count)
            let buf = Screens.render(s)
            // Its start: a narrow box clips the end of the line.
            let last = String(Self.text(lines[lines.count - 1]).trimmingCharacters(in: .whitespaces).prefix(16))
            // The last help line sits on the box's last text row, just above "any other key closes".
            let lastRow = box.y + g.helpRows(lineCount: lines.count)
            #expect(buf.line(lastRow).contains(last), "at \(width)x\(height), row \(lastRow):\n\(buf.text)")
            #expect(buf.line(lastRow + 1).contains("any other key closes"))
        }
    }

    @Test(arguments: sizes)
    func listRowsFillTheSpaceBetweenTitlesAndFooter(_ width: Int, _ height: Int) {
        var s = listState(width: width, height: height)
        s.pageSize = 60
        s.meetings = []
        let many = (0..<60).map { m(String(format: "%08x", $0), "u\($0)@example.com", .scheduled, Double($0 + 1)) }
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: many, page: 1, per: 60), company: "Acme", at: now))
        _ = reduce(&s, .key(.char("G")))
        let g = s.geometry
        let buf = Screens.render(s)
        // The selected (last) meeting is on the last list row, right above the footer.
        #expect(g.listTop + g.listRows == g.hintRow)
        #expect(buf.line(g.listTop + g.listRows - 1).contains("u59@"), "\(buf.text)")
        #expect(buf.line(g.listTitleRow).contains("STATUS"))
    }
}
