import CoClickAPI
@testable import Dashboard
import Foundation
import TerminalText
import Testing

@Suite("Status bar line")
struct StatusBarTests {
    func meeting(_ status: MeetingStatus, in seconds: TimeInterval) -> Meeting {
        Meeting(id: "abc", user: "hugh@example.com", status: status,
                startsAt: APIDate(date: fixedNow.addingTimeInterval(seconds), offsetSeconds: 0))
    }

    @Test func percentageIsHowFarIntoTheReminderLead() {
        #expect(StatusBar.percentage(meeting(.scheduled, in: 600), now: fixedNow, leadMinutes: 5) == 0)
        #expect(StatusBar.percentage(meeting(.scheduled, in: 300), now: fixedNow, leadMinutes: 5) == 0)
        #expect(StatusBar.percentage(meeting(.scheduled, in: 150), now: fixedNow, leadMinutes: 5) == 50)
        #expect(StatusBar.percentage(meeting(.scheduled, in: 30), now: fixedNow, leadMinutes: 5) == 90)
        #expect(StatusBar.percentage(meeting(.scheduled, in: -10), now: fixedNow, leadMinutes: 5) == 100)
        #expect(StatusBar.percentage(meeting(.inProgress, in: -60), now: fixedNow, leadMinutes: 5) == 100)
        #expect(StatusBar.percentage(meeting(.scheduled, in: 30), now: fixedNow, leadMinutes: 0) == 0)
        #expect(StatusBar.percentage(meeting(.cancelled, in: 30), now: fixedNow, leadMinutes: 5) == 0)
    }

    @Test func staleTextSaysTheStateAndTheAgeInMinutes() {
        #expect(StatusBar.staleText(.offline, age: 200) == "offline · 3m old")
        #expect(StatusBar.staleText(.offline, age: 20) == "offline · <1m old")
        #expect(StatusBar.staleText(.maintenance, age: 3900) == "maintenance · 1h 05m old")
        #expect(StatusBar.isStale(.offline) && !StatusBar.isStale(.retrying) && !StatusBar.isStale(.ok))
    }

    @Test func tmuxMarkupColoursByStatusAndDoublesHashes() {
        #expect(StatusBar.tmux("live 3m", status: .inProgress, soon: false, stale: false) == "#[fg=green,bold]live 3m#[default]")
        #expect(StatusBar.tmux("in 2h", status: .scheduled, soon: false, stale: false) == "#[fg=cyan]in 2h#[default]")
        #expect(StatusBar.tmux("in 2m", status: .scheduled, soon: true, stale: false) == "#[fg=yellow,bold]in 2m#[default]")
        #expect(StatusBar.tmux("offline", status: .scheduled, soon: true, stale: true) == "#[fg=red]offline#[default]")
        // Server text cannot open markup of its own.
        #expect(StatusBar.tmux("#[fg=blue]x#(rm)", status: nil, soon: false, stale: false) == "#[default]##[fg=blue]x##(rm)#[default]")
    }

    @Test func waybarIsOneJSONObjectWithItsTextAsMarkupSafeStrings() throws {
        let line = StatusBar.waybar(text: "in 2m · <b>a&b</b> \"q\" \\x1b", tooltip: "t\nu", cssClass: "scheduled", percentage: 140)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "in 2m · &lt;b&gt;a&amp;b&lt;/b&gt; \"q\" \\x1b")
        #expect(object["tooltip"] as? String == "t\nu")
        #expect(object["class"] as? String == "scheduled")
        #expect(object["percentage"] as? Int == 100)
    }

    @Test func nextChangeIsWhenTheCountdownNextReadsOtherwise() throws {
        let start = fixedNow.addingTimeInterval(2 * 3600 + 5 * 60 + 30.5)
        func line(_ t: Date) -> String { Countdown.text(status: .scheduled, startsAt: start, now: t) }
        // "in 2h 05m" until 2h 05m 00s are left: 30.5 s from now, not a second or a minute.
        let change = try #require(StatusBar.nextChange(after: fixedNow, until: fixedNow.addingTimeInterval(60), line))
        #expect(abs(change.timeIntervalSince(fixedNow) - 30.5) < 0.02, "\(change.timeIntervalSince(fixedNow))")
        #expect(line(change) == "in 2h 04m")
        // Nothing changes before the limit: no wake before it.
        #expect(StatusBar.nextChange(after: fixedNow, until: fixedNow.addingTimeInterval(15), line) == nil)
        // Seconds shown: the next second's change.
        let soon = fixedNow.addingTimeInterval(100.25)
        let tick = try #require(StatusBar.nextChange(after: fixedNow, until: fixedNow.addingTimeInterval(15)) {
            Countdown.text(status: .scheduled, startsAt: soon, now: $0)
        })
        #expect(abs(tick.timeIntervalSince(fixedNow) - 0.25) < 0.02)
    }
}
