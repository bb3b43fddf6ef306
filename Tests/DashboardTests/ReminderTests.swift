import CoClickAPI
@testable import Dashboard
import Foundation
import TerminalText
import Testing

@Suite("Reminders and window title")
struct ReminderTests {
    func state(_ ms: [Meeting], notify: NotifyMode = .all, lead: Int = 5) -> AppState {
        var s = AppState(settings: DashboardSettings(remindBeforeMinutes: lead, notifyMode: notify, userThemeDirectory: nil),
                         now: fixedNow, timeZone: utc)
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: ms, page: 1, per: 20), company: nil, at: fixedNow))
        _ = reduce(&s, .tick(fixedNow))
        return s
    }

    func reminders(_ fx: [Effect]) -> [Reminder] {
        fx.compactMap { if case .remind(let r) = $0 { return r } else { return nil } }
    }

    func titles(_ fx: [Effect]) -> [String] {
        fx.compactMap { if case .setTitle(let t) = $0 { return t } else { return nil } }
    }

    @Test func onceWhenAMeetingEntersTheLeadAndOnceWhenItStarts() {
        let m = meeting(1, minutes: 7, user: "hugh@example.com")
        var s = state([m])
        var given: [Reminder] = []
        // Every second from now until 3 minutes after its start.
        for t in 1...600 {
            given += reminders(reduce(&s, .tick(fixedNow.addingTimeInterval(Double(t)))))
            if t == 200 {
                // A refresh in between changes nothing.
                s.inFlight.insert(s.query)
                given += reminders(reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: [m], page: 1, per: 20), company: nil, at: s.now)))
            }
        }
        #expect(given.map(\.kind) == [.lead, .start])
        #expect(given[0].body == "Meeting in 5m at 08:07: hugh@example.com (01ababab)")
        #expect(given[1].body.hasPrefix("Meeting starting now (08:07): hugh@example.com"))
    }

    @Test func aMeetingAlreadyInTheLeadAtStartIsRemindedOnceAndLongStartedOnesNot() {
        var s = AppState(settings: DashboardSettings(remindBeforeMinutes: 5, userThemeDirectory: nil), now: fixedNow, timeZone: utc)
        s.inFlight.insert(s.query)
        let ms = [meeting(1, minutes: 2), meeting(2, status: .inProgress, minutes: -30), meeting(3, status: .cancelled, minutes: 1),
                  meeting(4, minutes: 60)]
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: ms, page: 1, per: 20), company: nil, at: fixedNow))
        let first = reduce(&s, .tick(fixedNow.addingTimeInterval(1)))
        #expect(reminders(first).map(\.meetingID) == [ms[0].id])
        #expect(reminders(reduce(&s, .tick(fixedNow.addingTimeInterval(2)))).isEmpty)
    }

    @Test func notifyOffGivesNothingAndBellGivesNoTitle() {
        var off = state([meeting(1, minutes: 2)], notify: .off)
        #expect(reduce(&off, .tick(fixedNow.addingTimeInterval(1))).isEmpty)
        var bell = state([meeting(1, minutes: 2)], notify: .bell)
        bell.reminded = []
        let fx = reduce(&bell, .tick(fixedNow.addingTimeInterval(1)))
        #expect(reminders(fx).count == 1)
        #expect(titles(fx).isEmpty)
        let r = reminders(fx)[0]
        #expect(TerminalAlert.bytes(for: r, mode: .bell, envelope: .plain) == "\u{07}")
    }

    @Test func theTitleNamesTheNextStartAndChangesOnlyWhenItsTextDoes() {
        var s = state([meeting(1, status: .inProgress, minutes: -5), meeting(2, minutes: 4.5, user: "hugh@example.com")])
        #expect(s.windowTitle == "coclick · in 4m · hugh@…")
        #expect(titles(reduce(&s, .tick(fixedNow.addingTimeInterval(1)))).isEmpty)
        #expect(titles(reduce(&s, .tick(fixedNow.addingTimeInterval(31)))) == ["coclick · in 3m · hugh@…"])
        #expect(titles(reduce(&s, .tick(fixedNow.addingTimeInterval(240)))) == ["coclick · in <1m · hugh@…"])
        #expect(titles(reduce(&s, .tick(fixedNow.addingTimeInterval(300)))) == ["coclick"])
    }

    @Test func serverTextNeverPutsControlBytesIntoTheTerminal() {
        let evil = "evil\u{1B}]0;pwned\u{07};x\u{9C}@example.com"
        var s = state([meeting(1, minutes: 2, user: evil)])
        s.reminded = []
        let fx = reduce(&s, .tick(fixedNow.addingTimeInterval(1)))
        let r = reminders(fx)[0]
        for tmux in [false, true] {
            let bytes = TerminalAlert.bytes(for: r, mode: .all, envelope: tmux ? .tmux : .plain)
            // Only the sequences' own ESC and BEL: the body holds none.
            let body = bytes.split(separator: "\u{07}").joined()
            #expect(!r.body.unicodeScalars.contains { SafeText.needsEscape($0) })
            #expect(bytes.hasPrefix("\u{07}"))
            #expect(bytes.contains("]9;coclick: Meeting in 1m"))
            #expect(bytes.contains("]777;notify;coclick;Meeting in 1m"))
            #expect(!body.contains("\u{9C}"))
            if tmux { #expect(bytes.contains("\u{1B}Ptmux;\u{1B}\u{1B}]9;")) }
        }
        // No `;` from the server inside OSC 777's fields.
        #expect(!r.body.contains(";"))
        let title = TerminalAlert.title(s.windowTitle ?? "")
        #expect(title.unicodeScalars.filter { $0.value < 0x20 || (0x80..<0xA0).contains($0.value) }.count == 2)
    }
}

