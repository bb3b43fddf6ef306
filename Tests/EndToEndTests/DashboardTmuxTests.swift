import CoClickSimulator
import Foundation
import Testing

/// The real `coclick demo` in tmux: keys in with `send-keys`, the screen out
/// with `capture-pane`. Copying has a suite of its own (ClipboardTmuxTests).
@Suite("Dashboard in tmux", .serialized)
struct DashboardTmuxTests {
    /// These tests need tmux; without it they fail (never skip): `apt-get install tmux`.
    @Test func tmuxIsInstalled() {
        #expect(Pane.available, "tmux is not installed: apt-get install tmux (README, .ci/run)")
    }

    /// Runs `body` with the demo dashboard showing its list; the pane is killed afterwards.
    func started(env: [String: String] = [:], tmuxOptions: [String] = [], _ body: (Pane) async throws -> Void) async throws {
        try await Pane.with(width: 100, height: 30, command: demoCommand(extraEnv: env), tmuxOptions: tmuxOptions) { t in
            let r = try await t.wait(timeout: 30) { $0.contains("STATUS") && $0.contains("updated") && $0.contains("scheduled") }
            if !r.ok {
                Issue.record("the dashboard did not show the list:\n\(r.screen)")
                throw CancellationError()
            }
            try await body(t)
        }
    }

    @Test func listShowsTheSimulatorsMeetingsWithStatuses() async throws {
        try await started { t in
            let r = try await t.wait { $0.contains("in progress") && $0.contains("scheduled") && $0.contains(" ok ") }
            #expect(r.ok, "\(r.screen)")
            #expect(r.screen.contains("@example.com"))
            #expect(r.screen.contains("COUNTDOWN"))
        }
    }

    @Test func enterShowsTheDetailWithBothRoomURLs() async throws {
        try await started { t in
            try await t.keys("Enter")
            let r = try await t.wait { $0.contains("prospect room") && $0.contains("/essai/room/") && $0.contains("/essai/presenter/") }
            #expect(r.ok, "\(r.screen)")
            try await t.keys("q")
            #expect(try await t.wait(for: "COUNTDOWN").ok)
        }
    }

