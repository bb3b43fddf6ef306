import CoClickAPI
import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

/// 2027-01-15 08:00:00 UTC.
let now = Date(timeIntervalSince1970: 1_800_000_000)
let utc = TimeZone(identifier: "UTC")!

/// Compares a screen with `Snapshots/<name>.txt`. A missing or different file
/// fails; `COCLICK_RECORD_SNAPSHOTS=1` writes the current output instead.
func assertSnapshot(_ buf: CellBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = dir.appendingPathComponent(name + ".txt")
    let actual = buf.text + "\n"
    if ProcessInfo.processInfo.environment["COCLICK_RECORD_SNAPSHOTS"] == "1" {
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing snapshot \(file.path); run with COCLICK_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "snapshot \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
}

func m(_ id: String, _ user: String, _ status: MeetingStatus, _ minutes: Double) -> Meeting {
    Meeting(id: id + String(repeating: "0", count: 56), user: user, status: status,
            startsAt: APIDate(date: now.addingTimeInterval(minutes * 60), offsetSeconds: 7200))
}

let sampleMeetings: [Meeting] = [
    m("a1b2c3d4", "ada@example.com", .inProgress, -12),
    m("b2c3d4e5", "山田太郎@例え.jp", .scheduled, 3),
    m("c3d4e5f6", "👩‍💻dev@example.com", .scheduled, 4 * 60 + 0.2),
    m("d4e5f6a7", "❤️love@example.com", .scheduled, 3 * 24 * 60 + 4 * 60),
    m("e5f6a7b8", "evil\u{1B}[31m@example.com", .closed, -600),
    m("f6a7b8c9", "grace@example.com", .cancelled, 90),
    m("a7b8c9d0", "x@example.com", .other("archived"), 30),
]

func listState(width: Int, height: Int) -> AppState {
    var s = AppState(settings: DashboardSettings(apiDescription: "demo", keymap: .standard), themeNames: ["default"],
                     now: now, timeZone: utc, width: width, height: height)
    s.inFlight.insert(s.query)
    _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: sampleMeetings, page: 1, per: 20), company: "Acme 株式会社", at: now))
    _ = reduce(&s, .tick(now.addingTimeInterval(12)))
    _ = reduce(&s, .key(.char("j")))
    return s
}

func detailMeeting() -> Meeting {
    var d = sampleMeetings[1]
    d.isDetail = true
    d.duration = 2700
    d.cobrowsingURL = "https://shop.example.com/cart?session=\u{7}bell"
    d.cookies = [Cookie(domain: "example.com", name: "sid", value: "abc"), Cookie(domain: "例え.jp", name: "言語", value: "日本語")]
    d.customData = .object(["user_id": .int(17), "username": .string("Phil 🙂")])
    d.prospectRoomURL = "http://127.0.0.1:8080/essai/room/" + d.id
    d.presenterRoomURL = "http://127.0.0.1:8080/essai/presenter/" + d.id
    d.presenterWaitingRoomIframeURL = "https://www.youtube.com/embed/dQw4w9WgXcQ"
    return d
}

func detailState(width: Int, height: Int) -> AppState {
    var s = listState(width: width, height: height)
    _ = reduce(&s, .key(.enter))
    _ = reduce(&s, .detailLoaded(detailMeeting(), purpose: .show))
    return s
}

func formState(width: Int, height: Int) -> AppState {
    var s = listState(width: width, height: height)
    _ = reduce(&s, .key(.char("n")))
    for c in "not-an-email" { _ = reduce(&s, .key(.char(c))) }
    _ = reduce(&s, .key(.tab))
    for c in "tomorrow 9:00" { _ = reduce(&s, .key(.char(c))) }
    _ = reduce(&s, .key(.ctrl("s")))
    _ = reduce(&s, .key(.function(2)))
    for c in "example.com" { _ = reduce(&s, .key(.char(c))) }
    return s
}

