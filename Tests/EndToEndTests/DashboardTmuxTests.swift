import Foundation
import Testing

/// The real `coclick demo` in tmux: keys in with `send-keys`, the screen out
/// with `capture-pane`, the clipboard with `show-buffer`.
@Suite("Dashboard in tmux", .serialized)
struct DashboardTmuxTests {
    /// These tests need tmux; without it they fail (never skip): `apt-get install tmux`.
    @Test func tmuxIsInstalled() {
        #expect(Tmux.available, "tmux is not installed: apt-get install tmux (README, .ci/run)")
    }

    func started() throws -> Tmux {
        let t = try Tmux(command: demoCommand())
        let r = try t.wait(timeout: 30) { $0.contains("STATUS") && $0.contains("updated") && $0.contains("scheduled") }
        if !r.ok {
            t.kill()
            Issue.record("the dashboard did not show the list:\n\(r.screen)")
            throw CancellationError()
        }
        return t
    }

    @Test func listShowsTheSimulatorsMeetingsWithStatuses() throws {
        let t = try started()
        defer { t.kill() }
        let r = try t.wait { $0.contains("in progress") && $0.contains("scheduled") && $0.contains(" ok ") }
        #expect(r.ok, "\(r.screen)")
        #expect(r.screen.contains("@example.com"))
        #expect(r.screen.contains("COUNTDOWN"))
    }

    @Test func enterShowsTheDetailWithBothRoomURLs() throws {
        let t = try started()
        defer { t.kill() }
        try t.send("Enter")
        let r = try t.wait { $0.contains("prospect room") && $0.contains("/essai/room/") && $0.contains("/essai/presenter/") }
        #expect(r.ok, "\(r.screen)")
        try t.send("q")
        #expect(try t.wait(for: "COUNTDOWN").ok)
    }

    @Test func yCopiesTheProspectRoomURLThroughOSC52() throws {
        let t = try started()
        defer { t.kill() }
        try t.send("y")
        let r = try t.wait(for: "Copied prospect room URL")
        #expect(r.ok, "\(r.screen)")
        var buffer = ""
        for _ in 0..<50 {
            buffer = (try? t.buffer()) ?? ""
            if buffer.contains("/essai/room/") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(buffer.hasPrefix("http://127.0.0.1:"), "\(buffer)")
        #expect(buffer.contains("/essai/room/"))
    }

    @Test func creatingAMeetingShowsItInTheList() throws {
        let t = try started()
        defer { t.kill() }
        try t.send("n")
        #expect(try t.wait(for: "New meeting").ok)
        try t.type("ada@example.com")
        try t.send("Tab")
        try t.type("in 3h")
        try t.send("Tab")
        try t.type("https://shop.example.com/checkout")
        try t.send("C-s")
        let r = try t.wait(for: "Created meeting")
        #expect(r.ok, "\(r.screen)")
        guard let line = r.screen.split(separator: "\n").first(where: { $0.contains("Created meeting") }),
              let id = line.split(separator: " ").drop(while: { $0 != "meeting" }).dropFirst().first else {
            Issue.record("no id in \(r.screen)"); return
        }
        let listed = try t.wait { screen in
            screen.split(separator: "\n").contains { $0.contains(id) && $0.contains("scheduled") && $0.contains("ada@example.com") }
        }
        #expect(listed.ok, "\(listed.screen)")
    }

    @Test func anInvalidFormShowsClientAndServerMessagesAndKeepsTheText() throws {
        let t = try started()
        defer { t.kill() }
        try t.send("n")
        #expect(try t.wait(for: "New meeting").ok)
        try t.type("nobody@nowhere.example")
        try t.send("Tab")
        try t.type("in 2h")
        try t.send("Tab")
        try t.type("not a url")
        try t.send("C-s")
        let client = try t.wait(for: "must be an http(s) URL")
        #expect(client.ok, "\(client.screen)")
        #expect(client.screen.contains("not a url"))
        try t.send("C-u")
        try t.type("https://example.com/x")
        try t.send("C-s")
        let server = try t.wait(for: "server: User must exist")
        #expect(server.ok, "\(server.screen)")
        #expect(server.screen.contains("nobody@nowhere.example"))
        #expect(server.screen.contains("in 2h"))
        #expect(server.screen.contains("https://example.com/x"))
    }

    @Test func quitRestoresTheTerminal() throws {
        let t = try started()
        defer { t.kill() }
        try t.send("q")
        let r = try t.wait(for: "exit=0")
        #expect(r.ok, "\(r.screen)")
        let modes = try t.wait { $0.contains("icanon") }.screen
        let words = Set(modes.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(words.contains("echo"), "\(modes)")
        #expect(words.contains("icanon"), "\(modes)")
        #expect(!words.contains("-echo") && !words.contains("-icanon"))
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let t = try started()
        defer { t.kill() }
        let pid = try t.run(["display-message", "-p", "-t", t.session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs sh; the dashboard is its child.
        let kill = Process()
        kill.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        kill.arguments = ["pkill", "-TERM", "-P", pid, "-x", "coclick"]
        try kill.run()
        kill.waitUntilExit()
        let r = try t.wait(for: "exit=143")
        #expect(r.ok, "\(r.screen)")
        let words = Set(r.screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(words.contains("echo") && words.contains("icanon"), "\(r.screen)")
    }
}
