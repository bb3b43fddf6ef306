import CoClickAPI
@testable import Dashboard
import Foundation
import TerminalText
import Testing

@Suite("Countdown")
struct CountdownTests {
    func text(_ status: MeetingStatus, _ offset: TimeInterval) -> String {
        Countdown.text(status: status, startsAt: fixedNow.addingTimeInterval(offset), now: fixedNow)
    }

    @Test func scheduledRanges() {
        #expect(text(.scheduled, 4 * 60 + 12) == "in 4m 12s")
        #expect(text(.scheduled, 5) == "in 0m 05s")
        #expect(text(.scheduled, 3599) == "in 59m 59s")
        #expect(text(.scheduled, 3600) == "in 1h 00m")
        #expect(text(.scheduled, 2 * 3600 + 5 * 60 + 30) == "in 2h 05m")
        #expect(text(.scheduled, 86_399) == "in 23h 59m")
        #expect(text(.scheduled, 86_400) == "in 1d 00h")
        #expect(text(.scheduled, 3 * 86_400 + 4 * 3600) == "in 3d 04h")
        #expect(text(.scheduled, -30) == "due now")
        #expect(text(.scheduled, -300) == "late 5m")
    }

    @Test func otherStatuses() {
        #expect(text(.inProgress, -12 * 60) == "live 12m")
        #expect(text(.inProgress, -(3600 + 5 * 60)) == "live 1h 05m")
        #expect(text(.closed, -600) == "ended")
        #expect(text(.cancelled, 600) == "cancelled")
        #expect(Countdown.text(status: .scheduled, startsAt: nil, now: fixedNow) == "—")
    }

    @Test func ticksOncePerSecond() {
        let a = Countdown.text(status: .scheduled, startsAt: fixedNow.addingTimeInterval(100), now: fixedNow.addingTimeInterval(0.2))
        let b = Countdown.text(status: .scheduled, startsAt: fixedNow.addingTimeInterval(100), now: fixedNow.addingTimeInterval(0.9))
        #expect(a == b)
    }

    @Test func reminderLead() {
        #expect(Countdown.isWithinReminder(status: .scheduled, startsAt: fixedNow.addingTimeInterval(240), now: fixedNow, minutes: 5))
        #expect(!Countdown.isWithinReminder(status: .scheduled, startsAt: fixedNow.addingTimeInterval(301), now: fixedNow, minutes: 5))
        #expect(!Countdown.isWithinReminder(status: .cancelled, startsAt: fixedNow.addingTimeInterval(60), now: fixedNow, minutes: 5))
    }

    @Test func startTimeInLocalZone() {
        #expect(LocalTime.startText(fixedNow, zone: utc) == "2027-01-15 08:00")
        #expect(LocalTime.startText(fixedNow, zone: TimeZone(identifier: "Asia/Tokyo")!) == "2027-01-15 17:00")
        #expect(Countdown.relative(fixedNow.addingTimeInterval(-3 * 3600 - 120), now: fixedNow) == "3h ago")
        #expect(Countdown.relative(fixedNow.addingTimeInterval(7500), now: fixedNow) == "in 2h 05m")
    }
}

@Suite("Keymap")
struct KeymapTests {
    @Test func defaultsMatchTheProductTable() {
        let k = Keymap.standard
        #expect(k.command(for: .char("j"), in: .list) == .moveDown)
        #expect(k.command(for: .down, in: .list) == .moveDown)
        #expect(k.command(for: .char("Y"), in: .detail) == .copyPresenter)
        #expect(k.command(for: .ctrl("s"), in: .form) == .submit)
        #expect(k.command(for: .char("?"), in: .form) == nil)
        #expect(k.command(for: .function(1), in: .form) == .help)
        #expect(k.command(for: .escape, in: .detail) == .back)
    }

    @Test func helpListsEveryBinding() {
        let lines = HelpView.lines(.standard).map { $0.map(\.text).joined() }
        let all = lines.joined(separator: "\n")
        for k in ["Ctrl-S", "Ctrl-A", "Ctrl-D", "Ctrl-K", "Ctrl-W", "Ctrl-L", "Ctrl-R", "Alt-b", "Alt-f", "Alt-d", "F2", "F3", "F8", "Shift-Tab", "PgUp", "F1", "Esc", "/", "y", "Y"] {
            #expect(all.contains(k), "\(k)")
        }
        let bindings = Keymap.standard.bindings.values.reduce(0) { $0 + $1.count }
        #expect(lines.filter { $0.hasPrefix("  ") }.count >= bindings)
    }
}