@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (120, 40), (40, 12)]

    @Test(arguments: sizes) func list(_ w: Int, _ h: Int) {
        assertSnapshot(Screens.render(listState(width: w, height: h)), "list-\(w)x\(h)")
    }

    @Test(arguments: sizes) func detail(_ w: Int, _ h: Int) {
        assertSnapshot(Screens.render(detailState(width: w, height: h)), "detail-\(w)x\(h)")
    }

    @Test(arguments: sizes) func form(_ w: Int, _ h: Int) {
        assertSnapshot(Screens.render(formState(width: w, height: h)), "form-\(w)x\(h)")
    }

    @Test(arguments: sizes) func help(_ w: Int, _ h: Int) {
        var s = listState(width: w, height: h)
        _ = reduce(&s, .key(.char("?")))
        assertSnapshot(Screens.render(s), "help-\(w)x\(h)")
    }

    @Test func tooSmall() {
        let text = Screens.render(listState(width: 30, height: 8)).text
        #expect(text.contains("terminal too small"))
        #expect(text.contains("need 40x10"))
    }

    @Test func serverErrorsInTheForm() {
        var s = formState(width: 80, height: 24)
        _ = reduce(&s, .key(.function(3)))
        _ = reduce(&s, .key(.char("y")))
        _ = reduce(&s, .createFailed(.validation(ValidationErrors(["user": ["User must exist"], "starts_at": ["please specify a start date"]]))))
        let text = Screens.render(s).text
        #expect(text.contains("✗ server: User must exist"))
        #expect(text.contains("✗ server: please specify a start date"))
        #expect(text.contains("not-an-email"))
    }

    @Test func columnsStayAlignedWithWideCharacters() {
        let buf = Screens.render(listState(width: 100, height: 20))
        // Every meeting row has its short id starting in the same column.
        var columns: Set<Int> = []
        for y in 3..<buf.height {
            let line = buf.line(y)
            let ids = sampleMeetings.map { String($0.id.prefix(8)) }
            // Day headings and the now line carry no id.
            guard let id = ids.first(where: { line.contains($0) }), let r = line.range(of: id) else { continue }
            columns.insert(TextWidth.width(String(line[..<r.lowerBound])))
        }
        #expect(columns.count == 1, "\(columns)")
        #expect(Set((3..<buf.height).map { buf.line($0) }.filter { l in sampleMeetings.contains { l.contains($0.id.prefix(8)) } }).count == sampleMeetings.count)
        #expect(columns.count == 1, "\(columns)")
    }

    @Test func controlCharactersAreShownEscaped() {
        let text = Screens.render(listState(width: 120, height: 20)).text
        #expect(text.contains("evil\\x1b[31m@example.com"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let detail = Screens.render(detailState(width: 120, height: 40)).text
        #expect(detail.contains("session=\\x07bell"))
    }

    @Test func statusIsAWordAndColouredByRole() {
        let buf = Screens.render(listState(width: 80, height: 24))
        // Rows 3-5: yesterday's heading, a closed meeting, today's heading.
        let line = buf.line(6)
        #expect(line.contains("in progress"))
        // Row 6 is not selected (j moved past the now line to row 8): its status word has the in_progress role.
        #expect(buf[1, 6].role == .inProgress)
        #expect(buf.line(7).contains("── now 08:00 ──"))
        #expect(buf[1, 8].role == .selection)
        // The reminder (starts in 3 minutes) is marked without colour too.
        #expect(buf.line(8).hasPrefix("!"))
    }

    @Test func longFieldScrollsAroundTheCursor() {
        var s = listState(width: 60, height: 20)
        _ = reduce(&s, .key(.char("n")))
        for _ in 0..<10_000 { _ = reduce(&s, .key(.char("x"))) }
        _ = reduce(&s, .key(.char("Z")))
        let buf = Screens.render(s)
        let line = buf.line(1)
        #expect(line.hasSuffix("xZ") || line.contains("xZ"))
        #expect(line.contains("…"))
        #expect(TextWidth.width(line) <= 60)
    }

    @Test func footerShowsAgeAndConnectionInWords() {
        var s = listState(width: 100, height: 24)
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listFailed(query: s.query, error: .maintenance, at: now.addingTimeInterval(20)))
        let last = Screens.render(s).line(23)
        #expect(last.contains("maintenance"))
        #expect(last.contains("maintenance · data 20s old · next try in 2s"))
    }
}

@Suite("Footer")
struct FooterTests {
    @Test(arguments: [80, 60, 40]) func quitAndHelpStayWhenTheFooterIsNarrow(_ w: Int) {
        let s = listState(width: w, height: 24)
        let hints = Screens.render(s).line(22)
        #expect(hints.contains("q quit"), "\(hints)")
        #expect(hints.contains("?/F1 help"), "\(hints)")
        #expect(!hints.contains("…"), "\(hints)")
    }
}

@Suite("Detail links")
struct DetailLinkTests {
    @Test func roomURLsAreLinksAndLongOnesRunFromColumnZeroUnindented() {
        let s = detailState(width: 80, height: 40)
        let buf = Screens.render(s)
        let room = detailMeeting().prospectRoomURL!
        // Too long beside its label: under it, from column 0, the lines joined give the URL back.
        let rows = (0..<buf.height).filter { y in buf.links.contains { $0.y == y && $0.target == room } }
        #expect(rows.count == 2, "\(buf.text)")
        #expect(rows.allSatisfy { y in buf.links.first { $0.y == y }!.x == 0 })
        #expect(rows.map { buf.line($0) }.joined() == room)
        #expect(buf.line(rows[0]).count == 80)
        // A short URL stays beside its label and is a link there.
        let short = buf.links.first { $0.target.hasPrefix("https://shop.example.com") }
        #expect(short?.x == 1 + DetailView.labelWidth)
        // Control characters never reach a link target.
        #expect(buf.links.allSatisfy { $0.target.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F } })
        #expect(short?.target == "https://shop.example.com/cart?session=%07bell")
    }

    @Test func hyperlinkBytesWrapTheCellsTextAndGiveTheCursorBack() {
        let buf = Screens.render(detailState(width: 80, height: 40))
        let bytes = NcursesBackend.hyperlinkBytes(CellDiff.linkRuns(buf), in: buf, sgr: [:])
        let room = detailMeeting().prospectRoomURL!
        #expect(bytes.hasPrefix("\u{1B}7") && bytes.hasSuffix("\u{1B}8"))
        // One OSC 8 for the whole wrapped URL, its text written in one run.
        #expect(bytes.contains("\u{1B}]8;id=coclick-2;\(room)\u{1B}\\\(room)\u{1B}]8;;\u{1B}\\"))
        #expect(Hyperlink.target("javascript:alert(1)") == nil)
    }
}
