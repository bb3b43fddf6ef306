import Foundation
import Testing

/// Issue 9's dashboard parts in tmux, the real binary against its embedded
/// simulator: reminders (bell, OSC 9/777, title), `o` through $BROWSER, OSC 8
/// links on the detail screen, focus without colour, and TERM=dumb.
@Suite("Agenda, reminders and links in tmux", .serialized)
struct AgendaTmuxTests {
    /// A shell line that writes a config file, then runs `coclick demo ARGS`;
    /// `recorded`: only once `record` has started copying the pane's output
    /// (under load a tmux command can take seconds: nothing written before is lost).
    func demo(_ args: String, config: String = "", env: String = "", recorded: Bool = false) -> String {
        """
        mkdir -p "$XDG_CONFIG_HOME/coclick" && printf '%s' \(Pane.quote(config)) > "$XDG_CONFIG_HOME/coclick/config.toml"; \
        \(recorded ? "while [ ! -e \"$DIR/go\" ]; do sleep 0.1; done; " : "")\(env) "$COCLICK" demo \(args); echo "exit=$?"; sleep 120
        """
    }

    func record(_ t: Pane) async throws -> URL { try await t.recordOutput() }

    func bytes(_ url: URL) -> String { Pane.recorded(url) }

    func count(_ needle: String, in hay: String) -> Int { hay.components(separatedBy: needle).count - 1 }

    @Test func bellAndOSC9ReachTheTerminalOnceWhenAMeetingEntersTheLeadAndTheTitleIsGivenBack() async throws {
        // One meeting starts 75 s after the simulator; the lead is one minute: it enters the lead ~15 s in.
        try await Pane.with(width: 100, height: 24, command: demo("--fixture soon:75", config: "remind_before_minutes = 1\n", recorded: true)) { t in
            let out = try await record(t)
            try await t.waitFor("hugh@example.com")
            // The title names the next start.
            try await t.waitUntil("the title", timeout: 30) { try await t.format("#{pane_title}").hasPrefix("coclick · in ") }
            #expect(try await t.format("#{pane_title}").hasSuffix("· hugh@…"))
            try await t.waitUntil("the lead reminder", timeout: 60) { bytes(out).contains("\u{1B}]9;") }
            var written = bytes(out)
            #expect(written.contains("\u{07}\u{1B}]9;coclick: Meeting in "), "\(written.debugDescription)")
            #expect(written.contains("\u{1B}]777;notify;coclick;Meeting in "))
            #expect(written.contains("hugh@example.com"))
            // It starts: the start reminder, and the lead one was not given again.
            try await t.waitUntil("the start reminder", timeout: 90) { bytes(out).contains("starting now") }
            written = bytes(out)
            #expect(count("\u{1B}]9;coclick: Meeting in ", in: written) == 1, "\(written.debugDescription)")
            #expect(count("\u{1B}]9;coclick: Meeting starting now", in: written) == 1)
            #expect(count("\u{1B}]777;notify;", in: written) == 2)
            #expect(written.contains("\u{1B}[22;0t"))
            try await t.keys("q")
            try await t.waitFor("exit=0")
            try await t.waitUntil("the title given back", timeout: 10) { bytes(out).contains("\u{1B}[23;0t") }
            // tmux's own title for the pane (the host name) is back.
            let after = try await t.format("#{pane_title}")
            #expect(!after.contains("coclick"), "title not given back: \(after)")
        }
    }

    /// SIGTERM (or SIGHUP, a crash) ends the dashboard in a C signal handler:
    /// the title we pushed is given back there too, not only on `q`.
    @Test func theTitleIsGivenBackWhenASignalEndsTheDashboard() async throws {
        try await Pane.with(width: 100, height: 24, command: demo("", recorded: true)) { t in
            let out = try await record(t)
            try await t.waitFor("hugh@example.com")
            try await t.waitUntil("the title", timeout: 30) { try await t.format("#{pane_title}").hasPrefix("coclick · ") }
            #expect(kill(try await t.coclickPID(), SIGTERM) == 0)
            try await t.waitFor("exit=", timeout: 30)
            try await t.waitUntil("the title given back", timeout: 10) { bytes(out).contains("\u{1B}[23;0t") }
            let after = try await t.format("#{pane_title}")
            #expect(!after.contains("coclick"), "title not given back: \(after)")
        }
    }