    /// Mode osc52 writes plain OSC 52 even inside tmux; tmux takes it into
    /// its buffer with `set-clipboard on` (this test is about that option).
    @Test func osc52ModeReachesTmuxWithSetClipboardOn() async throws {
        try await started(env: ["COCLICK_CLIPBOARD": "osc52"], tmuxOptions: ["set -g set-clipboard on"]) { t in
            try await t.keys("y")
            let r = try await t.wait(for: "Sent prospect room URL to the terminal's clipboard (OSC 52)")
            #expect(r.ok, "\(r.screen)")
            var buffer = ""
            for _ in 0..<50 {
                buffer = ((try? await t.clipboard()) ?? nil) ?? ""
                if buffer.contains("/essai/room/") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(buffer.hasPrefix("http://127.0.0.1:"), "\(buffer)")
            #expect(buffer.contains("/essai/room/"))
        }
    }

    @Test func creatingAMeetingShowsItInTheList() async throws {
        try await started { t in
            #expect(try await t.fillNewMeeting(user: "ada@example.com", start: "in 3h", url: "https://shop.example.com/checkout"))
            try await t.keys("C-s")
            let r = try await t.wait(for: "Created meeting")
            #expect(r.ok, "\(r.screen)")
            guard let line = r.screen.split(separator: "\n").first(where: { $0.contains("Created meeting") }),
                  let id = line.split(separator: " ").drop(while: { $0 != "meeting" }).dropFirst().first else {
                Issue.record("no id in \(r.screen)"); return
            }
            let listed = try await t.wait { screen in
                screen.split(separator: "\n").contains { $0.contains(id) && $0.contains("scheduled") && $0.contains("ada@example.com") }
            }
            #expect(listed.ok, "\(listed.screen)")
        }
    }

    @Test func anInvalidFormShowsClientAndServerMessagesAndKeepsTheText() async throws {
        try await started { t in
            #expect(try await t.fillNewMeeting(user: "nobody@nowhere.example", start: "in 2h", url: "not a url"))
            try await t.keys("C-s")
            let client = try await t.wait(for: "must be an http(s) URL")
            #expect(client.ok, "\(client.screen)")
            #expect(client.screen.contains("not a url"))
            try await t.keys("C-u")
            try await t.type("https://example.com/x")
            try await t.keys("C-s")
            let server = try await t.wait(for: "server: User must exist")
            #expect(server.ok, "\(server.screen)")
            #expect(server.screen.contains("nobody@nowhere.example"))
            #expect(server.screen.contains("in 2h"))
            #expect(server.screen.contains("https://example.com/x"))
        }
    }

    @Test func quitRestoresTheTerminal() async throws {
        try await started { t in
            try await t.keys("q")
            let r = try await t.wait(for: "exit=0")
            #expect(r.ok, "\(r.screen)")
            let modes = try await t.wait { $0.contains("icanon") }.screen
            let words = Set(modes.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
            #expect(words.contains("echo"), "\(modes)")
            #expect(words.contains("icanon"), "\(modes)")
            #expect(!words.contains("-echo") && !words.contains("-icanon"))
        }
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        try await started { t in
            let pid = try await t.panePID()
            // The pane runs sh; the dashboard is its child.
            try await Pane.run(["-TERM", "-P", "\(pid)", "-x", "coclick"], tool: "pkill")
            let r = try await t.wait(for: "exit=143")
            #expect(r.ok, "\(r.screen)")
            // stty prints after the exit line: wait for it too.
            let modes = try await t.wait { $0.contains("icanon") }.screen
            let words = Set(modes.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
            #expect(words.contains("echo") && words.contains("icanon"), "\(modes)")
        }
    }

    /// Quiet when idle: after the list, a detail fetch and a create have run
    /// through the client (so every thread it uses exists), all threads of
    /// the dashboard together wake at most 3 times a second (the budget)
    /// while it sits between two polls: the main thread sleeps in poll()
    /// until the countdown tick. Against a simulator in the test process,
    /// as against a real server (the demo's own simulator would count too).
    @Test func idleAfterRequestsWakesAtMostThreeTimesASecond() async throws {
        try await withRunningSimulator { _, url in
            let home = try makeTempDirectory()
            let env = [
                "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
                "XDG_STATE_HOME": home.appendingPathComponent("state").path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                "LANG": "C.UTF-8", "COCLICK_API_URL": url.absoluteString,
                "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID, "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
            ]
            try await Pane.with(width: 100, height: 30, command: "exec \"$COCLICK\" --refresh 600", env: env) { t in
                let r = try await t.wait(timeout: 30) { $0.contains("STATUS") && $0.contains("updated") && $0.contains("scheduled") }
                #expect(r.ok, "the dashboard did not show the list:\n\(r.screen)")
                try await t.keys("Enter")
                #expect(try await t.wait(for: "prospect room").ok)
                try await t.keys("q")
                #expect(try await t.fillNewMeeting(user: "ada@example.com", start: "in 3h", url: "https://shop.example.com/idle"))
                try await t.keys("C-s")
                let created = try await t.wait(for: "Created meeting")
                #expect(created.ok, "\(created.screen)")
                let pid = try await t.panePID()  // exec'd: the pane's process is coclick
                try await Task.sleep(for: .seconds(2))
                let seconds = 15.0
                let wakeUps = try await voluntarySwitches(pid, over: seconds)
                let total = wakeUps.values.reduce(0, +)
                #expect(Double(total) / seconds <= 3, "\(total) wake-ups in \(Int(seconds)) s, per thread: \(wakeUps.sorted { $0.key < $1.key })")
            }
        }
    }
}
