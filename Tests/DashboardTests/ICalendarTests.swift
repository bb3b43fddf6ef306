import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("iCalendar writer")
struct ICalendarTests {
    let stamp = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z

    func meeting(
        id: String = "bcc18d36d0ba07c00639c48421411f33", user: String? = "hugh@example.com",
        status: MeetingStatus = .scheduled, start: String? = "2026-12-01T14:30:00.000+01:00",
        duration: Int? = 1800, site: String? = "https://www.example.com/page",
        presenter: String? = "https://app.coclick.io/presenter/abc", prospect: String? = "https://app.coclick.io/r/abc"
    ) -> Meeting {
        Meeting(id: id, user: user, status: status, startsAt: start.flatMap(APIDate.parse), duration: duration,
                cobrowsingURL: site, prospectRoomURL: prospect, presenterRoomURL: presenter, isDetail: true)
    }

    /// The file's content lines, unfolded as a reader does (CRLF + one space joins).
    func unfolded(_ file: String) -> [String] {
        file.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func aMeetingIsOneEventWithItsTimesInUTC() {
        let file = ICalendar.calendar([meeting(), meeting(id: "c3d9f698", status: .cancelled, duration: nil)], defaultMinutes: 45, stamp: stamp)
        let lines = unfolded(file)
        #expect(lines.first == "BEGIN:VCALENDAR")
        #expect(lines.last == "END:VCALENDAR")
        #expect(lines.contains("VERSION:2.0"))
        #expect(lines.contains { $0.hasPrefix("PRODID:") })
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
        #expect(lines.contains("UID:bcc18d36d0ba07c00639c48421411f33@coclick"))
        #expect(lines.contains("DTSTAMP:20261130T005320Z"))
        // 14:30 at UTC+01:00 is 13:30Z; the duration is 1800 s.
        #expect(lines.contains("DTSTART:20261201T133000Z"))
        #expect(lines.contains("DTEND:20261201T140000Z"))
        // No duration: the default length (45 minutes here).
        #expect(lines.contains("DTEND:20261201T141500Z"))
        #expect(lines.contains("SUMMARY:hugh@example.com · www.example.com"))
        #expect(lines.contains("URL:https://app.coclick.io/presenter/abc"))
        #expect(lines.contains("DESCRIPTION:Presenter room: https://app.coclick.io/presenter/abc\\nProspect room: https://app.coclick.io/r/abc\\nSite: https://www.example.com/page"))
        #expect(lines.filter { $0 == "STATUS:CONFIRMED" }.count == 1)
        #expect(lines.filter { $0 == "STATUS:CANCELLED" }.count == 1)
        // Every line ends in CRLF; no bare LF or CR anywhere.
        #expect(file.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!file.replacingOccurrences(of: "\r\n", with: "").contains { $0 == "\n" || $0 == "\r" })
    }

    @Test func aMeetingWithoutAStartIsLeftOut() {
        #expect(ICalendar.event(meeting(start: nil), defaultMinutes: 60, stamp: stamp).isEmpty)
    }

    @Test func textIsEscapedAsTheRFCSays() {
        #expect(ICalendar.text(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendar.text("one\ntwo") == #"one\ntwo"#)
        // Controls from the server are dropped: CR, TAB, ESC, DEL, a C1 control.
        #expect(ICalendar.text("a\r\nb\tc\u{1B}[31md\u{7F}e\u{9B}f") == #"a\nbc[31mdef"#)
    }

    @Test func hostileTextStaysInsideItsProperty() {
        let evil = meeting(user: "eve@example.com\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:forged",
                           site: "https://evil.example/\nEND:VEVENT;x,y\\",
                           presenter: "https://evil.example/\r\nX-INJECTED:1")
        let file = ICalendar.calendar([evil], defaultMinutes: 60, stamp: stamp)
        let lines = unfolded(file)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(lines.filter { $0 == "END:VEVENT" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("UID:") } == ["UID:bcc18d36d0ba07c00639c48421411f33@coclick"])
        #expect(!lines.contains { $0.hasPrefix("X-INJECTED") })
        // A room URL with a line break in it is no link: no URL property, still in the description (escaped).
        #expect(!lines.contains { $0.hasPrefix("URL:") })
        #expect(lines.contains { $0.hasPrefix("SUMMARY:eve@example.com\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:forged") })
        #expect(lines.contains { $0.hasPrefix("DESCRIPTION:Presenter room: https://evil.example/\\nX-INJECTED:1") })
    }

    @Test func linesFoldAt75OctetsNeverInsideACharacter() {
        // 2-, 3- and 4-byte characters, so a fold would land inside one if counted in characters.
        let long = String(repeating: "é日😀a", count: 40)
        let url = "https://www.example.com/" + String(repeating: "x", count: 600)
        let file = ICalendar.calendar([meeting(user: long, presenter: url)], defaultMinutes: 60, stamp: stamp)
        // On the bytes: each physical line at most 75 octets, and a fold never
        // followed by a UTF-8 continuation byte (a character cut in two).
        let bytes = Array(file.utf8)
        var folds = 0, lineStart = 0, i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                #expect(i - lineStart <= 75, "a line of \(i - lineStart) octets")
                if i + 2 < bytes.count && bytes[i + 2] == 0x20 {
                    folds += 1
                    #expect(i + 3 < bytes.count && bytes[i + 3] & 0xC0 != 0x80, "a fold inside a character at octet \(i)")
                }
                lineStart = i + 2
                i += 2
            } else {
                i += 1
            }
        }
        #expect(folds > 10)
        let lines = unfolded(file)
        #expect(lines.contains("SUMMARY:" + long + " · www.example.com"))
        #expect(lines.contains("URL:" + url))
    }

    @Test func foldingKeepsShortLinesAndFillsLongOnesToTheLimit() {
        let exact = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(exact) == exact)
        let folded = ICalendar.fold(String(repeating: "a", count: 76))
        #expect(folded == exact + "\r\n a")
        // A 3-byte character that would cross octet 75 goes to the next line whole.
        let nearEdge = String(repeating: "a", count: 74) + "日"
        #expect(ICalendar.fold(nearEdge) == String(repeating: "a", count: 74) + "\r\n 日")
    }
}