    @Test func notifyOffWritesNoBellNoNotificationAndNoTitle() async throws {
        try await Pane.with(width: 100, height: 24, command: demo("", config: "notify = \"off\"\n", recorded: true)) { t in
            let out = try await record(t)
            try await t.waitFor("hugh@example.com")
            // The standard seed has meetings inside the default 5-minute lead: a few ticks pass.
            try await t.waitFor("in progress")
            try await Task.sleep(for: .seconds(3))
            let written = bytes(out)
            #expect(!written.contains("\u{1B}]9;") && !written.contains("\u{1B}]777;") && !written.contains("\u{1B}]2;"))
            #expect(!written.contains("\u{07}"))
        }
    }

    @Test func oRunsTheBrowserWithTheProspectRoomURL() async throws {
        let script = "printf '%s\\n' \"$@\" > \"$DIR/opened\""
        let command = """
        printf '#!/bin/sh\\n%s\\n' \(Pane.quote(script)) > "$DIR/browser" && chmod +x "$DIR/browser"; \
        BROWSER="$DIR/browser" "$COCLICK" demo; echo "exit=$?"; sleep 120
        """
        try await Pane.with(width: 100, height: 30, command: command) { t in
            try await t.waitFor("updated")
            try await t.waitFor("scheduled")
            try await t.keys("o")
            try await t.waitUntil("the browser ran", timeout: 30) { t.file("opened") != nil }
            let opened = (t.file("opened") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(opened.hasPrefix("http://127.0.0.1:") && opened.contains("/essai/room/"), "\(opened)")
            // The same URL the detail screen shows for the selected meeting.
            try await t.keys("Enter")
            try await t.waitUntil("the detail with its room URLs", timeout: 30) {
                let screen = try await t.capture()
                return screen.contains("token") && screen.contains("/essai/presenter/")
            }
            let joined = try await t.tmux("capture-pane", "-p", "-J", "-t", t.session).out
            #expect(joined.contains(opened), "\(joined)")
            // O: the presenter room.
            try await t.keys("O")
            try await t.waitUntil("the presenter URL", timeout: 30) { (t.file("opened") ?? "").contains("/essai/presenter/") }
            // The dashboard still answers: nothing blocked it.
            try await t.keys("q")
            try await t.waitFor("COUNTDOWN")
        }
    }

    @Test func theDetailScreenHasOSC8LinksAndUnbrokenURLs() async throws {
        try await Pane.with(width: 80, height: 30, command: demo("", recorded: true)) { t in
            let out = try await record(t)
            try await t.waitFor("scheduled")
            try await t.keys("Enter")
            try await t.waitFor("presenter room")
            try await t.waitUntil("OSC 8", timeout: 30) { bytes(out).contains("\u{1B}]8;id=") }
            let written = bytes(out)
            guard let r = written.range(of: "\u{1B}]8;id=coclick-2;") else { Issue.record("no room link: \(written.debugDescription)"); return }
            let target = written[r.upperBound...].prefix { $0 != "\u{1B}" }
            #expect(target.hasPrefix("http://127.0.0.1:") && target.contains("/essai/room/"))
            #expect(written.contains("\u{1B}]8;;\u{1B}\\"))
            // The long room URL wraps at the edge and tmux joins it back whole (-J): a selection copies it unbroken.
            let joined = try await t.tmux("capture-pane", "-p", "-J", "-t", t.session).out
            #expect(joined.split(separator: "\n").contains { $0 == target }, "\(joined)")
        }
    }

    /// One OSC 8 link as written: where the cursor was put, the target, the text between open and close.
    struct LinkWrite: Equatable {
        var row: Int, column: Int
        var target: String, text: String
    }

    /// Every link written in `bytes`, in order.
    func linkWrites(_ bytes: String) -> [LinkWrite] {
        let pieces = bytes.components(separatedBy: "\u{1B}]8;id=coclick-")
        let cup = try! Regex(#"\e\[(\d+);(\d+)H"#)
        var out: [LinkWrite] = []
        for i in pieces.indices.dropFirst() {
            let piece = pieces[i]
            guard let semi = piece.firstIndex(of: ";"),
                  let st = piece[semi...].range(of: "\u{1B}\\"),
                  let close = piece[st.upperBound...].range(of: "\u{1B}]8;;\u{1B}\\"),
                  let at = pieces[i - 1].matches(of: cup).last,
                  let row = at.output[1].substring.flatMap({ Int($0) }), let column = at.output[2].substring.flatMap({ Int($0) })
            else { continue }
            out.append(LinkWrite(row: row, column: column, target: String(piece[piece.index(after: semi)..<st.lowerBound]),
                                 text: String(piece[st.upperBound..<close.lowerBound])))
        }
        return out
    }

    /// The screen's text from 1-based `row`, `column` on, rows run together as the terminal wraps them.
    func screenText(_ screen: String, width: Int, row: Int, column: Int, count: Int) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).padding(toLength: width, withPad: " ", startingAt: 0) }
        guard row >= 1, row <= rows.count else { return "" }
        return String(rows[(row - 1)...].joined().dropFirst(column - 1).prefix(count))
    }

    @Test func eachLinkIsWrittenOverExactlyItsCellsAndFollowsTheURLWhenItMoves() async throws {
        let width = 80
        try await Pane.with(width: width, height: 16, command: demo("", recorded: true)) { t in
            let out = try await record(t)
            try await t.waitFor("scheduled")
            try await t.keys("Enter")
            try await t.waitUntil("the room link", timeout: 30) { linkWrites(bytes(out)).contains { $0.target.contains("/essai/room/") } }
            try await Task.sleep(for: .milliseconds(500))
            var screen = try await t.capture()
            let written = linkWrites(bytes(out))
            guard let room = written.last(where: { $0.target.contains("/essai/room/") }) else { Issue.record("no room link"); return }
            // Opened at the URL's first cell, closed after its last: the text between is the URL, where the screen shows it.
            #expect(room.text == room.target, "\(room)")
            #expect(screenText(screen, width: width, row: room.row, column: room.column, count: room.text.count) == room.text, "\(room)\n\(screen)")
            for link in written {
                #expect(!link.text.isEmpty && link.target.hasPrefix("http"), "\(link)")
            }
            // Scrolled a row: the URL moves up, and its link is written again where it is now.
            let before = bytes(out).count
            try await t.keys("j")
            try await t.waitUntil("the link rewritten", timeout: 30) {
                linkWrites(String(bytes(out).dropFirst(before))).contains { $0.target == room.target && $0.row == room.row - 1 }
            }
            try await Task.sleep(for: .milliseconds(500))
            screen = try await t.capture()
            guard let moved = linkWrites(String(bytes(out).dropFirst(before))).last(where: { $0.target == room.target }) else { return }
            #expect(moved.column == room.column && moved.text == room.target)
            #expect(screenText(screen, width: width, row: moved.row, column: moved.column, count: moved.text.count) == moved.text, "\(moved)\n\(screen)")
        }
    }

    @Test func withNoColorTheFocusedFieldStandsOut() async throws {
        try await Pane.with(width: 100, height: 30, command: demo("", env: "NO_COLOR=1")) { t in
            try await t.waitFor("scheduled")
            try await t.keys("n")
            try await t.waitFor("New meeting")
            try await t.type("ada")
            let screen = try await t.tmux("capture-pane", "-p", "-e", "-t", t.session).out
            let lines = screen.split(separator: "\n").map(String.init)
            guard let user = lines.first(where: { $0.contains("User *") }),
                  let url = lines.first(where: { $0.contains("Cobrowsing URL *") }) else {
                Issue.record("no form: \(screen)"); return
            }
            // The focused field is reversed; the others are only underlined.
            #expect(user.contains("\u{1B}[7m") || user.contains(";7m"), "\(user.debugDescription)")
            #expect(!url.contains("\u{1B}[7m") && !url.contains(";7m"), "\(url.debugDescription)")
            #expect(url.contains("\u{1B}[4m") || url.contains(";4m"), "\(url.debugDescription)")
        }
    }

    @Test func termDumbIsRefusedInWords() async throws {
        try await Pane.with(width: 100, height: 20, command: "TERM=dumb \"$COCLICK\" demo; echo \"exit=$?\"; sleep 60") { t in
            let screen = try await t.waitForScreen("the refusal", timeout: 60) { $0.contains("exit=") }
            #expect(screen.contains("cannot move the cursor"), "\(screen)")
            #expect(screen.contains("coclick meetings list"), "\(screen)")
            #expect(screen.contains("exit=1"), "\(screen)")
        }
    }
}
